"""Writing a plan: in bulk, a fixed number of queries per 500 people (and per level of
new units).

The caller holds the transaction (people.services.import_staff): all or nothing.
"""

from __future__ import annotations

from people.models import Department, Employee
from people.staff_import.plan import KEEP, NEW, Plan
from people.staff_import.tree import TreePlan

BATCH_SIZE = 500


def apply_plan(plan: Plan) -> list[Employee]:
    """Update the changed people, add the new ones, then link managers; returns the
    people added. A plan with problems is never applied."""
    if plan.problems:
        raise ValueError("A plan with problems cannot be applied.")
    if plan.tree is not None:
        apply_tree(plan.tree)
    updated = [entry for entry in plan.entries if entry.kind != NEW and entry.dirty - {"manager"}]
    fields = sorted(set().union(*(entry.dirty for entry in updated)) - {"manager"})
    if "email" in fields:
        _free_addresses_that_move(plan)
    if updated:
        Employee.objects.bulk_update(
            [entry.employee for entry in updated], fields, batch_size=BATCH_SIZE
        )
    added = [entry.employee for entry in plan.entries if entry.kind == NEW]
    Employee.objects.bulk_create(added, batch_size=BATCH_SIZE)
    _link_managers(plan, added)
    return added


def _free_addresses_that_move(plan: Plan) -> None:
    """Two people who swap addresses (or one who takes the address another gives up)
    would trip the unique constraint half-way: park the moving addresses first."""
    movers = [entry for entry in plan.entries if entry.kind != NEW and "email" in entry.dirty]
    given_up = {entry.previous_email.lower() for entry in movers}
    if not any(entry.employee.email in given_up for entry in movers):
        return
    parked = [
        Employee(pk=entry.employee.pk, email=f"staff-import-{entry.employee.pk}@invalid.invalid")
        for entry in movers
    ]
    Employee.objects.bulk_update(parked, ["email"], batch_size=BATCH_SIZE)


def _link_managers(plan: Plan, added: list[Employee]) -> None:
    pk_by_number = dict(plan.pk_by_number)
    pk_by_number.update((employee.employee_number, employee.pk) for employee in added)
    relinked = []
    for entry in plan.entries:
        if entry.manager_number is KEEP:
            continue
        wanted = pk_by_number[entry.manager_number] if entry.manager_number else None
        if entry.employee.manager_id != wanted:
            entry.employee.manager_id = wanted
            relinked.append(entry.employee)
    if relinked:
        Employee.objects.bulk_update(relinked, ["manager"], batch_size=BATCH_SIZE)


TREE_FIELDS = ["name", "kind", "parent", "path", "closed_on"]


def apply_tree(tree: TreePlan) -> None:
    """Create the new units level by level (a level's parents have keys by then), then
    write every changed unit at once: names, kinds, parents, closing and reopening, and
    the materialised paths of moved units and of their whole subtrees. People's rows
    that name a new unit get its key when they are written (Django takes the key of a
    related object saved in the meantime)."""
    for level in tree.created:
        Department.objects.bulk_create(level, batch_size=BATCH_SIZE)
    if tree.updated:
        Department.objects.bulk_update(tree.updated, TREE_FIELDS, batch_size=BATCH_SIZE)
