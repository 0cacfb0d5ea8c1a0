"""The staff import from the HR system (Youforce, AFAS and the like).

A CSV file with a row per employee, keyed by the employee number (personeelsnummer):
``parsing`` reads it, ``planning`` checks every row (``checking``) and works out what
would change (the ``plan``; the organisation's units: ``tree``), ``applying`` writes that
in bulk. people.services.import_staff
runs the three in one transaction, logs the run (StaffImport) and welcomes the new people.
"""

from people.staff_import.applying import apply_plan
from people.staff_import.parsing import COLUMNS, Problem
from people.staff_import.plan import (
    CHANGED,
    KINDS,
    LEAVING,
    NEW,
    REACTIVATED,
    UNCHANGED,
    Entry,
    FieldChange,
    Plan,
    field_label,
)
from people.staff_import.planning import build_plan
from people.staff_import.tree import UNIT_KINDS, TreePlan, UnitChange, unit_label

__all__ = [
    "CHANGED",
    "COLUMNS",
    "KINDS",
    "LEAVING",
    "NEW",
    "REACTIVATED",
    "UNCHANGED",
    "Entry",
    "FieldChange",
    "Plan",
    "Problem",
    "TreePlan",
    "UNIT_KINDS",
    "UnitChange",
    "apply_plan",
    "build_plan",
    "field_label",
    "unit_label",
]
