"""Whom a guideline applies to, read both ways: the guidelines of one employee
(guidelines_for, for the handbook's list) and the employees of one guideline
(audience_of, for campaigns). Each is one query, however many guidelines and
departments there are.

A department in the audience covers its own employees and, with
include_subdepartments, everyone in its subtree: a department whose materialised path
(people.Department.path, "/DIR/AFD/TEAM/") starts with the chosen department's path.
The roles are worked out in SQL by the rules of people.selectors.roles_of: everyone is
an employee; HR, editor, auditor and administrator are groups (a superuser is an
administrator too); a manager is whoever has an active report.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.db.models.lookups import Exact

from handbook.models import AudienceDepartment, AudienceRole, Guideline
from people.models import Department, Employee
from people.roles import GRANTED_ROLES, Role

_Memberships = Employee.groups.through


def _within(path: F | OuterRef, ancestor: F | OuterRef) -> Exact:
    """``path`` lies in the subtree of ``ancestor`` (a case-sensitive prefix test on
    both databases, unlike LIKE on SQLite)."""
    return Exact(Substr(path, 1, Length(ancestor)), ancestor)


def guidelines_for(*, employee: Employee) -> QuerySet[Guideline]:
    """The guidelines whose audience includes this employee: one query."""
    rows = AudienceDepartment.objects.filter(guideline=OuterRef("pk"))
    if employee.department_id is None:
        in_departments = Q(pk__in=[])
    else:
        own = Department.objects.filter(pk=employee.department_id)
        in_departments = Q(
            Exists(
                rows.filter(
                    Q(department_id=employee.department_id)
                    | Q(include_subdepartments=True)
                    & Q(Exists(own.filter(_within(F("path"), OuterRef("department__path")))))
                )
            )
        )
    held = Q(role=Role.EMPLOYEE) | Q(
        role__in=_Memberships.objects.filter(
            employee_id=employee.pk, group__name__in=GRANTED_ROLES
        ).values("group__name")
    )
    if employee.is_superuser:
        held |= Q(role=Role.ADMINISTRATOR)
    held |= Q(role=Role.MANAGER) & Q(
        Exists(Employee.objects.filter(manager_id=employee.pk, is_active=True))
    )
    in_roles = Q(Exists(AudienceRole.objects.filter(held, guideline=OuterRef("pk"))))
    return Guideline.objects.filter(
        Q(audience=Guideline.Audience.EVERYONE)
        | Q(audience=Guideline.Audience.DEPARTMENTS) & in_departments
        | Q(audience=Guideline.Audience.ROLES) & in_roles
    )


def audience_of(*, guideline: Guideline) -> QuerySet[Employee]:
    """The active employees the guideline applies to: one query."""
    active = Employee.objects.filter(is_active=True)
    if guideline.audience == Guideline.Audience.EVERYONE:
        return active
    if guideline.audience == Guideline.Audience.DEPARTMENTS:
        rows = AudienceDepartment.objects.filter(guideline_id=guideline.pk)
        return active.filter(
            Exists(
                rows.filter(
                    Q(department_id=OuterRef("department_id"))
                    | Q(include_subdepartments=True)
                    & Q(_within(OuterRef("department__path"), F("department__path")))
                )
            )
        )
    if guideline.audience == Guideline.Audience.ROLES:
        roles = AudienceRole.objects.filter(guideline_id=guideline.pk)
        return active.filter(
            Q(Exists(roles.filter(role=Role.EMPLOYEE)))
            | Q(
                Exists(
                    _Memberships.objects.filter(
                        employee_id=OuterRef("pk"),
                        group__name__in=roles.filter(role__in=GRANTED_ROLES).values("role"),
                    )
                )
            )
            | Q(is_superuser=True) & Q(Exists(roles.filter(role=Role.ADMINISTRATOR)))
            | Q(Exists(Employee.objects.filter(manager_id=OuterRef("pk"), is_active=True)))
            & Q(Exists(roles.filter(role=Role.MANAGER)))
        )
    return active.none()
