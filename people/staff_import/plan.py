"""The plan of a staff import: what it would do, row by row (``planning`` works it out,
``applying`` carries it out), and the departments of the file."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Department, Employee
from people.staff_import.parsing import (
    Problem,
)
from people.staff_import.privileged import why_left_alone

NEW = "new"
CHANGED = "changed"
LEAVING = "leaving"
REACTIVATED = "reactivated"
UNCHANGED = "unchanged"
KINDS = (NEW, CHANGED, LEAVING, REACTIVATED, UNCHANGED)

TEXT_FIELDS = ("first_name", "name_prefix", "last_name", "job_title")
REQUIRED_FIELDS = ("first_name", "last_name", "email")
LOADED_FIELDS = (
    "id",
    "employee_number",
    "first_name",
    "name_prefix",
    "last_name",
    "email",
    "job_title",
    "department_id",
    "manager_id",
    "start_date",
    "end_date",
    "preferred_language",
    "is_active",
    "is_staff",
    "is_superuser",
)
# The manager is not set from the row: it is linked in a second pass, once every new
# person has a primary key. ``KEEP``: the file has no manager column.
KEEP = object()


def field_label(name: str) -> str:
    if name == "is_active":
        return _("active")
    return str(Employee._meta.get_field(name).verbose_name)


@dataclass
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return field_label(self.field)


@dataclass
class Entry:
    """What the import does with one person."""

    kind: str
    employee: Employee  # with the values after the import (not saved yet)
    line: int | None  # None: a leaver missing from a full export
    changes: list[FieldChange] = field(default_factory=list)
    dirty: set[str] = field(default_factory=set)  # model fields to write
    manager_number: object = KEEP  # str, None (no manager) or KEEP
    previous_email: str = ""
    # What makes the account privileged (role names, "is_staff", "is_superuser"), and
    # what the file asked for that the import leaves alone because of it.
    privileged: list[str] = field(default_factory=list)
    left_alone: list[FieldChange] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.employee.employee_number or ""

    @property
    def name(self) -> str:
        return self.employee.full_name

    @property
    def why_left_alone(self) -> str:
        return why_left_alone(self.privileged)


@dataclass
class Plan:
    full: bool
    today: datetime.date
    columns: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pk_by_number: dict[str, int] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    @property
    def left_alone(self) -> list[Entry]:
        """Privileged accounts with changes the import does not make."""
        return [entry for entry in self.entries if entry.left_alone]

    @property
    def privileged_leavers(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == LEAVING and entry.privileged]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for entry in self.entries:
            counts[entry.kind] += 1
        counts["problems"] = len(self.problems)
        return counts

    @property
    def has_changes(self) -> bool:
        return any(entry.kind != UNCHANGED for entry in self.entries)


class Departments:
    """Finds a department by its code, by its path of names ("Directie Ruimte/Afdeling
    Vergunningen") or codes ("DIR-RUI/AFD-VERG"), or by a name that is unique."""

    def __init__(self):
        departments = list(Department.objects.only("id", "code", "name", "path"))
        self.by_id = {d.pk: d for d in departments}
        by_code = {d.code: d for d in departments}
        self.codes = {key_of(d.code): d for d in departments}
        self.paths: dict[str, Department] = {}
        self.names: dict[str, list[Department]] = defaultdict(list)
        for department in departments:
            codes = [code for code in department.path.strip("/").split("/") if code]
            self.paths["/".join(key_of(code) for code in codes)] = department
            if all(code in by_code for code in codes):
                self.paths.setdefault(
                    "/".join(key_of(by_code[code].name) for code in codes), department
                )
            self.names[key_of(department.name)].append(department)

    def find(self, value: str) -> tuple[Department | None, str | None]:
        """The department, or None and why not."""
        found = self.codes.get(key_of(value))
        if found is not None:
            return found, None
        segments = [key_of(part) for part in value.split("/") if part.strip()]
        if len(segments) > 1:
            found = self.paths.get("/".join(segments))
            if found is not None:
                return found, None
        elif segments:
            named = self.names.get(segments[0], [])
            if len(named) == 1:
                return named[0], None
            if len(named) > 1:
                return None, _(
                    "More than one department is called “%(value)s”: give its code or its "
                    "path, such as “Directie Ruimte/Afdeling Vergunningen”."
                ) % {"value": value}
        return None, _(
            "There is no department “%(value)s”: give its code or its path, such as "
            "“Directie Ruimte/Afdeling Vergunningen” (the import does not create departments)."
        ) % {"value": value}

    def show(self, department_id: int | None) -> str:
        department = self.by_id.get(department_id)
        return f"{department.name} ({department.code})" if department else ""


def key_of(text: str) -> str:
    return " ".join(text.split()).casefold()


def show(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def show_language(code: str) -> str:
    return str(Employee.Language(code).label) if code in Employee.Language.values else code


def current_value(employee: Employee | None, name: str):
    """An existing employee's value of a field, or None for a new person."""
    return getattr(employee, name) if employee is not None else None
