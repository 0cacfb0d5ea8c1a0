"""The log-in limits hold across server processes: failed log-ins count in the shared
cache (PORTAL_CACHE_URL, the database by default), whichever process answers.

Two real gunicorn processes on the test's database (portal.testing.servers), real HTTP
with CSRF tokens (portal.testing.http). With a cache per process (PORTAL_CACHE_URL=locmem)
each server would count only its own failures, and the account would not be locked.
"""

import pytest
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from people.tests.test_login_rate_limits import FAILURES_PER_ACCOUNT, TOO_MANY_FAILURES
from portal.testing.http import Browser

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(base_url, email, password):
    return Browser().submit(
        base_url + reverse("account_login"), {"login": email, "password": password}
    )


def fail_on_both_servers(servers, email, times):
    for attempt in range(times):
        answer = log_in(servers[attempt % 2], email, "niet-het-wachtwoord")
        assert answer.status == 200, answer.text[:500]
        assert TOO_MANY_FAILURES not in answer.text


def test_failed_log_ins_spread_over_two_servers_lock_the_account_on_both(two_app_servers):
    employee = EmployeeFactory()
    fail_on_both_servers(two_app_servers, employee.email, FAILURES_PER_ACCOUNT)

    for server in two_app_servers:
        answer = log_in(server, employee.email, DEFAULT_PASSWORD)

        assert answer.status == 200
        assert TOO_MANY_FAILURES in answer.text


def test_fewer_failures_than_the_limit_on_two_servers_leave_the_right_password_working(
    two_app_servers,
):
    employee = EmployeeFactory()
    fail_on_both_servers(two_app_servers, employee.email, FAILURES_PER_ACCOUNT - 1)

    answer = log_in(two_app_servers[1], employee.email, DEFAULT_PASSWORD)

    assert answer.status == 302
    assert answer.location == "/"


@pytest.mark.django_db
def test_failed_log_ins_under_different_host_names_count_for_one_account(client):
    """Django's ALLOWED_HOSTS ignores a port, so an attacker can name a new "host" for
    every guess; allauth's own key began with it."""
    employee = EmployeeFactory()
    for port in range(FAILURES_PER_ACCOUNT):
        client.post(
            reverse("account_login"),
            {"login": employee.email, "password": "niet-het-wachtwoord"},
            headers={"Host": f"127.0.0.1:{port + 1}"},
        )

    response = client.post(
        reverse("account_login"),
        {"login": employee.email, "password": DEFAULT_PASSWORD},
        headers={"Accept-Language": "en"},
    )

    assert "_auth_user_id" not in client.session
    assert TOO_MANY_FAILURES in response.content.decode()
