"""Whom a guideline applies to: guidelines_for (an employee's guidelines) and audience_of
(a guideline's employees) agree, follow the department tree and the roles, and each
costs one query however many guidelines and departments there are."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from handbook.models import AudienceRole, Guideline, HandbookEvent
from handbook.selectors.audience import audience_of, guidelines_for
from handbook.services.guidelines import DepartmentInAudience, update_guideline_audience
from handbook.tests.factories import GuidelineFactory
from people import services as people_services
from people.models import Department
from people.roles import Role
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Directorate SD > department AFD > team TEAM, and a separate directorate OTHER."""
    sd = DepartmentFactory(code="SD", kind=Department.Kind.DIRECTORATE)
    afd = DepartmentFactory(code="AFD", parent=sd)
    team = DepartmentFactory(code="TEAM", parent=afd, kind=Department.Kind.TEAM)
    other = DepartmentFactory(code="OTHER", kind=Department.Kind.DIRECTORATE)
    return {"sd": sd, "afd": afd, "team": team, "other": other}


def _guideline(slug, *, audience=Guideline.Audience.EVERYONE, departments=(), roles=()):
    return update_guideline_audience(
        guideline=GuidelineFactory(slug=slug, title=slug),
        actor=None,
        audience=audience,
        departments=departments,
        roles=roles,
    )


def _for(employee):
    return set(guidelines_for(employee=employee).values_list("slug", flat=True))


def _audience(guideline):
    return set(audience_of(guideline=guideline))


def test_a_guideline_for_everyone_applies_to_every_active_employee(tree):
    guideline = _guideline("iedereen")
    someone = EmployeeFactory(department=tree["team"])
    nobody_department = EmployeeFactory(department=None)
    assert _for(someone) == {"iedereen"}
    assert _for(nobody_department) == {"iedereen"}
    assert _audience(guideline) == {someone, nobody_department}


def test_a_new_guideline_is_for_everyone_by_default(tree):
    assert GuidelineFactory(slug="standaard").audience == Guideline.Audience.EVERYONE


def test_a_department_with_sub_departments_covers_its_whole_subtree(tree):
    guideline = _guideline(
        "afdeling",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["afd"], include_subdepartments=True)],
    )
    in_afd = EmployeeFactory(department=tree["afd"])
    in_team = EmployeeFactory(department=tree["team"])
    above = EmployeeFactory(department=tree["sd"])
    elsewhere = EmployeeFactory(department=tree["other"])
    assert _audience(guideline) == {in_afd, in_team}
    assert (_for(in_afd), _for(in_team), _for(above), _for(elsewhere)) == (
        {"afdeling"},
        {"afdeling"},
        set(),
        set(),
    )


def test_a_department_without_sub_departments_covers_only_its_own_staff(tree):
    guideline = _guideline(
        "alleen-afdeling",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["afd"], include_subdepartments=False)],
    )
    in_afd = EmployeeFactory(department=tree["afd"])
    in_team = EmployeeFactory(department=tree["team"])
    assert _audience(guideline) == {in_afd}
    assert _for(in_afd) == {"alleen-afdeling"}
    assert _for(in_team) == set()


def test_a_department_code_that_merely_starts_the_same_is_not_a_sub_department(tree):
    """/SD/AFD/ covers neither /SD/AFD2/ nor /SD/afd/ (SQLite's LIKE ignores case)."""
    lookalike = DepartmentFactory(code="AFD2", parent=tree["sd"])
    lower = DepartmentFactory(code="afd", parent=tree["sd"])
    guideline = _guideline(
        "prefix",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["afd"])],
    )
    outsiders = {EmployeeFactory(department=lookalike), EmployeeFactory(department=lower)}
    assert _audience(guideline) == set()
    assert all(_for(outsider) == set() for outsider in outsiders)


def test_an_employee_who_moves_department_follows_the_audience(tree):
    guideline = _guideline(
        "team",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["team"])],
    )
    mover = EmployeeFactory(department=tree["other"])
    assert _for(mover) == set()
    mover.department = tree["team"]
    mover.save()
    assert _for(mover) == {"team"}
    assert _audience(guideline) == {mover}


def test_a_department_moved_under_a_chosen_one_brings_its_staff_along(tree):
    _guideline(
        "directie",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["sd"])],
    )
    moved = DepartmentFactory(code="LOS", parent=tree["other"])
    employee = EmployeeFactory(department=moved)
    assert _for(employee) == set()
    people_services.move_department(department=moved, parent=tree["afd"])
    employee.refresh_from_db()
    assert _for(employee) == {"directie"}


@pytest.mark.parametrize("role", [Role.HR, Role.EDITOR, Role.AUDITOR, Role.ADMINISTRATOR])
def test_a_granted_role_puts_its_holders_in_the_audience(tree, role):
    guideline = _guideline("rol", audience=Guideline.Audience.ROLES, roles=[role])
    holder = EmployeeFactory(roles=[role])
    other = EmployeeFactory()
    assert _for(holder) == {"rol"}
    assert _for(other) == set()
    assert _audience(guideline) == {holder}


def test_a_superuser_counts_as_an_administrator(tree):
    guideline = _guideline("beheer", audience=Guideline.Audience.ROLES, roles=[Role.ADMINISTRATOR])
    superuser = EmployeeFactory(is_superuser=True)
    assert _for(superuser) == {"beheer"}
    assert _audience(guideline) == {superuser}


def test_managers_are_whoever_has_an_active_report(tree):
    guideline = _guideline("leiding", audience=Guideline.Audience.ROLES, roles=[Role.MANAGER])
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    former_manager = EmployeeFactory()
    EmployeeFactory(manager=former_manager, is_active=False)
    assert _for(manager) == {"leiding"}
    assert _for(former_manager) == set()
    assert _audience(guideline) == {manager}


def test_the_employee_role_means_everyone(tree):
    guideline = _guideline("rol-medewerker", audience=Guideline.Audience.ROLES, roles=["employee"])
    someone = EmployeeFactory()
    assert _for(someone) == {"rol-medewerker"}
    assert _audience(guideline) == {someone}


def test_a_group_that_is_not_a_role_does_not_count(tree):
    """A group named like a role's choice but not granted by the portal stays outside."""
    _guideline("hr", audience=Guideline.Audience.ROLES, roles=[Role.HR])
    outsider = EmployeeFactory()
    outsider.groups.add(Group.objects.create(name="hr-lookalike"))
    assert _for(outsider) == set()


def test_inactive_employees_are_never_in_the_audience(tree):
    for_everyone = _guideline("iedereen")
    for_team = _guideline(
        "team",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["team"])],
    )
    for_hr = _guideline("hr", audience=Guideline.Audience.ROLES, roles=[Role.HR])
    EmployeeFactory(department=tree["team"], is_active=False, roles=[Role.HR])
    assert _audience(for_everyone) == _audience(for_team) == _audience(for_hr) == set()


def test_changing_the_audience_replaces_it_and_is_logged(tree):
    guideline = _guideline("wissel", audience=Guideline.Audience.ROLES, roles=[Role.HR])
    editor = EmployeeFactory(editor=True)
    update_guideline_audience(
        guideline=guideline,
        actor=editor,
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(tree["team"], include_subdepartments=False)],
    )
    assert not guideline.audience_roles.exists()
    event = HandbookEvent.objects.filter(guideline=guideline, actor=editor).get()
    assert event.kind == HandbookEvent.Kind.AUDIENCE_CHANGED
    assert event.details == {
        "before": {"audience": "roles", "departments": [], "roles": ["hr"]},
        "after": {
            "audience": "departments",
            "departments": [[tree["team"].pk, False]],
            "roles": [],
        },
    }


def test_an_employee_may_not_change_the_audience(tree):
    guideline = _guideline("iedereen")
    with pytest.raises(PermissionDenied):
        update_guideline_audience(
            guideline=guideline,
            actor=EmployeeFactory(),
            audience=Guideline.Audience.ROLES,
            roles=[Role.HR],
        )
    assert not guideline.audience_roles.exists()


@pytest.mark.parametrize(
    ("audience", "field"),
    [(Guideline.Audience.DEPARTMENTS, "departments"), (Guideline.Audience.ROLES, "roles")],
)
def test_an_empty_choice_of_departments_or_roles_is_refused(tree, audience, field):
    guideline = _guideline("leeg")
    with pytest.raises(ValidationError) as refused:
        update_guideline_audience(guideline=guideline, actor=None, audience=audience)
    assert field in refused.value.message_dict


def test_an_unknown_role_is_refused_by_the_service_and_the_database(tree):
    guideline = _guideline("onbekend")
    with pytest.raises(ValidationError) as refused:
        update_guideline_audience(
            guideline=guideline, actor=None, audience=Guideline.Audience.ROLES, roles=["chef"]
        )
    assert "roles" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        AudienceRole.objects.create(guideline=guideline, role="chef")


@pytest.mark.parametrize("count", [1, 10])
def test_guidelines_for_costs_one_query_however_many_guidelines(
    tree, count, django_assert_num_queries
):
    for n in range(count):
        _guideline(
            f"afd-{n}",
            audience=Guideline.Audience.DEPARTMENTS,
            departments=[
                DepartmentInAudience(DepartmentFactory(code=f"X{n}")),
                DepartmentInAudience(tree["sd"]),
            ],
        )
        _guideline(f"rol-{n}", audience=Guideline.Audience.ROLES, roles=[Role.MANAGER])
    employee = EmployeeFactory(department=tree["team"])
    EmployeeFactory(manager=employee)
    with django_assert_num_queries(1):
        found = _for(employee)
    assert len(found) == 2 * count


@pytest.mark.parametrize("count", [1, 10])
def test_audience_of_costs_one_query_however_many_departments(
    tree, count, django_assert_num_queries
):
    departments = [DepartmentInAudience(DepartmentFactory(code=f"Y{n}")) for n in range(count)]
    guideline = _guideline(
        "veel",
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[*departments, DepartmentInAudience(tree["afd"])],
    )
    for choice in departments:
        EmployeeFactory(department=choice.department)
    EmployeeFactory(department=tree["team"])
    guideline = Guideline.objects.get(pk=guideline.pk)
    with django_assert_num_queries(1):
        found = list(audience_of(guideline=guideline))
    assert len(found) == count + 1
