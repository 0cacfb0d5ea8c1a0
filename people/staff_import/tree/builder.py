"""Working out what the import does with the departments: new, renamed, moved, other
kind, closed and reopened units, and the tree's plan."""

import datetime

from django.utils.translation import gettext as _

from people.models import Department
from people.staff_import.parsing import (
    ParsedFile,
    Problem,
)
from people.staff_import.tree.reading import TreeReader
from people.staff_import.tree.units import (
    CLOSED,
    KIND,
    LOOKUP,
    MOVED,
    NEW,
    PATH_MAX,
    RENAMED,
    REOPENED,
    RETYPED,
    UNIT_FILE,
    TreePlan,
    UnitChange,
    Where,
    key_of,
    kind_for_depth,
)


class TreeBuilder(TreeReader):
    """Works out the changes of the units TreeReader read."""

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
