"""The plan of a staff import: what it would do, row by row (``planning`` works it out,
``applying`` carries it out), and the departments of the file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Employee
from people.staff_import.parsing import (
    Problem,
)
from people.staff_import.privileged import why_left_alone
from people.staff_import.tree import TreePlan

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
    unit_columns = {
        "department_path": _("department's path of names"),
        "department_parent": _("code of the department's parent unit"),
        "department_name": _("department's name"),
        "department_kind": _("kind of department"),
    }
    if name in unit_columns:
        return unit_columns[name]
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
    # What happens to the organisation's units (None: the file names no units).
    tree: TreePlan | None = None

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
        return any(entry.kind != UNCHANGED for entry in self.entries) or (
            self.tree is not None and self.tree.has_changes
        )


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
