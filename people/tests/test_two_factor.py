"""RequireTwoFactorMiddleware: HR, editors and administrators set up TOTP first."""

import pytest
from django.urls import reverse

from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("trait", ["hr", "editor", "administrator"])
def test_a_privileged_employee_without_totp_is_sent_to_set_it_up(client, trait):
    client.force_login(EmployeeFactory(**{trait: True}))

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("trait", ["hr", "editor", "administrator"])
def test_a_privileged_employee_with_totp_gets_through(client, trait):
    client.force_login(EmployeeFactory(totp=True, **{trait: True}))

    assert client.get(reverse("home")).status_code == 200


def test_an_employee_without_totp_gets_through(client):
    client.force_login(EmployeeFactory())

    assert client.get(reverse("home")).status_code == 200


def test_an_auditor_without_totp_gets_through(client):
    client.force_login(EmployeeFactory(auditor=True))

    assert client.get(reverse("home")).status_code == 200


def test_the_language_switch_stays_reachable_without_totp(client):
    client.force_login(EmployeeFactory(hr=True))

    response = client.post(reverse("people:switch_language"), {"language": "en", "next": "/"})

    assert response["Location"] == "/"


def test_the_requirement_can_be_switched_off(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory(hr=True))

    assert client.get(reverse("home")).status_code == 200


def test_the_accessibility_statement_stays_reachable_without_totp(client):
    client.force_login(EmployeeFactory(hr=True))

    assert client.get(reverse("accessibility")).status_code == 200
