"""The e-mail that invites a new employee to set their password (local log-in only),
and sending it exactly once per person and import.

The link is allauth's password reset link ("reset from key"): the token is allauth's
own, so the portal's ordinary set-password page accepts it, and it stops working once
a password is set or after PASSWORD_RESET_TIMEOUT. Plain text and HTML, in the
employee's language.

Each invitation is an ``Invitation`` row (queued when the import is applied, in its
transaction). The worker
1. claims a row with a conditional update (queued, or "sending" by a worker whose claim
   ran out after INVITATION_CLAIM_SECONDS): a second worker given the same row gets
   nothing;
2. cancels it when it is not needed any more (left, no address, a password set);
3. sends it and marks it sent; a mail server error puts it back in the queue, and after
   INVITATION_MAX_ATTEMPTS marks it failed.
A worker killed part-way never finishes its task, so every run first queues a follow-up
run for after the claim time (as long as invitations are unfinished): it takes over
what the dead worker left. The one window in which a mail could go twice is between
the mail server accepting it and the next database write; both copies carry the same
Message-ID, so mail systems can drop the second.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from people.models import Employee, Invitation, StaffImport
from portal.mail import templated_email

logger = logging.getLogger(__name__)
BATCH = 500


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _set_password_url(employee: Employee) -> str:
    return _absolute(
        reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(employee),
                "key": default_token_generator.make_token(employee),
            },
        )
    )


def _message_id(invitation: Invitation) -> str:
    """The same on every send of one invitation, so that a copy can be recognised."""
    host = settings.PORTAL_BASE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<invitation-{invitation.pk}@{host or 'portal'}>"


def build_invitation(
    *, employee: Employee, invitation: Invitation | None = None
) -> EmailMultiAlternatives:
    language = employee.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "employee": employee,
            "set_password_url": _set_password_url(employee),
            "reset_url": _absolute(reverse("account_reset_password")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        }
    headers = {"Message-ID": _message_id(invitation)} if invitation is not None else None
    return templated_email(
        "people/email/invitation", context, to=[employee.email], language=language, headers=headers
    )


def queue_invitations(*, employees: list[Employee], staff_import_id: int) -> int:
    """One queued row per person (the caller's transaction); a second call adds none."""
    if not settings.PORTAL_LOCAL_LOGIN:
        return 0
    rows = [
        Invitation(employee=employee, staff_import_id=staff_import_id)
        for employee in employees
        if employee.is_active and employee.email
    ]
    Invitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


def adopt_queued_before_rows(*, employee_ids: list[int]) -> int | None:
    """Rows for the people of a task queued before invitations had rows (its argument was
    their ids), under the newest import; the id of that import, or None without one."""
    newest = StaffImport.objects.order_by("-pk").first()
    if newest is None:
        return None
    with transaction.atomic():
        queue_invitations(
            employees=list(Employee.objects.filter(pk__in=employee_ids)),
            staff_import_id=newest.pk,
        )
    return newest.pk


@dataclass
class Outcome:
    sent: int = 0
    cancelled: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another worker meanwhile


def _due(now: datetime.datetime) -> Q:
    return Q(status=Invitation.Status.QUEUED) | Q(
        status=Invitation.Status.SENDING, claimed_until__lt=now
    )


def unfinished() -> bool:
    return Invitation.objects.filter(
        status__in=[Invitation.Status.QUEUED, Invitation.Status.SENDING]
    ).exists()


def _claim(pk: int, *, worker: str, now: datetime.datetime) -> Invitation | None:
    until = now + datetime.timedelta(seconds=settings.INVITATION_CLAIM_SECONDS)
    claimed = Invitation.objects.filter(_due(now), pk=pk).update(
        status=Invitation.Status.SENDING,
        claimed_by=worker,
        claimed_until=until,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Invitation.objects.select_related("employee").get(pk=pk)


def _finish(invitation: Invitation, worker: str, **fields: object) -> None:
    # Only the worker holding the claim may finish the row.
    Invitation.objects.filter(pk=invitation.pk, claimed_by=worker).update(
        claimed_until=None, **fields
    )


def _needed(employee: Employee) -> bool:
    return employee.is_active and bool(employee.email) and not employee.has_usable_password()


def _due_ids(now: datetime.datetime | None) -> Iterator[int]:
    """The due rows' keys in order, read a batch at a time."""
    last = 0
    while True:
        ids = list(
            Invitation.objects.filter(_due(now or timezone.now()), pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        yield from ids
        if len(ids) < BATCH:
            return
        last = ids[-1]


def deliver(*, now: datetime.datetime | None = None) -> Outcome:
    """Send every invitation that is due (see the module's docstring)."""
    worker = uuid.uuid4().hex
    outcome = Outcome()
    if not settings.PORTAL_LOCAL_LOGIN:
        return outcome
    connection = None
    try:
        for pk in _due_ids(now):
            moment = now or timezone.now()
            invitation = _claim(pk, worker=worker, now=moment)
            if invitation is None:
                outcome.skipped += 1
                continue
            if not _needed(invitation.employee):
                _finish(invitation, worker, status=Invitation.Status.CANCELLED)
                outcome.cancelled += 1
                continue
            try:
                message = build_invitation(employee=invitation.employee, invitation=invitation)
                if connection is None:
                    connection = mailers.default
                    connection.open()
                connection.send_messages([message])
            except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
                _failed(invitation, worker, error, outcome)
                if isinstance(error, OSError):
                    # The server may be away: the rest waits for the next run.
                    break
                continue
            _finish(invitation, worker, status=Invitation.Status.SENT, sent_at=timezone.now())
            outcome.sent += 1
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                logger.debug("Closing the mail connection failed", exc_info=True)
    return outcome


def _failed(invitation: Invitation, worker: str, error: Exception, outcome: Outcome) -> None:
    text = f"{type(error).__name__}: {error}"[:1000]
    if isinstance(error, ValueError) or invitation.attempts >= settings.INVITATION_MAX_ATTEMPTS:
        _finish(invitation, worker, status=Invitation.Status.FAILED, last_error=text)
        outcome.failed += 1
        logger.warning("Invitation %s failed for good: %s", invitation.pk, text)
        return
    _finish(invitation, worker, status=Invitation.Status.QUEUED, last_error=text)
    outcome.retrying += 1
