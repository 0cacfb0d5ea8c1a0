"""The e-mail that invites a new employee to set their password (local log-in only).

The link is allauth's password reset link ("reset from key"): the token is allauth's
own, so the portal's ordinary set-password page accepts it, and it stops working once
a password is set or after PASSWORD_RESET_TIMEOUT. Plain text and HTML, in the
employee's language.
"""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.urls import reverse
from django.utils import translation

from people.models import Employee
from portal.mail import templated_email


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def set_password_url(employee: Employee) -> str:
    return _absolute(
        reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(employee),
                "key": default_token_generator.make_token(employee),
            },
        )
    )


def build_invitation(employee: Employee) -> EmailMultiAlternatives:
    language = employee.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "employee": employee,
            "set_password_url": set_password_url(employee),
            "reset_url": _absolute(reverse("account_reset_password")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        }
    return templated_email(
        "people/email/invitation", context, to=[employee.email], language=language
    )


def send_invitations(employee_ids: list[int]) -> int:
    """Invite these employees, over one mail connection; returns how many were sent.
    Skipped: who left, has no address, or already has a password (invited before)."""
    if not settings.PORTAL_LOCAL_LOGIN:
        return 0
    people = [
        employee
        for employee in Employee.objects.filter(pk__in=employee_ids, is_active=True)
        .exclude(email="")
        .order_by("pk")
        if not employee.has_usable_password()
    ]
    if not people:
        return 0
    messages = [build_invitation(employee) for employee in people]
    with mailers.default as connection:
        connection.send_messages(messages)
    return len(messages)
