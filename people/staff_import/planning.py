"""Checking every row and working out what the import would do: the plan.

Every row is checked before anything is written, and every problem is collected with
its line number. The plan says per row whether the person is new, changed (which
fields, old → new), leaving, reactivated or unchanged; with a full export, active
employees whose number is missing from the file are leaving too. Employees without an
employee number (administrators' accounts) are never touched, and privileged accounts
keep their e-mail address and stay inactive once deactivated (see ``privileged``).

Reads three queries (departments, employees, role holders) whatever the size of the file.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from people.models import Employee
from people.staff_import.checking import RowChecker
from people.staff_import.parsing import (
    KEY,
    Row,
    parse,
)
from people.staff_import.plan import (
    CHANGED,
    KEEP,
    LEAVING,
    LOADED_FIELDS,
    NEW,
    REACTIVATED,
    UNCHANGED,
    Entry,
    FieldChange,
    Plan,
    show,
    show_language,
)
from people.staff_import.privileged import PROTECTED_FIELDS
from people.staff_import.tree import build_tree, load_departments, show_department


def build_plan(
    data: bytes,
    *,
    full: bool,
    today: datetime.date,
    lock: bool = False,
    units: bytes | None = None,
) -> Plan:
    """Check the file (and the unit file, ``units``) and work out the plan: the tree's
    changes (``tree``) and the people's. ``lock``: lock the departments' and employees'
    rows until the transaction ends (when the plan is going to be applied)."""
    parsed = parse(data)
    plan = Plan(full=full, today=today, columns=parsed.columns, problems=list(parsed.problems))
    if not parsed.readable:
        return plan
    departments = load_departments(lock=lock)
    plan.tree = build_tree(
        parsed=parsed,
        units=units,
        existing=departments,
        full=full,
        today=today,
        problems=plan.problems,
    )
    employees = Employee.objects.only(*LOADED_FIELDS).order_by("pk")
    if lock:
        employees = employees.select_for_update()
    existing = list(employees)
    checker = RowChecker(parsed, plan, existing, plan.tree)
    checker.departments_by_id = {d.pk: d for d in departments}
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
            # A unit the import creates has no key yet: always a change.
            if employee.department_id != new_id or (value is not None and value.pk is None):
                entry.changes.append(
                    FieldChange(
                        name,
                        show_department(checker.departments_by_id.get(employee.department_id)),
                        show_department(value),
                    )
                )
                employee.department = value
                entry.dirty.add(name)
        else:
            old = getattr(employee, name)
            if old != value and entry.privileged and name in PROTECTED_FIELDS:
                entry.left_alone.append(FieldChange(name, show(old), show(value)))
            elif old != value:
                if name == "preferred_language":
                    shown = (show_language(old), show_language(value))
                else:
                    shown = (show(old), show(value))
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
        entry.changes.append(FieldChange("end_date", "", show(today)))
        employee.end_date = today
        entry.dirty.add("end_date")
    employee.is_active = False
    entry.dirty.add("is_active")
    return entry
