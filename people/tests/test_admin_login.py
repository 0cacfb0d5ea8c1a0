"""The admin site (/beheer/) has no log-in of its own: every way in is the portal's allauth
log-in (its limits, its second factor), and the site is served only to staff whose
session passed the second factor (people.auth.admin_site)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from people.auth.admin_site import PortalAdminSite
from people.tests.factories import (
    DEFAULT_PASSWORD,
    EmployeeFactory,
    login_with_password_only,
    login_with_second_factor,
)

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/beheer/login/"


def _path(response) -> str:
    return urlsplit(response["Location"]).path


def _next(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


@pytest.fixture
def administrator():
    return EmployeeFactory(administrator=True, totp=True)


def test_the_admins_log_in_url_is_its_own(client):
    assert reverse("admin:login") == ADMIN_LOGIN


def test_a_correct_password_posted_to_the_admin_log_in_logs_nobody_in(client, administrator):
    response = client.post(
        ADMIN_LOGIN,
        {"username": administrator.email, "password": DEFAULT_PASSWORD, "next": "/beheer/"},
    )

    assert "_auth_user_id" not in client.session
    assert _path(response) == reverse("account_login")
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_log_in_page_sends_to_the_portal_log_in_with_next(client):
    response = client.get(ADMIN_LOGIN, {"next": "/beheer/people/employee/"})

    assert response.status_code == 302
    assert _path(response) == reverse("account_login")
    assert _next(response) == "/beheer/people/employee/"


def test_the_admin_log_in_page_does_not_send_on_to_another_site(client):
    response = client.get(ADMIN_LOGIN, {"next": "https://aanvaller.example/beheer/"})

    assert _next(response) == reverse("admin:index")


def test_opening_the_admin_anonymously_ends_at_the_portal_log_in(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()


def test_an_administrator_who_passed_the_second_factor_is_sent_on_to_the_admin(
    client, administrator
):
    login_with_second_factor(client, administrator)

    response = client.get(ADMIN_LOGIN)

    assert _path(response) == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_logged_in_employee_cannot_switch_to_an_administrator_at_the_admin_log_in(
    client, administrator
):
    employee = EmployeeFactory()
    client.force_login(employee)

    response = client.post(
        ADMIN_LOGIN, {"username": administrator.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 403
    assert int(client.session["_auth_user_id"]) == employee.pk


def test_an_administrator_cannot_switch_to_another_administrator_by_password(client, administrator):
    other = EmployeeFactory(administrator=True, totp=True)
    login_with_second_factor(client, administrator)

    client.post(ADMIN_LOGIN, {"username": other.email, "password": DEFAULT_PASSWORD})

    assert int(client.session["_auth_user_id"]) == administrator.pk


def test_an_administrator_with_only_a_password_is_sent_to_enter_the_code(client, administrator):
    login_with_password_only(client, administrator)

    response = client.get(reverse("admin:people_employee_changelist"))

    assert _path(response) == reverse("mfa_reauthenticate")


def _request_with_session_of(client, user):
    request = RequestFactory().get("/beheer/")
    request.session = client.session
    request.user = user
    return request


def test_the_admin_site_itself_refuses_a_session_without_the_second_factor(client, administrator):
    """Whatever middleware runs before it: the site's own permission check."""
    login_with_password_only(client, administrator)

    assert not PortalAdminSite().has_permission(_request_with_session_of(client, administrator))


def test_the_admin_site_serves_staff_whose_session_passed_the_second_factor(client, administrator):
    login_with_second_factor(client, administrator)

    assert PortalAdminSite().has_permission(_request_with_session_of(client, administrator))


def test_the_admin_site_refuses_a_deactivated_administrator(client, administrator):
    login_with_second_factor(client, administrator)
    administrator.is_active = False

    assert not PortalAdminSite().has_permission(_request_with_session_of(client, administrator))
