"""The units of the organisation tree as the import sees them: the kinds of change,
the kind by depth, codes derived from paths, where a problem is, and the departments
already there."""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from people.models import Department
from people.staff_import.parsing import (
    Problem,
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
