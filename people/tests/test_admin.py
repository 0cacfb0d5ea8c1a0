"""The admin site for employees and departments loads, and keeps department paths right."""

import pytest
from django.urls import reverse

from people.models import Department, Employee
from people.services import create_department
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    # admin_client's user is a superuser (administrator) without TOTP.
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def tree():
    ruimte = create_department(code="DIR-RUI", name="Directie Ruimte", kind="directie")
    vergunningen = create_department(
        code="AFD-VERG", name="Afdeling Vergunningen", kind="afdeling", parent=ruimte
    )
    team = create_department(
        code="TEAM-OMG", name="Team Omgevingsvergunningen", kind="team", parent=vergunningen
    )
    samenleving = create_department(code="DIR-SAM", name="Directie Samenleving", kind="directie")
    return {
        "ruimte": ruimte,
        "vergunningen": vergunningen,
        "team": team,
        "samenleving": samenleving,
    }


def _department_form(**values):
    return {"code": "", "name": "", "kind": "afdeling", "parent": "", **values}


@pytest.mark.parametrize(
    "url_name", ["admin:people_employee_changelist", "admin:people_employee_add"]
)
def test_employee_admin_pages_load(admin_client, url_name):
    EmployeeFactory(first_name="Zoë", name_prefix="van der", last_name="Berg")

    assert admin_client.get(reverse(url_name)).status_code == 200


def test_employee_change_page_loads(admin_client):
    employee = EmployeeFactory(first_name="Ümit", last_name="Yıldız")

    response = admin_client.get(reverse("admin:people_employee_change", args=[employee.pk]))

    assert response.status_code == 200


def test_employee_changelist_search_finds_by_name(admin_client):
    EmployeeFactory(first_name="Frédérique", last_name="de Wit")

    response = admin_client.get(reverse("admin:people_employee_changelist"), {"q": "Frédérique"})

    assert "Frédérique" in response.content.decode()


def test_an_employee_can_be_added_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:people_employee_add"),
        {
            "email": "Nieuw.Medewerker@Voorbeeldstad.nl",
            "first_name": "Nieuw",
            "last_name": "Medewerker",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
        },
    )

    assert response.status_code == 302
    assert Employee.objects.filter(email__iexact="nieuw.medewerker@voorbeeldstad.nl").exists()


@pytest.mark.parametrize(
    "url_name", ["admin:people_department_changelist", "admin:people_department_add"]
)
def test_department_admin_pages_load(admin_client, tree, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_department_change_page_loads(admin_client, tree):
    response = admin_client.get(reverse("admin:people_department_change", args=[tree["team"].pk]))

    assert response.status_code == 200


def test_a_department_added_in_the_admin_gets_its_path(admin_client, tree):
    response = admin_client.post(
        reverse("admin:people_department_add"),
        _department_form(code="TEAM-HAN", name="Team Handhaving", kind="team",
                         parent=tree["vergunningen"].pk),
    )  # fmt: skip

    assert response.status_code == 302
    assert Department.objects.get(code="TEAM-HAN").path == "/DIR-RUI/AFD-VERG/TEAM-HAN/"


def test_a_top_level_department_added_in_the_admin_gets_its_path(admin_client):
    admin_client.post(
        reverse("admin:people_department_add"),
        _department_form(code="DIR-BED", name="Directie Bedrijfsvoering", kind="directie"),
    )

    assert Department.objects.get(code="DIR-BED").path == "/DIR-BED/"


def test_moving_a_department_in_the_admin_rewrites_the_subtree(admin_client, tree):
    response = admin_client.post(
        reverse("admin:people_department_change", args=[tree["vergunningen"].pk]),
        _department_form(code="AFD-VERG", name="Afdeling Vergunningen",
                         parent=tree["samenleving"].pk),
    )  # fmt: skip

    assert response.status_code == 302
    assert Department.objects.get(code="TEAM-OMG").path == "/DIR-SAM/AFD-VERG/TEAM-OMG/"


def test_renaming_a_code_in_the_admin_rewrites_the_subtree(admin_client, tree):
    admin_client.post(
        reverse("admin:people_department_change", args=[tree["vergunningen"].pk]),
        _department_form(code="AFD-VTH", name="Afdeling VTH", parent=tree["ruimte"].pk),
    )

    assert Department.objects.get(code="TEAM-OMG").path == "/DIR-RUI/AFD-VTH/TEAM-OMG/"


def test_the_admin_refuses_to_put_a_department_under_its_own_team(admin_client, tree):
    response = admin_client.post(
        reverse("admin:people_department_change", args=[tree["vergunningen"].pk]),
        _department_form(code="AFD-VERG", name="Afdeling Vergunningen", parent=tree["team"].pk),
    )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert Department.objects.get(code="AFD-VERG").path == "/DIR-RUI/AFD-VERG/"


def test_the_admin_refuses_a_slash_in_a_code(admin_client):
    response = admin_client.post(
        reverse("admin:people_department_add"),
        _department_form(code="AFD/X", name="Afdeling X"),
    )

    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert not Department.objects.filter(name="Afdeling X").exists()
