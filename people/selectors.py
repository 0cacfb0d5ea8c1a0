"""Shared reads about people and the organisation. Other apps use these."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from people.models import Department, Employee
from people.roles import GRANTED_ROLES, MFA_ROLES, Role


def roles_of(user: Employee | AnonymousUser) -> set[str]:
    """The roles a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    roles = {Role.EMPLOYEE}
    roles.update(
        name for name in user.groups.values_list("name", flat=True) if name in GRANTED_ROLES
    )
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    if user.reports.filter(is_active=True).exists():
        roles.add(Role.MANAGER)
    user._portal_roles = roles
    return roles


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def must_use_two_factor(user) -> bool:
    return bool(roles_of(user) & set(MFA_ROLES))


def team_of(manager: Employee) -> QuerySet[Employee]:
    """Everyone who reports to the manager, directly or indirectly.

    One query per level of the hierarchy (a handful), not per person.
    """
    found: set[int] = set()
    frontier = [manager.pk]
    while frontier:
        frontier = [
            pk
            for pk in Employee.objects.filter(manager_id__in=frontier).values_list("pk", flat=True)
            if pk not in found and pk != manager.pk
        ]
        found.update(frontier)
    return Employee.objects.filter(pk__in=found)


def can_view_employee(viewer: Employee, employee: Employee) -> bool:
    """An employee sees only themselves; managers their team; HR and auditors all."""
    if viewer.pk == employee.pk:
        return True
    if viewer.has_perm("people.view_all_employees"):
        return True
    if has_role(viewer, Role.MANAGER):
        return team_of(viewer).filter(pk=employee.pk).exists()
    return False


def department_subtree(department: Department) -> QuerySet[Department]:
    """The department and everything below it (one indexed prefix query)."""
    return Department.objects.filter(path__startswith=department.path)
