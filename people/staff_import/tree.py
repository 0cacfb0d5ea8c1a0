"""The organisation tree from the HR file: the units the files describe, checked, and
what the import does with the departments (new, renamed, moved, other kind, closed,
reopened). ``planning`` asks it which department each row's person belongs to;
``applying`` writes its changes before the people's.

A file names units in one of three ways (the ``layout``):

- ``paths``: a path of names per person, "Directie Ruimte/Afdeling Vergunningen", any
  depth (column ``afdelingspad``). Each level is a unit. A unit is found by its path of
  names; a new one gets a code derived from that path ("P-" and 12 hex digits of its
  SHA-256), so the same path gives the same unit in every import. With paths alone a
  unit has no identity but its path: a renamed or moved unit is a new unit, and (in a
  full export) the old one is closed; the dry run says so.
- ``codes``: per person the unit's code (column ``afdeling``), its parent's code, its
  name and optionally its kind (``bovenliggende_afdeling``, ``afdelingsnaam``,
  ``soort_afdeling``). Codes are stable: a new name is a rename, a new parent a move.
- ``unit_file``: a separate organisation-unit file (code, parent code, name, optional
  kind), a row per unit, as HR systems export it; the staff file gives each person's
  unit code in ``afdeling``.

Without any of these (``lookup``) the ``afdeling`` column names existing departments by
code, path or unique name, as before; a path there that does not exist yet is created
as with ``paths`` (so a first import into an empty portal works), but such a file does
not describe the whole tree and closes nothing.

The kind of a unit comes from the kind column (``KIND_WORDS``), else, for a new unit,
from its depth (``KIND_BY_DEPTH``: directie, afdeling, team, then eenheid); an existing
unit keeps its kind unless the file gives one. Departments are never deleted: in a full
export that describes the tree (``paths``, ``codes``, ``unit_file``), an open unit that
the files do not name (as a unit, as a parent of one, or as a person's unit) is closed
(``closed_on``); a closed unit that a file names again is reopened. Moving a unit
rewrites the materialised path of it and its whole subtree.

Every problem (a code with two names or two parents, an unknown parent code, parent
codes in a loop, a unit moved under its own sub-unit, a code or name too long) is
reported with its line; the unit file's problems say "Unit file, line N".
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

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

PATHS = "paths"
CODES = "codes"
UNIT_FILE = "unit_file"
LOOKUP = "lookup"

# What happens to a unit (one unit can be renamed, moved and reopened at once).
NEW = "new"
RENAMED = "renamed"
MOVED = "moved"
RETYPED = "retyped"
CLOSED = "closed"
REOPENED = "reopened"
UNIT_KINDS = (NEW, RENAMED, MOVED, RETYPED, CLOSED, REOPENED)

KIND = Department.Kind
# The kind of a new unit whose kind the file does not give, by its depth (1: the top).
KIND_BY_DEPTH = {1: KIND.DIRECTORATE, 2: KIND.DEPARTMENT, 3: KIND.TEAM}
DEEPER_KIND = KIND.UNIT
KIND_WORDS = {
    "directie": KIND.DIRECTORATE,
    "directoraat": KIND.DIRECTORATE,
    "directorate": KIND.DIRECTORATE,
    "afdeling": KIND.DEPARTMENT,
    "department": KIND.DEPARTMENT,
    "team": KIND.TEAM,
    "eenheid": KIND.UNIT,
    "organisatie_eenheid": KIND.UNIT,
    "organisatieeenheid": KIND.UNIT,
    "unit": KIND.UNIT,
}
DERIVED_PREFIX = "P-"
CODE_MAX = Department._meta.get_field("code").max_length
NAME_MAX = Department._meta.get_field("name").max_length
PATH_MAX = Department._meta.get_field("path").max_length
DEPARTMENT_FIELDS = ("id", "code", "name", "kind", "parent", "path", "closed_on")


def kind_for_depth(depth: int) -> str:
    return KIND_BY_DEPTH.get(depth, DEEPER_KIND)


def key_of(text: str) -> str:
    return " ".join(text.split()).casefold()


def derived_code(name_path: list[str]) -> str:
    """The code of a unit known by its path of names only: the same path (ignoring case
    and spaces) gives the same code. 14 characters, within Department.code."""
    key = "/".join(key_of(name) for name in name_path)
    return DERIVED_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:12].upper()


@dataclass
class Where:
    """Where a unit is described: a line of the staff file or of the unit file."""

    line: int
    unit_file: bool = False

    def problem(self, message: str) -> Problem:
        if self.unit_file:
            return Problem(
                None,
                _("Unit file, line %(line)s: %(reason)s") % {"line": self.line, "reason": message},
            )
        return Problem(self.line, message)

    def __str__(self) -> str:
        if self.unit_file:
            return _("line %(line)s of the unit file") % {"line": self.line}
        return _("line %(line)s") % {"line": self.line}


@dataclass
class Declared:
    """A unit as the files describe it. ``name`` or ``kind`` None: not given."""

    code: str
    name: str | None
    parent: str | None  # the parent's code; None: at the top
    kind: str | None
    where: Where


@dataclass
class UnitChange:
    """One thing the import does with one unit, in words for the dry run and the log."""

    change: str  # one of UNIT_KINDS
    code: str
    name: str
    old: str = ""
    new: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        logged = {"code": self.code, "name": self.name, "old": self.old, "new": self.new}
        if self.note:
            logged["note"] = self.note
        return logged


@dataclass
class TreePlan:
    layout: str
    describes_tree: bool
    full: bool
    changes: list[UnitChange] = field(default_factory=list)
    created: list[list[Department]] = field(default_factory=list)  # per depth, top first
    updated: list[Department] = field(default_factory=list)
    unit_of_line: dict[int, Department | None] = field(default_factory=dict)
    complete: bool = True  # False: the units have problems; nothing is worked out

    def of_kind(self, change: str) -> list[UnitChange]:
        return [unit for unit in self.changes if unit.change == change]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(UNIT_KINDS, 0)
        for unit in self.changes:
            counts[unit.change] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def paths_only(self) -> bool:
        """Units known by their paths only: a renamed or moved unit is new plus closed."""
        return self.layout == PATHS or (self.layout == LOOKUP and bool(self.of_kind(NEW)))

    def as_log(self) -> dict:
        logged: dict[str, object] = {"layout": self.layout}
        for change in UNIT_KINDS:
            logged[change] = [unit.as_dict() for unit in self.of_kind(change)]
        return logged


def unit_label(change: str) -> str:
    return {
        NEW: _("New units"),
        RENAMED: _("Renamed units"),
        MOVED: _("Moved units"),
        RETYPED: _("Units of another kind"),
        CLOSED: _("Closed units"),
        REOPENED: _("Reopened units"),
    }[change]


def load_departments(*, lock: bool) -> list[Department]:
    departments = Department.objects.only(*DEPARTMENT_FIELDS).order_by("pk")
    if lock:
        departments = departments.select_for_update()
    return list(departments)


class Departments:
    """Finds an existing department by its code, by its path of names ("Directie
    Ruimte/Afdeling Vergunningen") or codes ("DIR-RUI/AFD-VERG"), or by a name that is
    unique."""

    def __init__(self, departments: list[Department]):
        self.by_id = {d.pk: d for d in departments}
        self.by_code = {d.code: d for d in departments}
        self.codes = {key_of(d.code): d for d in departments}
        self.paths: dict[str, Department] = {}
        self.names: dict[str, list[Department]] = {}
        self.name_paths: dict[str, Department] = {}
        for department in departments:
            codes = [code for code in department.path.strip("/").split("/") if code]
            self.paths["/".join(key_of(code) for code in codes)] = department
            if all(code in self.by_code for code in codes):
                names = "/".join(key_of(self.by_code[code].name) for code in codes)
                self.paths.setdefault(names, department)
                self.name_paths.setdefault(names, department)
            self.names.setdefault(key_of(department.name), []).append(department)

    def find(self, value: str) -> tuple[Department | None, str | None]:
        """The department, or None and why not."""
        found = self.by_code.get(value) or self.codes.get(key_of(value))
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
            "There is no department “%(value)s”: give its code, or its whole path such as "
            "“Directie Ruimte/Afdeling Vergunningen” (a path creates the units it names)."
        ) % {"value": value}


def show_department(department: Department | None) -> str:
    return f"{department.name} ({department.code})" if department is not None else ""


class TreeBuilder:
    """Reads the units the files describe, checks them and works out the changes."""

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

    # The changes ------------------------------------------------------------------------

    def build(self, layout: str) -> TreePlan:
        tree = TreePlan(layout=layout, describes_tree=layout != LOOKUP, full=self.full)
        before = len(self.problems)
        if layout == UNIT_FILE:
            self.read_unit_file()
        self.read_staff_rows(layout)
        self.check_units()
        parents = self.final_parents()
        self.check_loops(parents)
        if len(self.problems) > before:
            # Refused: the people's rows keep the units that exist (nothing is applied).
            tree.complete = False
            for line, code in self.line_codes.items():
                tree.unit_of_line[line] = self.by_code.get(code) if code else None
            return tree
        paths: dict[str, str] = {}

        def path_of(code: str) -> str:
            # Iterative: six levels happen, thousands would not overflow either.
            chain: list[str] = []
            current: str | None = code
            while current is not None and current not in paths:
                chain.append(current)
                current = parents.get(current)
            prefix = paths[current] if current is not None else "/"
            for member in reversed(chain):
                prefix = paths[member] = f"{prefix}{member}/"
            return paths[code]

        for code in parents:
            if len(path_of(code)) > PATH_MAX:
                where = self.declared[code].where if code in self.declared else Where(1)
                self.problem(
                    where,
                    _("The unit %(code)s lies too deep: its path is longer than %(limit)s.")
                    % {"code": code, "limit": PATH_MAX},
                )
                tree.complete = False
                return tree
        self.plan_changes(tree, parents, paths)
        for line, code in self.line_codes.items():
            tree.unit_of_line[line] = (
                None if code is None else self.by_code.get(code) or self.new_units.get(code)
            )
        return tree

    def names_of(self, code: str | None, parents, names: dict[str, str]) -> str:
        shown: list[str] = []
        while code is not None:
            shown.append(names.get(code, code))
            code = parents.get(code)
        return " / ".join(reversed(shown)) if shown else _("the top")

    def plan_changes(self, tree: TreePlan, parents: dict, paths: dict[str, str]) -> None:
        old_names = {d.code: d.name for d in self.existing}
        by_id = self.departments.by_id
        old_parents = {
            d.code: (by_id[d.parent_id].code if d.parent_id in by_id else None)
            for d in self.existing
        }
        new_names = dict(old_names)
        for code, unit in self.declared.items():
            if unit.name is not None:
                new_names[code] = unit.name
        # Open afterwards: every unit named (as a unit, a parent or a person's unit) and
        # the units above it.
        named = set(self.declared) | {code for code in self.line_codes.values() if code}
        open_after: set[str] = set()
        for code in named:
            current: str | None = code
            while current is not None and current not in open_after:
                open_after.add(current)
                current = parents.get(current)

        # New units, top first, so that each level's parents have keys when it is made.
        levels: dict[int, list[Department]] = {}
        for code, unit in self.declared.items():
            if code in self.by_code:
                continue
            depth = paths[code].count("/") - 1
            department = Department(
                code=code,
                name=unit.name or code,
                kind=unit.kind or kind_for_depth(depth),
                path=paths[code],
            )
            self.new_units[code] = department
            levels.setdefault(depth, []).append(department)
            tree.changes.append(
                UnitChange(
                    NEW,
                    code,
                    department.name,
                    new=self.names_of(code, parents, new_names),
                )
            )
        for code, department in self.new_units.items():
            parent = parents[code]
            if parent is not None:
                department.parent = self.by_code.get(parent) or self.new_units[parent]
        tree.created = [levels[depth] for depth in sorted(levels)]

        for department in self.existing:
            code = department.code
            unit = self.declared.get(code)
            dirty = False
            if unit is not None and unit.name is not None and unit.name != department.name:
                tree.changes.append(
                    UnitChange(RENAMED, code, unit.name, old=department.name, new=unit.name)
                )
                department.name = unit.name
                dirty = True
            if parents[code] != old_parents[code]:
                tree.changes.append(
                    UnitChange(
                        MOVED,
                        code,
                        new_names[code],
                        old=self.names_of(old_parents[code], old_parents, old_names),
                        new=self.names_of(parents[code], parents, new_names),
                    )
                )
                parent = parents[code]
                department.parent = (
                    None if parent is None else self.by_code.get(parent) or self.new_units[parent]
                )
                dirty = True
            if unit is not None and unit.kind is not None and unit.kind != department.kind:
                tree.changes.append(
                    UnitChange(
                        RETYPED,
                        code,
                        new_names[code],
                        old=str(KIND(department.kind).label)
                        if department.kind in KIND.values
                        else department.kind,
                        new=str(KIND(unit.kind).label),
                    )
                )
                department.kind = unit.kind
                dirty = True
            if department.closed_on is not None and code in open_after:
                tree.changes.append(
                    UnitChange(REOPENED, code, new_names[code], old=str(department.closed_on))
                )
                department.closed_on = None
                dirty = True
            elif (
                department.closed_on is None
                and tree.describes_tree
                and self.full
                and code not in open_after
            ):
                tree.changes.append(
                    UnitChange(
                        CLOSED,
                        code,
                        department.name,
                        old=self.names_of(code, old_parents, old_names),
                    )
                )
                department.closed_on = self.today
                dirty = True
            if paths[code] != department.path:
                department.path = paths[code]
                dirty = True
            if dirty:
                tree.updated.append(department)
        if tree.paths_only:
            self.note_changed_paths(tree)

    def note_changed_paths(self, tree: TreePlan) -> None:
        """With paths alone a renamed or moved unit is a new one and a closed one: say
        so beside each closed unit that has a namesake among the new ones."""
        new_by_name: dict[str, list[UnitChange]] = {}
        for unit in tree.of_kind(NEW):
            new_by_name.setdefault(key_of(unit.name), []).append(unit)
        for unit in tree.of_kind(CLOSED):
            namesakes = new_by_name.get(key_of(unit.name))
            if namesakes:
                unit.note = _(
                    "Moved to “%(path)s”? With paths alone the portal cannot tell: the new "
                    "path is a new unit and this one is closed. Its people move with the "
                    "file; its history stays here."
                ) % {"path": namesakes[0].new}


def build_tree(
    *,
    parsed: ParsedFile,
    units: bytes | None,
    existing: list[Department],
    full: bool,
    today: datetime.date,
    problems: list[Problem],
) -> TreePlan | None:
    """The tree's plan for the files (None: the staff file names no units at all, or the
    layout itself is a problem, which is then in ``problems``)."""
    builder = TreeBuilder(
        parsed=parsed, units=units, existing=existing, full=full, today=today, problems=problems
    )
    columns = set(parsed.columns)
    if units is None and not columns & {
        "department",
        "department_path",
        "department_name",
        "department_parent",
        "department_kind",
    }:
        return None
    layout = builder.layout()
    if layout is None:
        return None
    return builder.build(layout)
