"""Sending planned reminders, exactly once as far as a database and SMTP allow.

For each reminder the worker
1. claims the row with a conditional update (waiting and due, or claimed by a worker
   whose claim ran out): a second worker given the same row gets nothing;
2. checks it is still needed (something it was planned for, its own assignment or one
   of the rows bundled into it, is not signed or exempt, the person is still employed
   and the campaign running): otherwise it is marked "not needed any more";
3. sends the e-mail, which lists everything open for the person then, and marks the row
   sent, with the rows bundled into it in the same transaction (escalations to HR in one
   batch go as one e-mail per campaign listing everyone, and are marked sent together), or on a mail
   server error puts it back to wait with back-off (1, 2, 4 ... minutes, at most
   CAMPAIGN_REMINDER_MAX_BACKOFF), and after CAMPAIGN_REMINDER_MAX_ATTEMPTS marks it
   failed, for HR to see and try again.

A worker that crashes leaves its claimed row to be taken again when the claim runs out
(CAMPAIGN_REMINDER_CLAIM_SECONDS) and its unclaimed rows to be handed over again by the
periodic command. The one window in which a mail could go twice is between the mail
server accepting it and the next database write (milliseconds); the Message-ID is the
same on both sends, so that mail systems can drop the copy.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import Assignment, Reminder
from campaigns.selectors.reminders import open_for_mail, planned_for
from campaigns.services import mails

logger = logging.getLogger(__name__)


def _is_server_away(error: Exception) -> bool:
    """The mail server cannot be reached or dropped the connection: the rest of the
    batch waits for the retry too. (smtplib's errors are OSErrors as well; a reply to
    one message, such as "451 try again later" or "550 no such mailbox", is not.)"""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _is_permanent(error: Exception) -> bool:
    """A 5xx reply: sending the same mail again will not help. A refusal of every
    recipient is permanent only if each refusal is a 5xx (451 on RCPT is "later")."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


@dataclass
class Outcome:
    sent: int = 0
    cancelled: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by someone else, or not due
    retry_at: datetime.datetime | None = None


def backoff(*, attempts: int) -> datetime.timedelta:
    seconds = settings.CAMPAIGN_REMINDER_FIRST_BACKOFF * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.CAMPAIGN_REMINDER_MAX_BACKOFF))


def claim(*, pk: int, worker: str, now: datetime.datetime) -> Reminder | None:
    until = now + datetime.timedelta(seconds=settings.CAMPAIGN_REMINDER_CLAIM_SECONDS)
    claimed = (
        Reminder.objects.filter(pk=pk)
        .filter(
            Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Reminder.Status.SENDING, claimed_until__lt=now)
        )
        .update(
            status=Reminder.Status.SENDING,
            claimed_by=worker,
            claimed_until=until,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return Reminder.objects.select_related(
        "assignment__campaign",
        "assignment__employee__manager",
        "assignment__employee__department",
        "requested_by",
    ).get(pk=pk)


def _finish(
    reminder: Reminder, worker: str, *, bundled: dict[str, object] | None = None, **fields: object
) -> None:
    """Only the worker holding the claim may finish the row; the rows bundled into it
    get ``bundled`` in the same transaction (sent: their time and recipients)."""
    with transaction.atomic():
        finished = Reminder.objects.filter(pk=reminder.pk, claimed_by=worker).update(
            claimed_until=None, **fields
        )
        if finished and bundled:
            Reminder.objects.filter(bundle=reminder).update(**bundled)


def _still_needed(reminder: Reminder, open_now: list[Assignment], planned: set[int]) -> bool:
    """Something the mail was planned for (its own assignment or a bundled row's) is
    still open: not signed or exempt, the person employed, the campaign running."""
    return any(assignment.pk in planned for assignment in open_now)


def _groups(reminder_ids: list[int]) -> list[list[int]]:
    """The mails to send, in order: each reminder on its own, except escalations to HR,
    which go as one mail per campaign listing everyone in the batch."""
    hr_campaign = dict(
        Reminder.objects.filter(pk__in=reminder_ids, kind=Reminder.Kind.HR).values_list(
            "pk", "assignment__campaign_id"
        )
    )
    result: list[list[int]] = []
    per_campaign: dict[int, list[int]] = {}
    for pk in reminder_ids:
        campaign_id = hr_campaign.get(pk)
        if campaign_id is None:
            result.append([pk])
        elif campaign_id in per_campaign:
            per_campaign[campaign_id].append(pk)
        else:
            per_campaign[campaign_id] = [pk]
            result.append(per_campaign[campaign_id])
    return result


def deliver(*, reminder_ids: list[int], now: datetime.datetime | None = None) -> Outcome:
    """Send the given reminders (those still waiting); see the module's docstring."""
    worker = uuid.uuid4().hex
    outcome = Outcome()
    connection = None
    batches = _groups(reminder_ids)
    try:
        for index, group in enumerate(batches):
            moment = now or timezone.now()
            taken = [
                reminder
                for reminder in (claim(pk=pk, worker=worker, now=moment) for pk in group)
                if reminder is not None
            ]
            outcome.skipped += len(group) - len(taken)
            if not taken:
                continue
            open_now = open_for_mail(
                employee_ids={reminder.assignment.employee_id for reminder in taken},
                on=timezone.localdate(moment),
            )
            planned = planned_for(mails=[reminder.pk for reminder in taken])
            claimed = []
            for reminder in taken:
                if _still_needed(
                    reminder, open_now[reminder.assignment.employee_id], planned[reminder.pk]
                ):
                    claimed.append(reminder)
                else:
                    _finish(
                        reminder,
                        worker,
                        status=Reminder.Status.CANCELLED,
                        bundled={"status": Reminder.Status.CANCELLED},
                    )
                    outcome.cancelled += 1
            if not claimed:
                continue
            try:
                message = (
                    mails.build_hr_digest(reminders=claimed, assignments=open_now, now=moment)
                    if len(claimed) > 1
                    else mails.build(
                        reminder=claimed[0],
                        assignments=open_now[claimed[0].assignment.employee_id],
                        now=moment,
                    )
                )
            except Exception as error:  # noqa: BLE001 - one broken mail must not stop the rest
                logger.exception("Reminders %s could not be built", [r.pk for r in claimed])
                for reminder in claimed:
                    _failed(reminder, worker, error, moment, outcome, permanent=True)
                continue
            if message is None:
                for reminder in claimed:
                    _finish(
                        reminder,
                        worker,
                        status=Reminder.Status.CANCELLED,
                        last_error="no e-mail address to send to",
                        bundled={"status": Reminder.Status.CANCELLED},
                    )
                    outcome.cancelled += 1
                continue
            try:
                if connection is None:
                    connection = mailers.default
                    connection.open()
                connection.send_messages([message])
            except ValueError as error:
                # An address Django cannot send to (e.g. an invalid one in the HR data).
                for reminder in claimed:
                    _failed(reminder, worker, error, moment, outcome, permanent=True)
                continue
            except OSError as error:  # smtplib.SMTPException is an OSError too
                for reminder in claimed:
                    _failed(reminder, worker, error, moment, outcome)
                if _is_server_away(error):
                    # The server is away: leave the rest of the batch for the retry
                    # (also when this mail itself has just run out of attempts).
                    _close(connection)
                    connection = None
                    remaining = [pk for later in batches[index + 1 :] for pk in later]
                    if remaining and outcome.retry_at is None:
                        outcome.retry_at = moment + backoff(attempts=1)
                    _postpone(remaining, outcome)
                    break
                continue
            sent = {
                "sent_at": timezone.now() if now is None else moment,
                "recipients": ", ".join(message.to),
            }
            for reminder in claimed:
                _finish(
                    reminder,
                    worker,
                    status=Reminder.Status.SENT,
                    last_error="",
                    bundled=sent,
                    **sent,
                )
                outcome.sent += 1
    finally:
        _close(connection)
    return outcome


def _failed(
    reminder: Reminder,
    worker: str,
    error: Exception,
    now: datetime.datetime,
    outcome: Outcome,
    *,
    permanent: bool = False,
) -> None:
    text = f"{type(error).__name__}: {error}"[:1000]
    permanent = permanent or _is_permanent(error)
    if permanent or reminder.attempts >= settings.CAMPAIGN_REMINDER_MAX_ATTEMPTS:
        _finish(reminder, worker, status=Reminder.Status.FAILED, last_error=text)
        outcome.failed += 1
        logger.warning("Reminder %s failed for good: %s", reminder.pk, text)
        return
    retry_at = now + backoff(attempts=reminder.attempts)
    _finish(
        reminder,
        worker,
        status=Reminder.Status.PENDING,
        next_attempt_at=retry_at,
        dispatched_at=now,
        last_error=text,
    )
    outcome.retrying += 1
    outcome.retry_at = min(filter(None, [outcome.retry_at, retry_at]))
    logger.info("Reminder %s will be tried again at %s: %s", reminder.pk, retry_at, text)


def _postpone(remaining: list[int], outcome: Outcome) -> None:
    """Unclaimed rows of a batch whose server went away wait until the same retry."""
    if remaining and outcome.retry_at:
        Reminder.objects.filter(
            pk__in=remaining, status=Reminder.Status.PENDING, next_attempt_at__lt=outcome.retry_at
        ).update(next_attempt_at=outcome.retry_at)
        outcome.skipped += len(remaining)


def _close(connection: BaseEmailBackend | None) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection may fail too
            logger.debug("Closing the mail connection failed", exc_info=True)
