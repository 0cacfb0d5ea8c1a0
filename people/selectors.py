"""Shared reads about people and the organisation. Other apps use these."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Model, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from people.models import Department, Employee, ObjectRoleGrant
from people.roles import GRANTED_ROLES, MFA_ROLES, SCOPED_HR_PERMISSIONS, Role


def roles_of(*, user: Employee | AnonymousUser) -> set[str]:
    """The roles a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached: set[str] | None = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = {Role.EMPLOYEE}
    # The roles held on one object come with the groups in the same query: they count
    # for the second factor (must_use_two_factor), never as the role itself.
    on_objects = (
        ObjectRoleGrant.objects.filter(employee_id=user.pk)
        .order_by()
        .annotate(marked=Concat(Value(_ON_OBJECT), "role", output_field=CharField()))
        .values_list("marked", flat=True)
    )
    object_roles: set[str] = set()
    for name in user.groups.order_by().values_list("name", flat=True).union(on_objects):
        if name.startswith(_ON_OBJECT):
            object_roles.add(name.removeprefix(_ON_OBJECT))
        elif name in GRANTED_ROLES:
            roles.add(name)
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    if user.reports.filter(is_active=True).exists():
        roles.add(Role.MANAGER)
    user._portal_roles = roles
    user._portal_object_roles = object_roles
    return roles


_ON_OBJECT = "object:"  # no group's name of a role starts so


def has_role(*, user: Employee | AnonymousUser, role: str) -> bool:
    return role in roles_of(user=user)


def object_roles_of(*, user: Employee | AnonymousUser) -> set[str]:
    """The roles a user holds on some object (people.ObjectRoleGrant), whichever: cached
    with roles_of, so that a page can tell in no extra query that someone holds none."""
    roles_of(user=user)
    object_roles: set[str] = getattr(user, "_portal_object_roles", set())
    return object_roles


def must_use_two_factor(*, user: Employee | AnonymousUser) -> bool:
    """A privileged role (MFA_ROLES), also on one object only, or staff: the admin site
    is theirs."""
    if roles_of(user=user) & set(MFA_ROLES):
        return True
    if getattr(user, "_portal_object_roles", set()) & set(MFA_ROLES):
        return True
    return bool(getattr(user, "is_staff", False))


def team_of(*, manager: Employee) -> QuerySet[Employee]:
    """Everyone who reports to the manager, directly or indirectly.

    A lazy query: the hierarchy is walked by the database (a recursive query inside the
    filter), so that a team page costs the same number of queries however deep the
    organisation is. UNION, not UNION ALL: a loop in the manager data ends the walk.
    """
    table = connection.ops.quote_name(Employee._meta.db_table)
    recursive = (
        f"WITH RECURSIVE reports(id) AS ("  # noqa: S608 - the table name is ours
        f"SELECT id FROM {table} WHERE manager_id = %s "
        f"UNION SELECT e.id FROM {table} e JOIN reports r ON e.manager_id = r.id"
        f") SELECT id FROM reports"
    )
    if connection.vendor == "postgresql":
        # PostgreSQL cannot estimate a recursive query and guesses tens of thousands of
        # rows, then scans every assignment. Through an array (worked out once) it
        # expects a handful and uses the indexes.
        recursive = f"SELECT unnest(ARRAY({recursive}))"
    walk = RawSQL(recursive, [manager.pk])  # noqa: S611 - fixed SQL, the manager as a parameter
    return Employee.objects.filter(pk__in=walk).exclude(pk=manager.pk)


def search_employees(*, employees: QuerySet[Employee], words: list[str]) -> QuerySet[Employee]:
    """The employees that every word matches somewhere (so "jan jansen" finds Jan
    Jansen), by name, e-mail, employee number or department, in list order."""
    for term in words:
        employees = employees.filter(
            Q(first_name__icontains=term)
            | Q(name_prefix__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(employee_number__iexact=term)
            | Q(department__name__icontains=term)
        )
    return employees.order_by("last_name", "first_name", "pk")


def can_view_employee(*, viewer: Employee, employee: Employee) -> bool:
    """An employee sees only themselves; managers their team; HR and auditors all; an
    HR adviser the people of their part of the organisation (scope_of)."""
    if viewer.pk == employee.pk:
        return True
    scope = scope_of(user=viewer, perm="people.view_all_employees")
    if scope is not None and scope.covers_employee(employee=employee):
        return True
    if has_role(user=viewer, role=Role.MANAGER):
        return team_of(manager=viewer).filter(pk=employee.pk).exists()
    return False


def department_subtree(*, department: Department) -> QuerySet[Department]:
    """The department and everything below it (one indexed prefix query)."""
    return Department.objects.filter(path__startswith=department.path)


# Roles on one object (people.ObjectRoleGrant) -------------------------------------------


def _grants_on(*, user: Employee, role: str, model: type[Model]) -> QuerySet[ObjectRoleGrant]:
    return ObjectRoleGrant.objects.filter(
        employee=user,
        role=role,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
    )


def holds_object_role(*, user: Employee | AnonymousUser, role: str, target: Model) -> bool:
    """Whether an active user holds ``role`` on ``target`` itself (not globally)."""
    if not isinstance(user, Employee) or not user.is_active or target.pk is None:
        return False
    return _grants_on(user=user, role=role, model=type(target)).filter(object_id=target.pk).exists()


def objects_with_role[M: Model](
    *, user: Employee | AnonymousUser, role: str, model: type[M]
) -> QuerySet[M]:
    """The objects of ``model`` on which the user holds ``role`` ("the guidelines I
    edit"): one query, the grants a subquery."""
    manager = model._default_manager
    if not isinstance(user, Employee) or not user.is_active:
        return manager.none()
    granted = _grants_on(user=user, role=role, model=model).values("object_id")
    return manager.filter(pk__in=granted)


# The part of the organisation someone acts on (an HR adviser of a directorate) ---------


@dataclass(frozen=True)
class Scope:
    """The part of the organisation a user acts on with one permission: all of it
    (``paths`` None: central HR, auditors) or the subtrees under some departments (an HR
    adviser holding the HR role on those departments, people.ObjectRoleGrant). Filters
    are materialised-path prefixes, so a scope of any depth costs no extra query."""

    paths: tuple[str, ...] | None

    @property
    def everything(self) -> bool:
        return self.paths is None

    def q(self, *, department_field: str = "department") -> Q:
        """A filter for rows whose department (``department_field``: a foreign key to
        people.Department, e.g. "employee__department") lies in the scope. Rows without
        a department lie only in the whole organisation."""
        if self.paths is None:
            return Q()
        query = Q(pk__in=[])
        for path in self.paths:
            query |= Q(**{f"{department_field}__path__startswith": path})
        return query

    def departments(self) -> QuerySet[Department]:
        """The departments in the scope (every one for the whole organisation)."""
        if self.paths is None:
            return Department.objects.all()
        query = Q(pk__in=[])
        for path in self.paths:
            query |= Q(path__startswith=path)
        return Department.objects.filter(query)

    def covers(self, *, department: Department | None) -> bool:
        """Whether a department (None: someone without one) lies in the scope."""
        if self.paths is None:
            return True
        return department is not None and department.path.startswith(self.paths)

    def covers_employee(self, *, employee: Employee) -> bool:
        return self.covers(department=employee.department)


EVERYTHING = Scope(paths=None)


def scope_of(*, user: Employee | AnonymousUser, perm: str) -> Scope | None:
    """Where ``user`` may use ``perm`` ("campaigns.view_campaign_dashboard"): everywhere
    (the global permission, through a role's group), under the departments on which they
    hold the HR role (when that role held on a department gives ``perm``,
    people.roles.SCOPED_HR_PERMISSIONS), or nowhere (None: the page answers 403).

    Cached on the user for the request; someone who holds no role on any object is
    answered without asking the grants."""
    if not isinstance(user, Employee) or not user.is_active:
        return None
    if user.has_perm(perm):
        return EVERYTHING
    if Role.HR not in object_roles_of(user=user) or perm not in SCOPED_HR_PERMISSIONS:
        return None
    # The departments are the same whatever the permission: read once per request.
    if "_portal_scopes" not in user.__dict__:
        paths = tuple(
            sorted(
                objects_with_role(user=user, role=Role.HR, model=Department).values_list(
                    "path", flat=True
                )
            )
        )
        user.__dict__["_portal_scopes"] = Scope(paths=paths) if paths else None
    scope: Scope | None = user.__dict__["_portal_scopes"]
    return scope
