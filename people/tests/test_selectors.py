"""Reads about people: teams, who may see whose data, department subtrees."""

import pytest

from people.selectors import can_view_employee, department_subtree, team_of
from people.services import create_department
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    """A small hierarchy: director > teamleader > two staff; and an outsider."""
    director = EmployeeFactory(last_name="Directeur")
    lead = EmployeeFactory(manager=director, last_name="Teamleider")
    staff = EmployeeFactory(manager=lead, last_name="Medewerker")
    colleague = EmployeeFactory(manager=lead, last_name="Collega")
    outsider_boss = EmployeeFactory(last_name="Andere baas")
    outsider = EmployeeFactory(manager=outsider_boss, last_name="Buitenstaander")
    return {
        "director": director,
        "lead": lead,
        "staff": staff,
        "colleague": colleague,
        "outsider_boss": outsider_boss,
        "outsider": outsider,
    }


def _pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_team_of_includes_direct_reports(organisation):
    o = organisation
    assert _pks(team_of(manager=o["lead"])) == {o["staff"].pk, o["colleague"].pk}


def test_team_of_includes_indirect_reports(organisation):
    o = organisation
    assert _pks(team_of(manager=o["director"])) == {o["lead"].pk, o["staff"].pk, o["colleague"].pk}


def test_team_of_leaves_out_other_teams_and_the_manager(organisation):
    o = organisation
    team = _pks(team_of(manager=o["director"]))
    assert o["outsider"].pk not in team
    assert o["director"].pk not in team


def test_team_of_someone_without_reports_is_empty(organisation):
    assert not team_of(manager=organisation["staff"]).exists()


def test_team_of_survives_a_management_loop():
    a = EmployeeFactory()
    b = EmployeeFactory(manager=a)
    a.manager = b
    a.save()

    assert _pks(team_of(manager=a)) == {b.pk}


def test_team_of_a_deep_hierarchy_is_one_query(django_assert_num_queries):
    top = EmployeeFactory()
    boss = top
    for _level in range(6):
        boss = EmployeeFactory(manager=boss)

    with django_assert_num_queries(1):
        assert len(team_of(manager=top)) == 6


def test_an_employee_sees_their_own_data(organisation):
    staff = organisation["staff"]
    assert can_view_employee(viewer=staff, employee=staff)


def test_an_employee_never_sees_a_colleagues_data(organisation):
    o = organisation
    assert not can_view_employee(viewer=o["staff"], employee=o["colleague"])


def test_an_employee_never_sees_their_managers_data(organisation):
    o = organisation
    assert not can_view_employee(viewer=o["staff"], employee=o["lead"])


def test_a_manager_sees_a_direct_report(organisation):
    o = organisation
    assert can_view_employee(viewer=o["lead"], employee=o["staff"])


def test_a_manager_sees_an_indirect_report(organisation):
    o = organisation
    assert can_view_employee(viewer=o["director"], employee=o["staff"])


def test_a_manager_does_not_see_another_team(organisation):
    o = organisation
    assert not can_view_employee(viewer=o["lead"], employee=o["outsider"])


def test_a_manager_does_not_see_their_own_manager(organisation):
    o = organisation
    assert not can_view_employee(viewer=o["lead"], employee=o["director"])


@pytest.mark.parametrize("trait", ["hr", "auditor"])
def test_hr_and_auditors_see_everyone(organisation, trait):
    viewer = EmployeeFactory(**{trait: True})
    assert all(
        can_view_employee(viewer=viewer, employee=person) for person in organisation.values()
    )


def test_an_editor_does_not_see_other_employees(organisation):
    assert not can_view_employee(
        viewer=EmployeeFactory(editor=True), employee=organisation["staff"]
    )


def test_department_subtree_holds_the_department_and_everything_below():
    directorate = create_department(code="DIR", name="Directie", kind="directie")
    department = create_department(code="AFD", name="Afdeling", kind="afdeling", parent=directorate)
    team = create_department(code="TEAM", name="Team", kind="team", parent=department)

    assert set(department_subtree(department=directorate)) == {directorate, department, team}


def test_department_subtree_leaves_out_siblings_and_parents():
    directorate = create_department(code="DIR", name="Directie", kind="directie")
    department = create_department(code="AFD", name="Afdeling", kind="afdeling", parent=directorate)
    sibling = create_department(code="AFD2", name="Afdeling 2", kind="afdeling", parent=directorate)

    subtree = set(department_subtree(department=department))

    assert sibling not in subtree
    assert directorate not in subtree
