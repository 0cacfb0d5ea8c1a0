"""Reading the units the files describe: the layout, the declared units of the staff
rows and of the unit file, and their checks."""

import datetime

from django.utils.translation import gettext as _

from people.models import Department
from people.staff_import.parsing import (
    COLUMNS,
    UNIT_COLUMNS,
    UNIT_KEY,
    ParsedFile,
    Problem,
    Row,
    parse,
)
from people.staff_import.tree.units import (
    CODE_MAX,
    CODES,
    KIND,
    KIND_WORDS,
    LOOKUP,
    NAME_MAX,
    PATHS,
    UNIT_FILE,
    Declared,
    Departments,
    Where,
    derived_code,
    key_of,
)


class TreeReader:
    """Reads the units the files describe and checks them (loops, two names for one
    code, unknown parents); TreeBuilder works out the changes."""

    def __init__(
        self,
        *,
        parsed: ParsedFile,
        units: bytes | None,
        existing: list[Department],
        full: bool,
        today: datetime.date,
        problems: list[Problem],
    ):
        self.parsed = parsed
        self.units_data = units
        self.existing = existing
        self.departments = Departments(existing)
        self.by_code = self.departments.by_code
        self.full = full
        self.today = today
        self.problems = problems
        self.declared: dict[str, Declared] = {}
        self.line_codes: dict[int, str | None] = {}  # staff line → the person's unit code
        self.path_codes: dict[str, str] = {}  # key of a path of names → its unit's code
        self.new_units: dict[str, Department] = {}

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

    # Which layout -----------------------------------------------------------------

    def layout(self) -> str | None:
        columns = set(self.parsed.columns)
        described = {"department_name", "department_parent"} & columns
        header = Where(1)
        if self.units_data is not None:
            extra = (described | {"department_path", "department_kind"}) & columns
            if extra:
                self.problem(
                    header,
                    _(
                        "With a unit file, the staff file gives each person's unit by its code "
                        "in the column “%(column)s” only: leave out %(extra)s."
                    )
                    % {
                        "column": COLUMNS["department"][0],
                        "extra": ", ".join(f"“{COLUMNS[name][0]}”" for name in sorted(extra)),
                    },
                )
                return None
            return UNIT_FILE
        if "department_path" in columns:
            both = ({"department"} | described) & columns
            if both:
                self.problem(
                    header,
                    _(
                        "Give each person's unit one way: as a path in “%(path)s”, or as a code "
                        "in “%(code)s” (with its parent and name); not both."
                    )
                    % {"path": COLUMNS["department_path"][0], "code": COLUMNS["department"][0]},
                )
                return None
            return PATHS
        if described:
            needed = {"department", "department_name", "department_parent"} - columns
            if needed:
                self.problem(
                    header,
                    _(
                        "To describe the units in the staff file, give the columns %(columns)s "
                        "together; missing: %(missing)s."
                    )
                    % {
                        "columns": ", ".join(
                            f"“{COLUMNS[name][0]}”"
                            for name in ("department", "department_parent", "department_name")
                        ),
                        "missing": ", ".join(f"“{COLUMNS[name][0]}”" for name in sorted(needed)),
                    },
                )
                return None
            return CODES
        if "department_kind" in columns:
            self.problem(
                header,
                _("The column “%(kind)s” belongs with “%(path)s” or with “%(name)s”.")
                % {
                    "kind": COLUMNS["department_kind"][0],
                    "path": COLUMNS["department_path"][0],
                    "name": COLUMNS["department_name"][0],
                },
            )
            return None
        return LOOKUP

    # Reading the units ----------------------------------------------------------------

    def kind_of(self, where: Where, value: str) -> str | None:
        if not value:
            return None
        kind = KIND_WORDS.get(key_of(value).replace(" ", "_").replace("-", "_"))
        if kind is None:
            self.problem(
                where,
                _(
                    "“%(value)s” is not a kind of unit: use directie, afdeling, team or "
                    "eenheid, or leave the cell empty to take the kind from the depth."
                )
                % {"value": value},
            )
        return kind

    def declare(self, unit: Declared) -> None:
        seen = self.declared.get(unit.code)
        if seen is None:
            self.declared[unit.code] = unit
            return
        values = {"code": unit.code, "where": seen.where}
        if unit.name is not None and seen.name is not None and unit.name != seen.name:
            self.problem(
                unit.where,
                _("The unit %(code)s has two names: “%(name)s” here and “%(other)s” on %(where)s.")
                % {**values, "name": unit.name, "other": seen.name},
            )
        elif unit.name is not None:
            seen.name = unit.name
        if unit.parent != seen.parent:
            self.problem(
                unit.where,
                _(
                    "The unit %(code)s has two parent units: %(parent)s here and %(other)s on "
                    "%(where)s."
                )
                % {
                    **values,
                    "parent": unit.parent or _("none (at the top)"),
                    "other": seen.parent or _("none (at the top)"),
                },
            )
        if unit.kind is not None and seen.kind is not None and unit.kind != seen.kind:
            self.problem(
                unit.where,
                _("The unit %(code)s has two kinds: %(kind)s here and %(other)s on %(where)s.")
                % {
                    **values,
                    "kind": KIND(unit.kind).label,
                    "other": KIND(seen.kind).label,
                },
            )
        elif unit.kind is not None:
            seen.kind = unit.kind

    def declare_path(self, where: Where, value: str, kind: str | None) -> str | None:
        """Every level of a path of names as a unit; the code of the last, or None."""
        names = [" ".join(part.split()) for part in value.split("/")]
        names = [name for name in names if name]
        if not names:
            return None
        parent: str | None = None
        for depth in range(1, len(names) + 1):
            key = "/".join(key_of(name) for name in names[:depth])
            code = self.path_codes.get(key)
            if code is None:
                found = self.departments.name_paths.get(key)
                code = found.code if found is not None else derived_code(names[:depth])
                self.path_codes[key] = code
            last = depth == len(names)
            self.declare(Declared(code, names[depth - 1], parent, kind if last else None, where))
            parent = code
        return parent

    def broken(self, where: Where, cells) -> bool:
        """A cell with a line break: most likely a quote (") never closed, which made
        the rest of the file one cell. Reported; the row is not read."""
        if any("\n" in cell or "\r" in cell for cell in cells):
            self.problem(
                where,
                _(
                    'A cell holds a line break: a quote (") is probably not closed. Correct the '
                    "file and export it again."
                ),
            )
            return True
        return False

    def read_staff_rows(self, layout: str) -> None:
        unit_columns = ("department", "department_path", "department_parent", "department_name")
        rows = self.parsed.rows
        if layout == LOOKUP:
            # Paths first, so that a row naming only "Directie Ruimte" finds the unit
            # another row's path "Directie Ruimte/Afdeling Vergunningen" makes.
            rows = sorted(rows, key=lambda row: "/" not in row.cells.get("department", ""))
        for row in rows:
            where = Where(row.line)
            cells = row.cells
            if self.broken(where, [cells[name] for name in unit_columns if name in cells]):
                self.line_codes[row.line] = None
                continue
            if layout == PATHS:
                kind = self.kind_of(where, cells.get("department_kind", ""))
                self.line_codes[row.line] = self.declare_path(where, cells["department_path"], kind)
            elif layout == CODES:
                code = cells["department"]
                if not code:
                    self.line_codes[row.line] = None
                    continue
                kind = self.kind_of(where, cells.get("department_kind", ""))
                self.declare(
                    Declared(
                        code,
                        " ".join(cells["department_name"].split()) or None,
                        cells["department_parent"] or None,
                        kind,
                        where,
                    )
                )
                self.line_codes[row.line] = code
            elif "department" in cells:
                self.line_codes[row.line] = self.look_up(row, layout)

    def look_up(self, row: Row, layout: str) -> str | None:
        """The unit code of a row that names its unit in the ``afdeling`` column only."""
        value = row.cells["department"]
        if not value:
            return None
        if layout == UNIT_FILE and value in self.declared:
            return value
        found, reason = self.departments.find(value)
        if found is not None:
            return found.code
        if layout == LOOKUP and "/" in value:
            return self.declare_path(Where(row.line), value, None)
        if layout == LOOKUP and key_of(value) in self.path_codes:
            return self.path_codes[key_of(value)]
        if layout == UNIT_FILE:
            reason = _(
                "There is no unit “%(value)s”: it is neither in the unit file nor in the portal."
            ) % {"value": value}
        self.problem(Where(row.line), reason)
        return None

    def read_unit_file(self) -> None:
        parsed = parse(self.units_data, columns=UNIT_COLUMNS, key=UNIT_KEY)
        for problem in parsed.problems:
            if problem.line is None:
                self.problems.append(
                    Problem(None, _("Unit file: %(reason)s") % {"reason": problem.message})
                )
            else:
                self.problem(Where(problem.line, unit_file=True), problem.message)
        if not parsed.readable:
            return
        for name in ("parent", "name"):
            if name not in parsed.columns:
                self.problems.append(
                    Problem(
                        None,
                        _("Unit file: the column “%(name)s” is missing.")
                        % {"name": UNIT_COLUMNS[name][0]},
                    )
                )
        if {"parent", "name"} - set(parsed.columns):
            return
        for row in parsed.rows:
            where = Where(row.line, unit_file=True)
            if self.broken(where, row.cells.values()):
                continue
            code, name = row.cells["code"], " ".join(row.cells["name"].split())
            if not code:
                self.problem(where, _("The unit's code is missing."))
                continue
            if not name:
                # Declared with an empty name (not None), so that it is said once.
                self.problem(where, _("The name of unit %(code)s is missing.") % {"code": code})
            if code in self.declared and self.declared[code].where.unit_file:
                self.problem(
                    where,
                    _("The unit %(code)s appears more than once (also on %(where)s).")
                    % {"code": code, "where": self.declared[code].where},
                )
                continue
            kind = self.kind_of(where, row.cells.get("kind", ""))
            self.declare(Declared(code, name, row.cells["parent"] or None, kind, where))

    # Checking -------------------------------------------------------------------------

    def check_units(self) -> None:
        for unit in self.declared.values():
            if len(unit.code) > CODE_MAX:
                self.problem(
                    unit.where,
                    _("The unit code %(code)s is too long (at most %(limit)s characters).")
                    % {"code": unit.code, "limit": CODE_MAX},
                )
            if "/" in unit.code:
                self.problem(
                    unit.where,
                    _("The unit code %(code)s contains “/”, which a code cannot.")
                    % {"code": unit.code},
                )
            if unit.name is not None and len(unit.name) > NAME_MAX:
                self.problem(
                    unit.where,
                    _("The name of unit %(code)s is too long (at most %(limit)s characters).")
                    % {"code": unit.code, "limit": NAME_MAX},
                )
            if unit.name is None and unit.code not in self.by_code:
                self.problem(
                    unit.where,
                    _("The unit %(code)s is new: give its name.") % {"code": unit.code},
                )
            if (
                unit.parent is not None
                and unit.parent not in self.declared
                and unit.parent not in self.by_code
            ):
                self.problem(
                    unit.where,
                    _(
                        "The parent unit %(parent)s of %(code)s is unknown: it is neither in "
                        "the file nor in the portal."
                    )
                    % {"parent": unit.parent, "code": unit.code},
                )

    def final_parents(self) -> dict[str, str | None]:
        """Every unit's parent code as the tree will be (unknown parents left out)."""
        by_id = self.departments.by_id
        parents: dict[str, str | None] = {}
        for department in self.existing:
            parent = by_id.get(department.parent_id)
            parents[department.code] = parent.code if parent is not None else None
        for code, unit in self.declared.items():
            known = (
                unit.parent is None or unit.parent in self.declared or (unit.parent in self.by_code)
            )
            parents[code] = unit.parent if known else None
        return parents

    def check_loops(self, parents: dict[str, str | None]) -> None:
        """Parent codes in a loop (also a unit moved under its own sub-unit): each
        described member's line gets the problem."""
        state: dict[str, int] = {}  # 1: on the current walk, 2: done
        for start in parents:
            walk: list[str] = []
            current: str | None = start
            while current is not None and current not in state:
                state[current] = 1
                walk.append(current)
                current = parents.get(current)
            if current is not None and state[current] == 1:
                loop = walk[walk.index(current) :]
                shown = " → ".join([*loop, loop[0]])
                for member in loop:
                    if member in self.declared:
                        self.problem(
                            self.declared[member].where,
                            _(
                                "The parent units form a loop: %(loop)s. A unit cannot be part "
                                "of itself or of one of its own units."
                            )
                            % {"loop": shown},
                        )
            for member in walk:
                state[member] = 2
