"""Two-factor changes in the security event log, through allauth's own pages."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, DEFAULT_TOTP_SECRET, EmployeeFactory
from portal.testing.html import parse, text_of
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, employee):
    client.post(reverse("account_login"), {"login": employee.email, "password": DEFAULT_PASSWORD})


def reauthenticate(client):
    """allauth asks who it is again before a two-factor change: the password, or the
    code where allauth (or the portal) asks for the second factor."""
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    if response.get("Location", "").startswith(reverse("mfa_reauthenticate")):
        client.post(reverse("mfa_reauthenticate"), {"code": code(DEFAULT_TOTP_SECRET)})


def kinds(employee):
    return list(
        SecurityEvent.objects.filter(subject=employee).order_by("pk").values_list("kind", flat=True)
    )


def test_turning_the_authenticator_app_on_is_recorded_with_its_recovery_codes(
    client, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory()
    log_in(client, employee)
    reauthenticate(client)
    secret = text_of(parse(client.get(reverse("mfa_activate_totp"))), "#totp-secret")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code(secret)}, REMOTE_ADDR="192.0.2.5")

    assert kinds(employee) == [Kind.TOTP_ACTIVATED, Kind.RECOVERY_CODES_GENERATED]
    event = SecurityEvent.objects.get(kind=Kind.TOTP_ACTIVATED)
    assert (event.actor, event.ip_address) == (employee, "192.0.2.5")


def test_turning_the_authenticator_app_off_is_recorded(client, django_capture_on_commit_callbacks):
    employee = EmployeeFactory(totp=True)
    client.force_login(employee)  # the code of this half minute is for reauthentication
    reauthenticate(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))

    assert kinds(employee) == [Kind.TOTP_DEACTIVATED]


def test_new_recovery_codes_are_recorded(client, django_capture_on_commit_callbacks):
    employee = EmployeeFactory(totp=True)
    client.force_login(employee)  # the code of this half minute is for reauthentication
    reauthenticate(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))

    assert kinds(employee) == [Kind.RECOVERY_CODES_GENERATED]
