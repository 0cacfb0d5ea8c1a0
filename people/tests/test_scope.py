"""The part of the organisation someone acts on (people.selectors.scope_of): central HR
everywhere, an HR adviser under the departments an administrator gave them, and nobody
else anywhere. The ledger and the staff import stay central."""

from __future__ import annotations

import pytest

from people.models import Employee
from people.roles import Role
from people.selectors import scope_of
from people.services.object_roles import grant_object_role, revoke_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "campaigns.view_campaign_dashboard"


@pytest.fixture
def tree():
    ruimte = DepartmentFactory(code="RUIMTE", name="Directie Ruimte")
    vergunningen = DepartmentFactory(code="VERG", name="Vergunningen", parent=ruimte)
    team = DepartmentFactory(code="VERG-T1", name="Team 1", parent=vergunningen)
    sociaal = DepartmentFactory(code="SOC", name="Directie Sociaal")
    # A code that starts like another's must not fall under it: paths end in "/".
    ruimte_bis = DepartmentFactory(code="RUIMTE2", name="Directie Ruimte 2")
    return {"ruimte": ruimte, "team": team, "sociaal": sociaal, "ruimte2": ruimte_bis}


def adviser_of(*departments) -> Employee:
    adviser = EmployeeFactory()
    for department in departments:
        grant_object_role(actor=None, employee=adviser, role=Role.HR, target=department)
    return Employee.objects.get(pk=adviser.pk)


def test_central_hr_acts_on_the_whole_organisation():
    assert scope_of(user=EmployeeFactory(hr=True), perm=DASHBOARD).everything


def test_an_ordinary_employee_acts_nowhere():
    assert scope_of(user=EmployeeFactory(), perm=DASHBOARD) is None


def test_an_hr_adviser_acts_under_their_directorate_at_any_depth(tree):
    scope = scope_of(user=adviser_of(tree["ruimte"]), perm=DASHBOARD)

    assert scope is not None and not scope.everything
    assert scope.covers(department=tree["team"])
    assert not scope.covers(department=tree["sociaal"])


def test_a_directorate_whose_code_starts_alike_is_not_in_the_scope(tree):
    scope = scope_of(user=adviser_of(tree["ruimte"]), perm=DASHBOARD)

    assert not scope.covers(department=tree["ruimte2"])


def test_someone_without_a_department_lies_only_in_the_whole_organisation(tree):
    scope = scope_of(user=adviser_of(tree["ruimte"]), perm=DASHBOARD)

    assert not scope.covers(department=None)


def test_the_scope_filters_rows_by_their_department(tree):
    inside = EmployeeFactory(department=tree["team"])
    EmployeeFactory(department=tree["sociaal"])
    scope = scope_of(user=adviser_of(tree["ruimte"]), perm=DASHBOARD)

    assert list(Employee.objects.filter(scope.q(department_field="department"))) == [inside]


def test_an_hr_adviser_of_two_directorates_acts_under_both(tree):
    scope = scope_of(user=adviser_of(tree["ruimte"], tree["sociaal"]), perm=DASHBOARD)

    assert set(scope.departments()) == {
        tree["ruimte"],
        tree["team"],
        tree["team"].parent,
        tree["sociaal"],
    }


@pytest.mark.parametrize("perm", ["acknowledgements.view_ledger", "people.import_staff"])
def test_the_ledger_and_the_staff_import_stay_with_central_hr(tree, perm):
    assert scope_of(user=adviser_of(tree["ruimte"]), perm=perm) is None


def test_an_hr_role_on_a_department_gives_no_global_permission(tree):
    assert not adviser_of(tree["ruimte"]).has_perm(DASHBOARD)


def test_a_revoked_adviser_acts_nowhere_at_the_next_request(tree):
    adviser = adviser_of(tree["ruimte"])
    revoke_object_role(actor=None, employee=adviser, role=Role.HR, target=tree["ruimte"])

    assert scope_of(user=Employee.objects.get(pk=adviser.pk), perm=DASHBOARD) is None


def test_a_deactivated_adviser_acts_nowhere(tree):
    adviser = adviser_of(tree["ruimte"])
    Employee.objects.filter(pk=adviser.pk).update(is_active=False)

    assert scope_of(user=Employee.objects.get(pk=adviser.pk), perm=DASHBOARD) is None


def test_an_advisers_departments_are_read_once_for_several_permissions(
    tree, django_assert_num_queries
):
    adviser = adviser_of(tree["ruimte"])
    scope_of(user=adviser, perm=DASHBOARD)

    with django_assert_num_queries(0):
        assert scope_of(user=adviser, perm="reports.export_reports") is not None
