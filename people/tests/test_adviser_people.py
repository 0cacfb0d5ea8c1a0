"""An HR adviser of a part of the organisation and the people in it: the staff
directory lists, and its search finds, only the people of their part (any depth), and
can_view_employee answers yes for them alone. Central HR sees everyone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import Employee
from people.roles import Role
from people.selectors import can_view_employee
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def tree():
    ruimte = DepartmentFactory(code="RUIMTE", name="Directie Ruimte")
    team = DepartmentFactory(code="VERG-T1", name="Team Vergunningen", parent=ruimte)
    sociaal = DepartmentFactory(code="SOC", name="Directie Sociaal")
    return {"ruimte": ruimte, "team": team, "sociaal": sociaal}


@pytest.fixture
def people(tree):
    return {
        "inside": EmployeeFactory(
            first_name="Ina", last_name="Binnen", employee_number="1001", department=tree["team"]
        ),
        "outside": EmployeeFactory(
            first_name="Otto",
            last_name="Buiten",
            employee_number="2002",
            department=tree["sociaal"],
        ),
        "nowhere": EmployeeFactory(first_name="Nora", last_name="Nergens", department=None),
    }


@pytest.fixture
def adviser(tree):
    adviser = EmployeeFactory(first_name="Ada", last_name="Adviseur", department=tree["ruimte"])
    grant_object_role(actor=None, employee=adviser, role=Role.HR, target=tree["ruimte"])
    return Employee.objects.get(pk=adviser.pk)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_an_adviser_opens_the_staff_directory(adviser_client, people):
    assert adviser_client.get(reverse("people:staff")).status_code == 200


def test_the_staff_directory_lists_only_the_people_of_the_advisers_part(adviser_client, people):
    page = adviser_client.get(reverse("people:staff")).content.decode()

    assert "Binnen" in page
    assert "Buiten" not in page
    assert "Nergens" not in page


def test_searching_the_directory_for_someone_outside_the_part_finds_nobody(adviser_client, people):
    for query in ("Buiten", "2002", "Directie Sociaal", "Nergens"):
        response = adviser_client.get(reverse("people:staff"), {"q": query})

        assert response.status_code == 200
        assert list(response.context["employees"]) == [], query


def test_searching_the_directory_within_the_part_finds_the_person(adviser_client, people):
    page = adviser_client.get(reverse("people:staff"), {"q": "1001"}).content.decode()

    assert "Binnen" in page


def test_the_directory_says_which_part_the_adviser_sees(adviser_client, people):
    page = adviser_client.get(reverse("people:staff")).content.decode()

    assert 'id="staff-part"' in page
    assert "Directie Ruimte" in page


def test_central_hr_sees_everyone_in_the_directory(client, people):
    client.force_login(EmployeeFactory(hr=True))

    page = client.get(reverse("people:staff")).content.decode()

    assert all(name in page for name in ("Binnen", "Buiten", "Nergens"))
    assert 'id="staff-part"' not in page


def test_an_ordinary_employee_is_refused_the_directory(client, people):
    client.force_login(people["inside"])

    assert client.get(reverse("people:staff")).status_code == 403


def test_an_adviser_may_view_someone_deep_in_their_part(adviser, people):
    assert can_view_employee(viewer=adviser, employee=people["inside"])


def test_an_adviser_may_not_view_someone_outside_their_part(adviser, people):
    assert not can_view_employee(viewer=adviser, employee=people["outside"])


def test_an_adviser_may_not_view_someone_without_a_department(adviser, people):
    assert not can_view_employee(viewer=adviser, employee=people["nowhere"])


def test_an_advisers_menu_leads_to_their_campaigns_reports_and_staff_not_the_ledger(
    adviser_client,
):
    page = adviser_client.get(reverse("accessibility")).content.decode()

    for name in ("campaigns:list", "reports:list", "people:staff"):
        assert f'href="{reverse(name)}"' in page, name
    assert f'href="{reverse("ledger:overview")}"' not in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_advisers_directory_costs_the_same_queries_for_more_people(
    adviser_client, tree, people
):
    url = reverse("people:staff")
    few = _queries(adviser_client, url)
    EmployeeFactory.create_batch(6, department=tree["team"])

    assert _queries(adviser_client, url) == few
