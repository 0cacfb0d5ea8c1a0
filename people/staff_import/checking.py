"""Checking the cells of a staff import's rows: every problem with its line number, and
what each row asks for (see ``planning``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from people.models import Department, Employee
from people.staff_import.parsing import (
    COLUMNS,
    KEY,
    ParsedFile,
    Problem,
    Row,
    parse_date,
    parse_language,
)
from people.staff_import.plan import (
    REQUIRED_FIELDS,
    TEXT_FIELDS,
    Plan,
    current_value,
    field_label,
    show,
)
from people.staff_import.privileged import privileged_accounts
from people.staff_import.tree import TreePlan


class RowChecker:
    """Checks the cells of the rows and keeps what each row asks for."""

    def __init__(
        self, parsed: ParsedFile, plan: Plan, existing: list[Employee], tree: TreePlan | None
    ):
        self.parsed = parsed
        self.plan = plan
        self.columns = set(parsed.columns)
        # Each row's unit, found or made by the tree (people.staff_import.tree); a tree
        # with problems leaves the people's departments as they are.
        self.tree = tree if tree is not None and tree.complete else None
        self.departments_by_id: dict[int, Department] = {}  # to show the old department
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
            elif name in ("department", "department_path") and self.tree is not None:
                values["department"] = self.tree.unit_of_line.get(row.line)
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
            start = (
                values["start_date"]
                if "start_date" in values
                else current_value(existing, "start_date")
            )
            end = (
                values["end_date"] if "end_date" in values else current_value(existing, "end_date")
            )
            if start and end and end < start:
                self.problem(
                    row.line,
                    _("The end date %(end)s lies before the start date %(start)s.")
                    % {"end": show(end), "start": show(start)},
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
