"""Checking the whole ledger in the background and keeping the results.

Checking the chain (acknowledgements.selectors.verification.verify_chain) reads every entry: some
seconds at 100,000 entries. So the ledger page does not check on each visit; it shows
the last stored ``LedgerCheck``. HR or an auditor asks for a new check with a button
(``request_check``: the background worker runs it, see acknowledgements.tasks), and the
nightly ``manage.py verify_ledger`` stores its result the same way (``run_system_check``).
Every check stores the last entry it saw intact (its sequence number and hash): a later
check fails when the chain no longer reaches that entry with that hash (see
verification). With ``LEDGER_ANCHOR_EMAIL`` set, the nightly check also sends that entry
to an address outside the portal (``send_anchor``, through the background worker), so
that even a wipe of the checks themselves is caught by comparing.

The problem found is stored in English (the message id) and shown in the reader's
language (``problem_text``).

A running check beats (portal.heartbeat): one whose worker died is run once more by
``recover_stalled_checks`` (the periodic command, and every request for a check), then
marked failed; it never holds back a new check for longer than the stall limit.
A waiting check whose task never reached the queue (the process died before queueing
it, or the task row was removed) is queued once more by ``requeue_lost_checks`` after
WORK_TASK_LOST_AFTER_SECONDS, then marked failed: it holds back no new check for ever.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from acknowledgements.models import LedgerCheck
from acknowledgements.selectors import verification
from acknowledgements.selectors.anchors import Anchor
from acknowledgements.selectors.verification import verify_chain
from people.models import Employee
from portal.heartbeat import (
    MAX_ATTEMPTS,
    Heartbeat,
    Recovered,
    is_stalled,
    stalled,
    task_lost_after,
    tasks_in_queue,
)
from portal.mail import render_subject

logger = logging.getLogger(__name__)

PENDING = (LedgerCheck.State.QUEUED, LedgerCheck.State.RUNNING)


def _pending(now: datetime.datetime) -> QuerySet[LedgerCheck]:
    """Checks waiting, or running with a heartbeat (a stalled one holds nothing back)."""
    running = LedgerCheck.objects.filter(state=LedgerCheck.State.RUNNING)
    return LedgerCheck.objects.filter(state__in=PENDING).exclude(
        pk__in=running.filter(stalled(now)).values("pk")
    )


def _newest_pending(now: datetime.datetime) -> LedgerCheck | None:
    return _pending(now).order_by("-requested_at", "-pk").first()


def _this_attempt(check: LedgerCheck) -> QuerySet[LedgerCheck]:
    """The check's row while this attempt runs it (empty once it was given up on)."""
    return LedgerCheck.objects.filter(
        pk=check.pk, state=LedgerCheck.State.RUNNING, attempts=check.attempts
    )


def recover_stalled_checks(*, now: datetime.datetime | None = None) -> Recovered:
    """Run checks whose worker died once more (when no other check waits), or mark
    them failed."""
    from acknowledgements.tasks import run_ledger_check

    now = now or timezone.now()
    # First the waiting one: a check handed on below has its task queued at commit.
    recovered = requeue_lost_checks(now=now)
    candidates = (
        LedgerCheck.objects.filter(state=LedgerCheck.State.RUNNING)
        .filter(stalled(now))
        .values_list("pk", "attempts")
        .order_by("pk")
    )
    for pk, attempts in candidates:
        # The same conditions in the update: a worker that beat meanwhile wins.
        rows = LedgerCheck.objects.filter(
            pk=pk, state=LedgerCheck.State.RUNNING, attempts=attempts
        ).filter(stalled(now))
        if attempts < MAX_ATTEMPTS:
            try:
                with transaction.atomic():
                    queued = rows.update(state=LedgerCheck.State.QUEUED, heartbeat_at=None)
            except IntegrityError:
                queued = 0  # another check waits already: that one will run
            if queued:
                transaction.on_commit(functools.partial(run_ledger_check.enqueue, pk))
                recovered.retried += 1
                continue
        if rows.update(state=LedgerCheck.State.FAILED, finished_at=now):
            recovered.failed += 1
    return recovered


def requeue_lost_checks(*, now: datetime.datetime | None = None) -> Recovered:
    """Queue once more a waiting check that has waited longer than
    WORK_TASK_LOST_AFTER_SECONDS with no task for it in the queue; mark it failed when
    the task queued that way was lost too. ``heartbeat_at`` of a waiting check records
    when this queued it once more (stall recovery leaves it empty). Only waiting checks
    qualify, so one that ran is never run again; each is locked and looked at again
    before it is queued, so two runs at once queue it once."""
    from acknowledgements.tasks import run_ledger_check

    now = now or timezone.now()
    recovered = Recovered()
    in_queue = tasks_in_queue(run_ledger_check, now=now)
    if in_queue is None:
        return recovered  # a task backend without a queue to read: nothing to judge by
    waiting = (
        LedgerCheck.objects.filter(state=LedgerCheck.State.QUEUED)
        .annotate(waiting_since=Coalesce("heartbeat_at", "started_at", "requested_at"))
        .filter(waiting_since__lt=now - task_lost_after())
    )
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        if pk in in_queue:
            continue
        with transaction.atomic():
            check = waiting.select_for_update(skip_locked=True).filter(pk=pk).first()
            if check is None or pk in (tasks_in_queue(run_ledger_check, now=now) or set()):
                continue  # taken on, or queued by another run meanwhile
            rows = LedgerCheck.objects.filter(pk=pk, state=LedgerCheck.State.QUEUED)
            if check.heartbeat_at is not None:
                rows.update(state=LedgerCheck.State.FAILED, finished_at=now)
                logger.warning("Ledger check %s: its task was lost again; marked failed", pk)
                recovered.failed += 1
                continue
            rows.update(heartbeat_at=timezone.now())
            # Queued in this transaction (the database queue): seen by any later run.
            run_ledger_check.enqueue(pk)
            logger.warning(
                "Ledger check %s waited since %s with no task in the queue: queued once more",
                pk,
                check.waiting_since.isoformat(),
            )
            recovered.requeued += 1
    return recovered


def request_check(*, requested_by: Employee, now: datetime.datetime | None = None) -> LedgerCheck:
    """Queue a check of the ledger for the background worker, once the transaction
    commits. When a check is waiting or running already, that one is returned and no
    second one is queued. ``check.newly_requested`` says which of the two happened."""
    from acknowledgements.tasks import run_ledger_check

    now = now or timezone.now()
    with transaction.atomic():
        # A check whose worker died is run again (and returned) or marked failed here,
        # also when the periodic command does not run.
        recover_stalled_checks(now=now)
        existing = _newest_pending(now)
        if existing is None:
            try:
                with transaction.atomic():
                    check = LedgerCheck.objects.create(requested_at=now, requested_by=requested_by)
            except IntegrityError:
                # Another request queued one since we looked (one may wait at a time).
                existing = _newest_pending(now)
                if existing is None:
                    raise
            else:
                transaction.on_commit(lambda: run_ledger_check.enqueue(check.pk))
                check.newly_requested = True
                return check
    existing.newly_requested = False
    return existing


def run_check(*, check: LedgerCheck) -> LedgerCheck:
    """Check the chain and store the result on ``check``. A check that is not waiting
    (run already, or being run by another worker) is left alone, so a task delivered
    twice is harmless. When checking fails (an error, not a problem in the chain), the
    check is marked failed and the error raised again."""
    now = timezone.now()
    started = LedgerCheck.objects.filter(pk=check.pk, state=LedgerCheck.State.QUEUED).update(
        state=LedgerCheck.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    check.refresh_from_db()
    if not started:
        return check
    return _check_and_store(check)


def _check_and_store(check: LedgerCheck, anchors: tuple[Anchor, ...] = ()) -> LedgerCheck:
    """Run the chain check for ``check`` (running) and store its result."""
    try:
        # The problem is stored as its English message id (see problem_text).
        with Heartbeat(_this_attempt(check)), translation.override("en"):
            result = verify_chain(anchors=anchors)
    except Exception:
        logger.exception("Ledger check %s failed", check.pk)
        _this_attempt(check).update(state=LedgerCheck.State.FAILED, finished_at=timezone.now())
        check.refresh_from_db()
        raise
    # Only this attempt stores its result: one given up on (and run again) writes nothing.
    _this_attempt(check).update(
        state=LedgerCheck.State.DONE,
        finished_at=timezone.now(),
        ok=result.ok,
        entries_checked=result.checked,
        head_sequence=result.head_sequence,
        head_hash=result.head_hash,
        problem_sequence=result.problem_sequence,
        problem_reason=result.first_problem[1] if result.first_problem else "",
    )
    check.refresh_from_db()
    return check


def run_system_check(*, anchors: tuple[Anchor, ...] = ()) -> LedgerCheck:
    """Check the ledger now, in this process, as a system run (no one asked: the
    nightly ``manage.py verify_ledger``), and store the result. ``anchors``: entries
    that must still be there with these hashes. With ``LEDGER_ANCHOR_EMAIL`` set, the
    last entry seen intact is then sent there (``send_anchor``)."""
    now = timezone.now()
    # Running from the start: it never waits, so it never stands in the way of a
    # check someone asked for (one may wait at a time).
    check = LedgerCheck.objects.create(
        requested_at=now,
        requested_by=None,
        state=LedgerCheck.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=1,
    )
    check = _check_and_store(check, anchors)
    if settings.LEDGER_ANCHOR_EMAIL:
        from acknowledgements.tasks import send_ledger_anchor

        transaction.on_commit(lambda: send_ledger_anchor.enqueue(check.pk))
    return check


@functools.cache
def _problem_patterns() -> tuple[tuple[re.Pattern[str], verification.Problem], ...]:
    """Each problem with values (verification.PROBLEMS) as patterns of its English forms."""
    patterns = []
    with translation.override("en"):
        for problem in verification.PROBLEMS:
            for form in dict.fromkeys((problem(2), problem(1))):
                patterns.append((_pattern(form), problem))
    return tuple(patterns)


def _pattern(form: str) -> re.Pattern[str]:
    """A message with %(name)s placeholders as a pattern that reads the values back."""
    parts = re.split(r"%\((\w+)\)s", form)
    seen: set[str] = set()
    regex = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex.append(re.escape(part))
        elif part in seen:
            regex.append(f"(?P={part})")
        else:
            seen.add(part)
            regex.append(f"(?P<{part}>.+?)")
    return re.compile("".join(regex), re.DOTALL)


def problem_text(*, reason: str) -> str:
    """A stored problem (an English message of acknowledgements.selectors.verification,
    with its values) in the active language."""
    if not reason:
        return ""
    for pattern, problem in _problem_patterns():
        match = pattern.fullmatch(reason)
        if match:
            values = match.groupdict()
            return problem(verification.problem_count(values=values)) % values
    return gettext(reason)


# Anchors outside the portal --------------------------------------------------------------


def anchor_mail(*, check: LedgerCheck) -> EmailMessage:
    """A finished check's result and last intact entry (sequence number, hash, time) as
    a plain-text mail to LEDGER_ANCHOR_EMAIL, in the portal's language (Dutch): someone
    outside the portal keeps it, so that a later wipe of the ledger and its checks is
    caught by comparing (``verify_ledger --anchor SEQ:HASH``)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
            "check": check,
            "problem": problem_text(reason=check.problem_reason),
            "anchor": f"{check.head_sequence}:{check.head_hash}",
            # In UTC: one reading for everyone who compares.
            "finished_at": (check.finished_at or check.requested_at)
            .astimezone(datetime.UTC)
            .isoformat(timespec="seconds"),
        }
        subject = render_subject("acknowledgements/email/ledger_anchor_subject.txt", context)
        body = render_to_string("acknowledgements/email/ledger_anchor.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.LEDGER_ANCHOR_EMAIL],
    )


def send_anchor(*, check: LedgerCheck) -> bool:
    """Send ``anchor_mail`` for a finished check when LEDGER_ANCHOR_EMAIL is set (the
    task acknowledgements.tasks.send_ledger_anchor). Returns whether it was sent."""
    if not settings.LEDGER_ANCHOR_EMAIL or check.state != LedgerCheck.State.DONE:
        return False
    anchor_mail(check=check).send()
    return True


# Reading ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CheckStatus:
    """What the ledger page says about checking: the last finished check's result, and
    the latest check if it is still waiting or running or did not finish."""

    finished: LedgerCheck | None
    latest: LedgerCheck | None
    now: datetime.datetime

    @property
    def in_progress(self) -> LedgerCheck | None:
        """The check waiting or running now, if any."""
        latest = self.latest
        if latest is None or not latest.pending:
            return None
        if latest.state == LedgerCheck.State.RUNNING and is_stalled(latest, self.now):
            return None  # its worker died: shown as unfinished until it runs again
        return latest

    @property
    def unfinished(self) -> LedgerCheck | None:
        """The latest check, when it failed or was lost before it finished."""
        latest = self.latest
        if latest is None or latest.state == LedgerCheck.State.DONE or self.in_progress:
            return None
        return latest


def latest_finished_check() -> LedgerCheck | None:
    """The newest check that finished, with its result."""
    return (
        LedgerCheck.objects.select_related("requested_by")
        .filter(state=LedgerCheck.State.DONE)
        .first()
    )


def check_status(*, now: datetime.datetime | None = None) -> CheckStatus:
    """The last finished check and the newest check, in one query."""
    newest = LedgerCheck.objects.order_by("-requested_at", "-pk").values("pk")[:1]
    newest_done = (
        LedgerCheck.objects.filter(state=LedgerCheck.State.DONE)
        .order_by("-requested_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        LedgerCheck.objects.select_related("requested_by").filter(
            Q(pk__in=newest) | Q(pk__in=newest_done)
        )
    )
    finished = next((row for row in rows if row.state == LedgerCheck.State.DONE), None)
    latest = rows[0] if rows else None  # ordered newest first
    return CheckStatus(finished=finished, latest=latest, now=now or timezone.now())
