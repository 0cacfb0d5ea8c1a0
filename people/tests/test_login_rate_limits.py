"""Log-in is rate-limited with allauth's limits (ACCOUNT_RATE_LIMITS in config/settings).

The counts live in Django's cache, which the root conftest empties around every test.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from people.tests.test_login import current_code
from portal.testing.html import attribute, links, one, parse, text, text_of

pytestmark = pytest.mark.django_db

# ACCOUNT_RATE_LIMITS: "login_failed" 5/5m per account, "login" 30/m and
# "reset_password" 5/h per address.
FAILURES_PER_ACCOUNT = 5
LOG_INS_PER_MINUTE = 30
RESETS_PER_HOUR = 5
ENGLISH = {"Accept-Language": "en"}
TOO_MANY_FAILURES = "Too many failed login attempts. Try again later."


def log_in(client, email, password=DEFAULT_PASSWORD, headers=None):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        headers={**ENGLISH, **(headers or {})},
    )


def fail_to_log_in(client, email, times):
    for _attempt in range(times):
        response = log_in(client, email, password="niet-het-wachtwoord")
        assert response.status_code == 200
        assert TOO_MANY_FAILURES not in response.content.decode()


def test_the_right_password_still_works_after_fewer_failures_than_the_limit(client):
    employee = EmployeeFactory()
    fail_to_log_in(client, employee.email, FAILURES_PER_ACCOUNT - 1)

    response = log_in(client, employee.email)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


def test_after_too_many_failures_even_the_right_password_is_refused(client):
    employee = EmployeeFactory()
    fail_to_log_in(client, employee.email, FAILURES_PER_ACCOUNT)

    response = log_in(client, employee.email)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert TOO_MANY_FAILURES in html
    assert 'id="error-summary"' in html


def test_failures_for_one_account_do_not_lock_out_another(client):
    locked, other = EmployeeFactory(), EmployeeFactory()
    fail_to_log_in(client, locked.email, FAILURES_PER_ACCOUNT)

    log_in(client, other.email)

    assert int(client.session["_auth_user_id"]) == other.pk


def test_the_limit_per_account_also_counts_wrong_two_factor_codes(client):
    employee = EmployeeFactory(hr=True)
    secret = generate_totp_secret()
    TOTP.activate(employee, secret)
    log_in(client, employee.email)
    for _attempt in range(FAILURES_PER_ACCOUNT):
        client.post(reverse("mfa_authenticate"), {"code": "000000"}, headers=ENGLISH)

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_code(secret)}, headers=ENGLISH
    )

    assert "_auth_user_id" not in client.session
    assert TOO_MANY_FAILURES in response.content.decode()


def test_too_many_log_ins_from_one_address_get_the_portals_429_page(client):
    employee = EmployeeFactory()
    for _attempt in range(LOG_INS_PER_MINUTE):
        assert log_in(client, employee.email, password="niet-het-wachtwoord").status_code == 200

    response = log_in(client, employee.email)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = parse(response)
    assert attribute(page, "html", "lang") == "en"
    main = one(page, "main#main")
    assert text_of(main, "h1") == "Too many attempts"
    assert "Wait a few minutes, then try again." in text(main)
    assert reverse("account_login") in links(main)


def test_log_ins_are_counted_per_visitor_behind_a_trusted_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    employee, someone = EmployeeFactory(), EmployeeFactory()
    for _attempt in range(LOG_INS_PER_MINUTE):
        log_in(client, someone.email, password="x", headers={"X-Forwarded-For": "10.0.0.1"})

    response = log_in(client, employee.email, headers={"X-Forwarded-For": "10.0.0.2"})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


def test_too_many_password_reset_requests_for_one_address_get_the_429_page(client):
    employee = EmployeeFactory()
    url = reverse("account_reset_password")
    for _attempt in range(RESETS_PER_HOUR):
        assert client.post(url, {"email": employee.email}).status_code == 302

    response = client.post(url, {"email": employee.email}, headers=ENGLISH)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == RESETS_PER_HOUR
