"""Two-factor per session (RequireTwoFactorMiddleware, people.auth.two_factor): a privileged page
is served only in a session whose log-in passed the second factor; a TOTP device alone
is not enough."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse

from people.auth.sso import IDP_MFA_SESSION_KEY
from people.tests.factories import (
    DEFAULT_PASSWORD,
    DEFAULT_TOTP_SECRET,
    EmployeeFactory,
    login_with_password_only,
    login_with_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db

PRIVILEGED = ["hr", "editor", "auditor", "administrator"]


def _path(response) -> str:
    return urlsplit(response["Location"]).path


def _next(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


@pytest.mark.parametrize("trait", PRIVILEGED)
def test_a_privileged_employee_without_totp_is_sent_to_set_it_up(client, trait):
    client.force_login(EmployeeFactory(**{trait: True}))

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert _path(response) == reverse("mfa_activate_totp")


@pytest.mark.parametrize("trait", PRIVILEGED)
def test_a_privileged_session_that_passed_the_second_factor_gets_through(client, trait):
    login_with_second_factor(client, EmployeeFactory(totp=True, **{trait: True}))

    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("trait", PRIVILEGED)
def test_having_totp_is_not_enough_a_password_only_session_is_sent_to_enter_the_code(client, trait):
    login_with_password_only(client, EmployeeFactory(totp=True, **{trait: True}))

    response = client.get(reverse("people:staff") + "?q=de")

    assert response.status_code == 302
    assert _path(response) == reverse("mfa_reauthenticate")
    assert _next(response) == reverse("people:staff") + "?q=de"


def test_a_session_without_any_log_in_record_does_not_count_as_two_factor(client):
    client.force_login(EmployeeFactory(hr=True, totp=True))

    response = client.get(reverse("campaigns:list"))

    assert _path(response) == reverse("mfa_reauthenticate")


def test_a_code_from_an_earlier_log_in_does_not_count_for_a_later_password_log_in(client):
    hr = EmployeeFactory(hr=True, totp=True)
    login_with_second_factor(client, hr)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    later = {"method": "password", "at": time.time() + 1, "email": hr.email}
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [*records, later]
    session.save()

    assert _path(client.get(reverse("home"))) == reverse("mfa_reauthenticate")


def test_entering_the_code_passes_the_second_factor_and_goes_on_to_the_page(client):
    hr = EmployeeFactory(hr=True, totp=True)
    login_with_password_only(client, hr)
    step = client.get(reverse("people:staff"))["Location"]

    response = client.post(step, {"code": totp_code(DEFAULT_TOTP_SECRET)})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:staff")
    assert client.get(reverse("people:staff")).status_code == 200


def test_a_wrong_code_does_not_pass_the_second_factor(client):
    hr = EmployeeFactory(hr=True, totp=True)
    login_with_password_only(client, hr)
    step = client.get(reverse("people:staff"))["Location"]

    response = client.post(step, {"code": "000000"})

    assert response.status_code == 200
    assert _path(client.get(reverse("people:staff"))) == reverse("mfa_reauthenticate")


def test_the_password_does_not_pass_the_second_factor(client):
    """allauth's own "enter your password again" page sends whoever has TOTP on to the
    code; a password posted to it anyway counts for nothing."""
    hr = EmployeeFactory(hr=True, totp=True)
    login_with_password_only(client, hr)

    page = client.get(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    assert _path(page) == reverse("mfa_reauthenticate")
    assert _path(client.get(reverse("people:staff"))) == reverse("mfa_reauthenticate")


def test_a_real_password_log_in_with_totp_gets_the_code_step_then_the_page(client):
    hr = EmployeeFactory(hr=True, totp=True)
    client.post(reverse("account_login"), {"login": hr.email, "password": DEFAULT_PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEFAULT_TOTP_SECRET)})

    assert client.get(reverse("people:staff")).status_code == 200


def test_staff_without_a_role_must_pass_the_second_factor_too(client):
    staff = EmployeeFactory(is_staff=True, totp=True)
    login_with_password_only(client, staff)

    assert _path(client.get(reverse("home"))) == reverse("mfa_reauthenticate")


def test_an_employee_without_totp_gets_through(client):
    client.force_login(EmployeeFactory())

    assert client.get(reverse("home")).status_code == 200


def test_an_employee_with_totp_and_a_password_only_session_gets_through(client):
    """Two-factor is required of privileged roles; for others TOTP is their own choice."""
    login_with_password_only(client, EmployeeFactory(totp=True))

    assert client.get(reverse("home")).status_code == 200


def test_an_identity_provider_that_asserted_mfa_counts_as_the_second_factor(client):
    hr = EmployeeFactory(hr=True)
    login_with_password_only(client, hr)
    session = client.session
    session[IDP_MFA_SESSION_KEY] = hr.pk
    session.save()

    assert client.get(reverse("people:staff")).status_code == 200


def test_log_out_works_before_the_second_factor(client):
    login_with_password_only(client, EmployeeFactory(hr=True, totp=True))

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_language_switch_stays_reachable_before_the_second_factor(client):
    login_with_password_only(client, EmployeeFactory(hr=True, totp=True))

    response = client.post(reverse("people:switch_language"), {"language": "en", "next": "/"})

    assert response["Location"] == "/"


def test_the_accessibility_statement_stays_reachable_before_the_second_factor(client):
    login_with_password_only(client, EmployeeFactory(hr=True, totp=True))

    assert client.get(reverse("accessibility")).status_code == 200


@pytest.mark.parametrize(
    "name", ["account_change_password", "mfa_index", "socialaccount_connections"]
)
def test_account_pages_are_closed_before_the_second_factor(client, name):
    """A stolen password must not reach even one's own account pages (change the password,
    look at the second factor)."""
    login_with_password_only(client, EmployeeFactory(hr=True, totp=True))

    assert _path(client.get(reverse(name))) == reverse("mfa_reauthenticate")


def test_a_password_change_is_refused_before_the_second_factor(client):
    hr = EmployeeFactory(hr=True, totp=True)
    login_with_password_only(client, hr)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Gestolen-2026!x",
            "password2": "Gestolen-2026!x",
        },
    )

    hr.refresh_from_db()
    assert hr.check_password(DEFAULT_PASSWORD)


def test_the_requirement_can_be_switched_off(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory(hr=True))

    assert client.get(reverse("home")).status_code == 200
