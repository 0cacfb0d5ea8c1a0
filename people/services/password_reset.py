"""The password-reset mail goes through the background worker, never from the request.

Sent from the request, a known address took 1.6 s and an unknown one 0.1 s (which told
an outsider who has an account), and a mail server that was down gave a 500 for known
addresses only. Now the form queues one task for every valid request, known address
or not, and answers at once; the worker looks the address up and sends allauth's
reset mail (in the employee's language), retrying a few times while the mail server
is away. The task holds only the address: no reset link sits in the task table.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm, default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.http import HttpRequest
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Tries before the task fails (the person can ask again), waiting 1, 2, 4, 8 minutes.
ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 60


class QueuedResetPasswordForm(ResetPasswordForm):
    """allauth's form (same checks and limits), saved by queueing the mail."""

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        email: str = self.cleaned_data["email"]
        send_password_reset.enqueue(email=email.lower())
        return email


def build_password_reset_mails(*, email: str) -> list[EmailMessage]:
    """allauth's reset mail for each active account with this address (none for an
    unknown address), with a link to the portal's address (PORTAL_BASE_URL)."""
    if not settings.PORTAL_LOCAL_LOGIN:
        return []
    # The lookup of allauth's form itself, as the request did it.
    form = ResetPasswordForm(data={"email": email})
    if not form.is_valid():
        return []
    email = form.cleaned_data["email"].lower()
    adapter = get_adapter()
    site = SimpleNamespace(
        name=settings.PORTAL_MUNICIPALITY_NAME,
        domain=urlsplit(settings.PORTAL_BASE_URL).netloc,
    )
    messages = []
    for user in form.users:
        uid, key = user_pk_to_url_str(user), default_token_generator.make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
        url = settings.PORTAL_BASE_URL.rstrip("/") + path
        context = {
            "user": user,
            "email": email,
            "password_reset_url": url,
            "uid": uid,
            "key": key,
            "request": None,
            "current_site": site,
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            messages.append(adapter.render_mail("account/email/password_reset_key", email, context))
    return messages


@task()
def send_password_reset(*, email: str, attempt: int = 1) -> dict[str, int | str]:
    """Send the reset mail for this address. While the mail server is away, try again
    later (a new task, if the backend can defer) up to ATTEMPTS times, then fail."""
    messages = build_password_reset_mails(email=email)
    if not messages:
        return {"sent": 0}
    try:
        with mailers.default as connection:
            connection.send_messages(messages)
    except (OSError, smtplib.SMTPException) as error:
        if attempt >= ATTEMPTS or not send_password_reset.get_backend().supports_defer:
            raise
        retry_at = timezone.now() + datetime.timedelta(
            seconds=FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1)
        )
        send_password_reset.using(run_after=retry_at).enqueue(email=email, attempt=attempt + 1)
        logger.warning("Password-reset mail not sent (%s); trying again at %s.", error, retry_at)
        return {"sent": 0, "retry_at": retry_at.isoformat()}
    return {"sent": len(messages)}
