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

from people.staff_import.tree.builder import TreeBuilder, build_tree
from people.staff_import.tree.reading import TreeReader
from people.staff_import.tree.units import (
    CLOSED,
    CODE_MAX,
    CODES,
    DEEPER_KIND,
    DEPARTMENT_FIELDS,
    DERIVED_PREFIX,
    KIND,
    KIND_BY_DEPTH,
    KIND_WORDS,
    LOOKUP,
    MOVED,
    NAME_MAX,
    NEW,
    PATH_MAX,
    PATHS,
    RENAMED,
    REOPENED,
    RETYPED,
    UNIT_FILE,
    UNIT_KINDS,
    Declared,
    Departments,
    TreePlan,
    UnitChange,
    Where,
    derived_code,
    key_of,
    kind_for_depth,
    load_departments,
    show_department,
    unit_label,
)

__all__ = [
    "TreeBuilder",
    "TreeReader",
    "build_tree",
    "PATHS",
    "CODES",
    "UNIT_FILE",
    "LOOKUP",
    "NEW",
    "RENAMED",
    "MOVED",
    "RETYPED",
    "CLOSED",
    "REOPENED",
    "UNIT_KINDS",
    "KIND",
    "KIND_BY_DEPTH",
    "DEEPER_KIND",
    "KIND_WORDS",
    "DERIVED_PREFIX",
    "CODE_MAX",
    "NAME_MAX",
    "PATH_MAX",
    "DEPARTMENT_FIELDS",
    "kind_for_depth",
    "key_of",
    "derived_code",
    "Where",
    "Declared",
    "UnitChange",
    "TreePlan",
    "unit_label",
    "load_departments",
    "Departments",
    "show_department",
]
