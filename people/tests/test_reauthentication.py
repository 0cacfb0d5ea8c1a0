"""Before a sensitive act, whoever has an authenticator app confirms with its code, not only
the password: turning TOTP off, new recovery codes (people.auth.adapters), and the admin's
changes to people and groups (people.admin.security)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group
from django.urls import reverse

from people.tests.factories import (
    DEFAULT_PASSWORD,
    DEFAULT_TOTP_SECRET,
    DepartmentFactory,
    EmployeeFactory,
    login_with_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db


def _path(response) -> str:
    return urlsplit(response["Location"]).path


def _next(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def logged_in_a_while_ago(client, employee, *, minutes: int = 10) -> None:
    """A session that passed the second factor at log-in, ``minutes`` ago."""
    login_with_second_factor(client, employee)
    session = client.session
    then = time.time() - minutes * 60
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": then} for record in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()


def enter_the_code(client) -> None:
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(DEFAULT_TOTP_SECRET)})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def hr(db):
    employee = EmployeeFactory(hr=True, totp=True)
    RecoveryCodes.activate(employee)
    return employee


@pytest.fixture
def administrator(db):
    return EmployeeFactory(administrator=True, is_superuser=True, totp=True)


# --------------------------------------------------------------------- one's own second factor


@pytest.mark.parametrize("name", ["mfa_deactivate_totp", "mfa_generate_recovery_codes"])
def test_changing_ones_second_factor_asks_for_the_code_not_the_password(client, hr, name):
    logged_in_a_while_ago(client, hr)

    response = client.get(reverse(name))

    assert _path(response) == reverse("mfa_reauthenticate")
    assert _next(response) == reverse(name)


def test_the_password_page_sends_whoever_has_totp_on_to_the_code(client, hr):
    logged_in_a_while_ago(client, hr)

    response = client.get(reverse("account_reauthenticate"), {"next": "/account/2fa/"})

    assert _path(response) == reverse("mfa_reauthenticate")


def test_a_password_given_again_does_not_turn_totp_off(client, hr):
    logged_in_a_while_ago(client, hr)

    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()


def test_with_the_code_given_again_totp_can_be_turned_off(client, hr):
    logged_in_a_while_ago(client, hr)
    enter_the_code(client)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()


def test_someone_without_totp_still_confirms_with_the_password(client):
    employee = EmployeeFactory()
    client.force_login(employee)

    assert client.get(reverse("account_reauthenticate")).status_code == 200


# --------------------------------------------------------------------- the admin's changes


@pytest.mark.parametrize(
    "url",
    [
        lambda e: reverse("admin:people_employee_change", args=[e.pk]),
        lambda e: reverse("admin:people_employee_add"),
        lambda e: reverse("admin:people_employee_delete", args=[e.pk]),
        lambda e: reverse("admin:auth_user_password_change", args=[e.pk]),
        lambda e: reverse("admin:auth_group_add"),
        lambda e: reverse("admin:auth_group_change", args=[Group.objects.get(name="hr").pk]),
    ],
    ids=["employee change", "employee add", "employee delete", "password", "group add",
         "group change"],
)  # fmt: skip
def test_the_admins_people_and_group_pages_ask_for_the_code_again(client, administrator, url):
    target = url(EmployeeFactory())
    logged_in_a_while_ago(client, administrator)

    response = client.get(target)

    assert response.status_code == 302
    assert _path(response) == reverse("mfa_reauthenticate")
    assert _next(response) == target


def test_the_admin_does_not_grant_rights_without_the_code_given_again(client, administrator):
    employee = EmployeeFactory()
    logged_in_a_while_ago(client, administrator)

    client.post(
        reverse("admin:people_employee_change", args=[employee.pk]),
        {"is_superuser": "on", "is_staff": "on", "email": employee.email, "is_active": "on"},
    )
    client.post(reverse("admin:auth_group_add"), {"name": "achterdeur"})

    employee.refresh_from_db()
    assert not employee.is_superuser and not employee.is_staff
    assert not Group.objects.filter(name="achterdeur").exists()


def test_a_bulk_action_on_people_asks_for_the_code_again(client, administrator):
    employee = EmployeeFactory()
    logged_in_a_while_ago(client, administrator)

    response = client.post(
        reverse("admin:people_employee_changelist"),
        {"action": "delete_selected", "_selected_action": [employee.pk], "post": "yes"},
    )

    assert _path(response) == reverse("mfa_reauthenticate")
    assert type(employee).objects.filter(pk=employee.pk).exists()


def test_with_the_code_given_a_moment_ago_the_admin_changes_people(client, administrator):
    employee = EmployeeFactory()
    logged_in_a_while_ago(client, administrator)
    enter_the_code(client)

    response = client.get(reverse("admin:people_employee_change", args=[employee.pk]))

    assert response.status_code == 200


def test_the_code_given_at_log_in_counts_for_a_few_minutes(client, administrator):
    employee = EmployeeFactory()
    login_with_second_factor(client, administrator)

    response = client.get(reverse("admin:people_employee_change", args=[employee.pk]))

    assert response.status_code == 200


def test_a_suspended_change_goes_through_once_the_code_is_given(client, administrator):
    """allauth keeps the POST that needed the code and carries it out after the code."""
    logged_in_a_while_ago(client, administrator)
    client.post(reverse("admin:auth_group_add"), {"name": "projectgroep"})
    assert not Group.objects.filter(name="projectgroep").exists()

    response = client.post(
        reverse("mfa_reauthenticate") + "?next=" + reverse("admin:auth_group_add"),
        {"code": totp_code(DEFAULT_TOTP_SECRET)},
    )

    assert response.status_code == 302
    assert Group.objects.filter(name="projectgroep").exists()


def test_departments_do_not_ask_for_the_code_again(client, administrator):
    department = DepartmentFactory()
    logged_in_a_while_ago(client, administrator)

    response = client.get(reverse("admin:people_department_change", args=[department.pk]))

    assert response.status_code == 200
