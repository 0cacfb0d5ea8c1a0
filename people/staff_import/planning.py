"""Checking every row and working out what the import would do: the plan.

Every row is checked before anything is written, and every problem is collected with
its line number. The plan says per row whether the person is new, changed (which
fields, old → new), leaving, reactivated or unchanged; with a full export, active
employees whose number is missing from the file are leaving too. Employees without an
employee number (administrators' accounts) are never touched, and privileged accounts
keep their e-mail address and stay inactive once deactivated (see ``privileged``).

Reads three queries (employees, role holders, departments) whatever the size of the file.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Department, Employee
from people.staff_import.parsing import (
    COLUMNS,
    KEY,
    ParsedFile,
    Problem,
    Row,
    parse,
    parse_date,
    parse_language,
)
from people.staff_import.privileged import PROTECTED_FIELDS, privileged_accounts, why_left_alone

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
        self.codes = {_key(d.code): d for d in departments}
        self.paths: dict[str, Department] = {}
        self.names: dict[str, list[Department]] = defaultdict(list)
        for department in departments:
            codes = [code for code in department.path.strip("/").split("/") if code]
            self.paths["/".join(_key(code) for code in codes)] = department
            if all(code in by_code for code in codes):
                self.paths.setdefault(
                    "/".join(_key(by_code[code].name) for code in codes), department
                )
            self.names[_key(department.name)].append(department)

    def find(self, value: str) -> tuple[Department | None, str | None]:
        """The department, or None and why not."""
        found = self.codes.get(_key(value))
        if found is not None:
            return found, None
        segments = [_key(part) for part in value.split("/") if part.strip()]
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


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _show(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _show_language(code: str) -> str:
    return str(Employee.Language(code).label) if code in Employee.Language.values else code


class _Checker:
    """Checks the cells of the rows and keeps what each row asks for."""

    def __init__(self, parsed: ParsedFile, plan: Plan, existing: list[Employee]):
        self.parsed = parsed
        self.plan = plan
        self.columns = set(parsed.columns)
        self.departments = Departments()
        self.existing = existing
        self.by_number = {e.employee_number: e for e in existing if e.employee_number}
        self.by_email = {e.email.lower(): e for e in existing if e.email}
        self.number_by_pk = {e.pk: e.employee_number for e in existing}
        self.privileged = privileged_accounts(existing)
        self.bad_lines: set[int] = set()
        self.values: dict[int, dict] = {}  # line → field → cleaned value

    def problem(self, line: int, message: str) -> None:
        self.plan.problems.append(Problem(line, message))
        self.bad_lines.add(line)

    # Cells --------------------------------------------------------------------------

    def check_rows(self) -> None:
        numbers: dict[str, int] = {}
        emails: dict[str, int] = {}
        for row in self.parsed.rows:
            number = row.cells[KEY]
            if not number:
                self.problem(row.line, _("The employee number (personeelsnummer) is missing."))
            elif number in numbers:
                self.problem(
                    row.line,
                    _("Employee number %(number)s appears more than once (also on line %(line)s).")
                    % {"number": number, "line": numbers[number]},
                )
            else:
                numbers[number] = row.line
                if len(number) > Employee._meta.get_field(KEY).max_length:
                    self.problem(row.line, _("The employee number is too long."))
            values = self.clean_cells(row, new=number not in self.by_number)
            email = values.get("email")
            if email:
                if email in emails:
                    self.problem(
                        row.line,
                        _("The e-mail address %(email)s is also on line %(line)s.")
                        % {"email": email, "line": emails[email]},
                    )
                else:
                    emails[email] = row.line
            self.values[row.line] = values

    def clean_cells(self, row: Row, *, new: bool) -> dict:
        values: dict = {}
        for name in REQUIRED_FIELDS:
            if (name in self.columns and not row.cells[name]) or (new and name not in self.columns):
                self.problem(
                    row.line,
                    _("The %(field)s (%(column)s) is missing.")
                    % {"field": field_label(name), "column": COLUMNS[name][0]},
                )
        for name, cell in row.cells.items():
            if name == KEY:
                continue
            if name in TEXT_FIELDS:
                if len(cell) > Employee._meta.get_field(name).max_length:
                    self.problem(
                        row.line,
                        _("The %(field)s is too long (at most %(limit)s characters).")
                        % {
                            "field": field_label(name),
                            "limit": Employee._meta.get_field(name).max_length,
                        },
                    )
                values[name] = cell
            elif name == "email":
                if cell:
                    email = cell.lower()
                    try:
                        validate_email(email)
                    except ValidationError:
                        self.problem(
                            row.line,
                            _("“%(value)s” is not an e-mail address.") % {"value": cell},
                        )
                    values[name] = email
            elif name == "department":
                department = None
                if cell:
                    department, reason = self.departments.find(cell)
                    if reason:
                        self.problem(row.line, reason)
                values[name] = department
            elif name == "manager":
                values[name] = cell or None
            elif name in ("start_date", "end_date"):
                day = None
                if cell:
                    day = parse_date(cell)
                    if day is None:
                        self.problem(
                            row.line,
                            _(
                                "“%(value)s” in %(column)s is not a date (use dd-mm-jjjj or "
                                "yyyy-mm-dd)."
                            )
                            % {"value": cell, "column": COLUMNS[name][0]},
                        )
                values[name] = day
            elif name == "preferred_language" and cell:
                language = parse_language(cell)
                if language is None:
                    self.problem(
                        row.line,
                        _("“%(value)s” is not a language: use nl (Nederlands) or en (Engels).")
                        % {"value": cell},
                    )
                else:
                    values[name] = language
        return values

    # Across rows and the database -----------------------------------------------------

    def check_across(self) -> None:
        in_file: dict[str, Row] = {}  # number → its first row
        for row in self.parsed.rows:
            if row.cells[KEY]:
                in_file.setdefault(row.cells[KEY], row)
        for row in self.parsed.rows:
            number, values = row.cells[KEY], self.values[row.line]
            existing = self.by_number.get(number)
            email = values.get("email")
            holder = self.by_email.get(email) if email else None
            if holder is not None and (not number or holder.employee_number != number):
                # Someone else's address is free when they get another one in this file;
                # a privileged account's address never moves (see ``privileged``).
                moving_away = (
                    holder.pk not in self.privileged
                    and holder.employee_number in in_file
                    and self.values[in_file[holder.employee_number].line].get(
                        "email", holder.email.lower()
                    )
                    != email
                )
                if not moving_away:
                    self.problem(
                        row.line,
                        _("The e-mail address %(email)s belongs to another employee (%(who)s).")
                        % {
                            "email": email,
                            "who": holder.employee_number
                            or _("an account without an employee number"),
                        },
                    )
            manager = values.get("manager")
            if manager and number and manager == number:
                self.problem(row.line, _("An employee cannot be their own manager."))
            elif manager and manager not in in_file and manager not in self.by_number:
                self.problem(
                    row.line,
                    _(
                        "The manager %(number)s is unknown: no employee has that number, in the "
                        "file or in the portal."
                    )
                    % {"number": manager},
                )
            start = values["start_date"] if "start_date" in values else _get(existing, "start_date")
            end = values["end_date"] if "end_date" in values else _get(existing, "end_date")
            if start and end and end < start:
                self.problem(
                    row.line,
                    _("The end date %(end)s lies before the start date %(start)s.")
                    % {"end": _show(end), "start": _show(start)},
                )
        self.check_loops(in_file)

    def check_loops(self, in_file: dict[str, Row]) -> None:
        """Managers must not form a loop in the organisation as it will be."""

        def node(employee: Employee) -> str:
            return employee.employee_number or f"#{employee.pk}"

        by_pk = {e.pk: e for e in self.existing}
        edges: dict[str, str] = {}
        for employee in self.existing:
            if employee.manager_id and employee.manager_id in by_pk:
                edges[node(employee)] = node(by_pk[employee.manager_id])
        if "manager" in self.columns:
            for number, row in in_file.items():
                manager = self.values[row.line].get("manager")
                edges.pop(number, None)
                if (
                    manager
                    and manager != number
                    and (manager in in_file or manager in self.by_number)
                ):
                    edges[number] = manager
        state: dict[str, int] = {}  # 1: on the current walk, 2: done
        for start in in_file:
            path: list[str] = []
            current: str | None = start
            while current is not None and current not in state:
                state[current] = 1
                path.append(current)
                current = edges.get(current)
            if current is not None and state[current] == 1:
                loop = path[path.index(current) :]
                # An account without an employee number shows as "?".
                numbers = ["?" if member.startswith("#") else member for member in loop]
                shown = " → ".join([*numbers, numbers[0]])
                for member in loop:
                    if member in in_file:
                        self.problem(
                            in_file[member].line,
                            _("The managers form a loop: %(loop)s.") % {"loop": shown},
                        )
            for member in path:
                state[member] = 2


def _get(employee: Employee | None, name: str):
    return getattr(employee, name) if employee is not None else None


def build_plan(data: bytes, *, full: bool, today: datetime.date, lock: bool = False) -> Plan:
    """Check the file and work out the plan. ``lock``: lock the employees' rows until the
    transaction ends (when the plan is going to be applied)."""
    parsed = parse(data)
    plan = Plan(full=full, today=today, columns=parsed.columns, problems=list(parsed.problems))
    if not parsed.readable:
        return plan
    employees = Employee.objects.only(*LOADED_FIELDS).order_by("pk")
    if lock:
        employees = employees.select_for_update()
    existing = list(employees)
    checker = _Checker(parsed, plan, existing)
    checker.check_rows()
    checker.check_across()
    plan.problems.sort(key=lambda p: p.line or 0)
    plan.pk_by_number = {number: e.pk for number, e in checker.by_number.items()}

    names = {number: e.full_name for number, e in checker.by_number.items()}
    for row in parsed.rows:
        values = checker.values[row.line]
        if row.cells[KEY] and {"first_name", "last_name"} & values.keys():
            names[row.cells[KEY]] = " ".join(
                v
                for v in (
                    values.get("first_name"),
                    values.get("name_prefix"),
                    values.get("last_name"),
                )
                if v
            )

    def show_manager(number: str | None) -> str:
        if not number:
            return ""
        return f"{number} {names[number]}" if names.get(number) else number

    for row in parsed.rows:
        if row.line in checker.bad_lines:
            continue
        number, values = row.cells[KEY], checker.values[row.line]
        existing_employee = checker.by_number.get(number)
        if existing_employee is None:
            plan.entries.append(_new_entry(row, number, values, today))
        else:
            plan.entries.append(
                _existing_entry(row, existing_employee, values, today, checker, show_manager)
            )
    if full:
        in_file = {row.cells[KEY] for row in parsed.rows}
        for employee in existing:
            number = employee.employee_number
            if number and number not in in_file and employee.is_active:
                leaver = _leaver_missing_from_export(employee, today)
                leaver.privileged = checker.privileged.get(employee.pk, [])
                plan.entries.append(leaver)
    return plan


def _ended(employee: Employee, today: datetime.date) -> bool:
    return employee.end_date is not None and employee.end_date < today


def _new_entry(row: Row, number: str, values: dict, today: datetime.date) -> Entry:
    employee = Employee(
        employee_number=number,
        **{name: value for name, value in values.items() if name != "manager"},
    )
    employee.set_unusable_password()
    employee.is_active = not _ended(employee, today)
    return Entry(
        kind=NEW,
        employee=employee,
        line=row.line,
        manager_number=values.get("manager", KEEP),
    )


def _existing_entry(row, employee, values, today, checker, show_manager) -> Entry:
    entry = Entry(
        kind=UNCHANGED,
        employee=employee,
        line=row.line,
        previous_email=employee.email,
        privileged=checker.privileged.get(employee.pk, []),
    )
    for name, value in values.items():
        if name == "manager":
            entry.manager_number = value
            old = checker.number_by_pk.get(employee.manager_id) if employee.manager_id else None
            if employee.manager_id and old is None:
                old = "?"
            if old != value:
                entry.changes.append(FieldChange(name, show_manager(old), show_manager(value)))
                entry.dirty.add(name)
        elif name == "department":
            new_id = value.pk if value else None
            if employee.department_id != new_id:
                entry.changes.append(
                    FieldChange(
                        name,
                        checker.departments.show(employee.department_id),
                        checker.departments.show(new_id),
                    )
                )
                employee.department = value
                entry.dirty.add(name)
        else:
            old = getattr(employee, name)
            if old != value and entry.privileged and name in PROTECTED_FIELDS:
                entry.left_alone.append(FieldChange(name, _show(old), _show(value)))
            elif old != value:
                if name == "preferred_language":
                    shown = (_show_language(old), _show_language(value))
                else:
                    shown = (_show(old), _show(value))
                entry.changes.append(FieldChange(name, *shown))
                setattr(employee, name, value)
                entry.dirty.add(name)
    ended = _ended(employee, today)
    if ended and employee.is_active:
        entry.kind = LEAVING
    elif not ended and not employee.is_active and entry.privileged:
        # Letting a privileged account back in is an administrator's decision.
        entry.left_alone.append(FieldChange("is_active", _("no"), _("yes")))
        entry.kind = CHANGED if entry.changes else UNCHANGED
    elif not ended and not employee.is_active:
        entry.kind = REACTIVATED
    elif entry.changes:
        entry.kind = CHANGED
    if entry.kind in (LEAVING, REACTIVATED):
        employee.is_active = entry.kind == REACTIVATED
        entry.dirty.add("is_active")
    return entry


def _leaver_missing_from_export(employee: Employee, today: datetime.date) -> Entry:
    entry = Entry(kind=LEAVING, employee=employee, line=None, previous_email=employee.email)
    if employee.end_date is None and (employee.start_date is None or employee.start_date <= today):
        entry.changes.append(FieldChange("end_date", "", _show(today)))
        employee.end_date = today
        entry.dirty.add("end_date")
    employee.is_active = False
    entry.dirty.add("is_active")
    return entry
