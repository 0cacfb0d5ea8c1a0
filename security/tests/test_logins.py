"""Log-ins, log-outs and failed log-ins in the security event log, through allauth's
real forms (the Django test client), with the address by the trusted-proxy rule."""

import json
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, DEFAULT_TOTP_SECRET, EmployeeFactory
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def log_in(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_password_log_in_is_recorded_with_who_the_method_and_the_address(client):
    employee = EmployeeFactory()

    log_in(client, employee.email, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Testbrowser/1")

    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert (event.actor, event.actor_identifier) == (employee, employee.email)
    assert event.details == {"method": "password"}
    assert (event.ip_address, event.user_agent) == ("192.0.2.10", "Testbrowser/1")


def test_behind_the_trusted_proxy_the_log_in_is_recorded_from_the_forwarded_address(
    client, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    employee = EmployeeFactory()

    # The client forged an entry; the proxy appended the real address.
    log_in(
        client,
        employee.email,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4",
    )

    assert SecurityEvent.objects.get(kind=Kind.LOGIN).ip_address == "198.51.100.4"


def test_a_log_in_with_the_second_factor_says_so(client):
    employee = EmployeeFactory(totp=True)
    log_in(client, employee.email)
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN).exists()  # not in yet

    client.post(reverse("mfa_authenticate"), {"code": current_code(DEFAULT_TOTP_SECRET)})

    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert event.details == {"method": "password", "second_factor": "totp"}


def single_sign_on(email: str, *, uid: str = "abc", remote_addr: str = "192.0.2.30"):
    """allauth's own flow after the identity provider's answer, as its callback runs it."""
    SocialApp.objects.get_or_create(
        provider="openid_connect",
        provider_id="municipal",
        defaults={
            "name": "Gemeente-account",
            "client_id": "portal",
            "secret": "s",
            "settings": {"server_url": "https://login.example"},
        },
    )
    request = RequestFactory().get(
        "/account/oidc/municipal/login/callback/", REMOTE_ADDR=remote_addr
    )
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    request.user = AnonymousUser()
    account = SocialAccount(provider="municipal", uid=uid, extra_data={})
    with context.request_context(request):  # as allauth's middleware does
        sociallogin = SocialLogin(
            account=account,
            email_addresses=[EmailAddress(email=email, verified=True, primary=True)],
            provider=account.get_provider(request),
        )
        return complete_social_login(request, sociallogin)


def test_a_single_sign_on_log_in_is_recorded_with_its_provider():
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    SocialAccount.objects.create(user=employee, provider="municipal", uid="abc")

    single_sign_on(employee.email)

    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert event.actor == employee
    assert event.details["method"] == "sso"
    assert event.details["provider"] == "municipal"


def test_a_wrong_password_is_recorded_as_a_failed_log_in_without_the_password(client):
    employee = EmployeeFactory()

    log_in(client, employee.email, password="Geraden-wachtwoord-1", REMOTE_ADDR="192.0.2.66")

    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.actor is None
    assert (event.actor_identifier, event.subject) == (employee.email, employee)
    assert event.ip_address == "192.0.2.66"
    stored = json.dumps(
        list(SecurityEvent.objects.values()), default=str
    )  # every column of every event
    assert "Geraden-wachtwoord-1" not in stored
    assert "*****" not in stored  # not even Django's mask
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_a_log_in_as_someone_unknown_is_recorded_with_the_name_tried(client):
    log_in(client, "niemand@example.org", password="iets")

    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.actor_identifier, event.subject) == ("niemand@example.org", None)


def test_a_wrong_second_factor_code_is_recorded_as_a_failed_log_in(client):
    employee = EmployeeFactory(totp=True)
    log_in(client, employee.email)

    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.subject == employee
    assert event.details == {"method": "totp", "reauthentication": False}
    assert "000000" not in json.dumps(event.details)


def test_a_log_in_stopped_by_the_log_in_limit_is_recorded_as_such(client):
    employee = EmployeeFactory()
    for _attempt in range(5):  # ACCOUNT_RATE_LIMITS "login_failed": 5 per account
        client.post(reverse("account_login"), {"login": employee.email, "password": "fout"})

    client.post(reverse("account_login"), {"login": employee.email, "password": DEFAULT_PASSWORD})

    limited = SecurityEvent.objects.filter(details__limit_reached=True).get()
    assert limited.kind == SecurityEvent.Kind.LOGIN_FAILED
    assert limited.actor_identifier == employee.email
    assert "_auth_user_id" not in client.session


def test_a_log_out_is_recorded(client):
    employee = EmployeeFactory()
    log_in(client, employee.email)

    client.post(reverse("account_logout"))

    assert SecurityEvent.objects.get(kind=Kind.LOGOUT).actor == employee


def test_a_single_sign_on_the_portal_refuses_is_recorded_as_a_failed_log_in():
    response = single_sign_on("onbekend@example.org", uid="xyz")

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.actor_identifier, event.ip_address) == ("onbekend@example.org", "192.0.2.30")
    assert event.details == {"method": "sso", "provider": "municipal"}
