"""Checking the whole ledger in the background and keeping the results.

Checking the chain (acknowledgements.verification.verify_chain) reads every entry: some
seconds at 100,000 entries. So the ledger page does not check on each visit; it shows
the last stored ``LedgerCheck``. HR or an auditor asks for a new check with a button
(``request_check``: the background worker runs it, see acknowledgements.tasks), and the
nightly ``manage.py verify_ledger`` stores its result the same way (``run_check``).

The problem found is stored in English (the message id) and shown in the reader's
language (``problem_text``).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from acknowledgements.models import LedgerCheck
from acknowledgements.verification import verify_chain

logger = logging.getLogger(__name__)

PENDING = (LedgerCheck.State.QUEUED, LedgerCheck.State.RUNNING)
# A check still waiting or running after this long is taken as lost (the worker was
# stopped while it ran): it no longer holds back a new one. A check of millions of
# entries takes minutes.
STALE_AFTER = datetime.timedelta(hours=2)


def _pending(now: datetime.datetime):
    return LedgerCheck.objects.filter(state__in=PENDING, requested_at__gte=now - STALE_AFTER)


def _newest_pending(now: datetime.datetime) -> LedgerCheck | None:
    return _pending(now).order_by("-requested_at", "-pk").first()


def request_check(*, requested_by, now: datetime.datetime | None = None) -> LedgerCheck:
    """Queue a check of the ledger for the background worker, once the transaction
    commits. When a check is waiting or running already, that one is returned and no
    second one is queued. ``check.newly_requested`` says which of the two happened."""
    from acknowledgements.tasks import run_ledger_check

    now = now or timezone.now()
    with transaction.atomic():
        existing = _newest_pending(now)
        if existing is None:
            # Checks the worker never finished: say so, rather than "running" for ever.
            LedgerCheck.objects.filter(
                state__in=PENDING, requested_at__lt=now - STALE_AFTER
            ).update(state=LedgerCheck.State.FAILED, finished_at=now)
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


def run_check(check: LedgerCheck) -> LedgerCheck:
    """Check the chain and store the result on ``check``. A check that is not waiting
    (run already, or being run by another worker) is left alone, so a task delivered
    twice is harmless. When checking fails (an error, not a problem in the chain), the
    check is marked failed and the error raised again."""
    started = LedgerCheck.objects.filter(pk=check.pk, state=LedgerCheck.State.QUEUED).update(
        state=LedgerCheck.State.RUNNING, started_at=timezone.now()
    )
    if not started:
        check.refresh_from_db()
        return check
    return _check_and_store(check)


def _check_and_store(check: LedgerCheck) -> LedgerCheck:
    """Run the chain check for ``check`` (running) and store its result."""
    try:
        # The problem is stored as its English message id (see problem_text).
        with translation.override("en"):
            result = verify_chain()
    except Exception:
        logger.exception("Ledger check %s failed", check.pk)
        LedgerCheck.objects.filter(pk=check.pk).update(
            state=LedgerCheck.State.FAILED, finished_at=timezone.now()
        )
        check.refresh_from_db()
        raise
    check.state = LedgerCheck.State.DONE
    check.finished_at = timezone.now()
    check.ok = result.ok
    check.entries_checked = result.checked
    check.head_sequence = result.head_sequence
    check.head_hash = result.head_hash
    check.problem_sequence = result.problem_sequence
    check.problem_reason = result.first_problem[1] if result.first_problem else ""
    check.save(
        update_fields=[
            "state",
            "finished_at",
            "ok",
            "entries_checked",
            "head_sequence",
            "head_hash",
            "problem_sequence",
            "problem_reason",
        ]
    )
    return check


def run_system_check() -> LedgerCheck:
    """Check the ledger now, in this process, as a system run (no one asked: the
    nightly ``manage.py verify_ledger``), and store the result."""
    now = timezone.now()
    # Running from the start: it never waits, so it never stands in the way of a
    # check someone asked for (one may wait at a time).
    check = LedgerCheck.objects.create(
        requested_at=now, requested_by=None, state=LedgerCheck.State.RUNNING, started_at=now
    )
    return _check_and_store(check)


_SEQUENCE_GAP = re.compile(r"sequence gap: expected (\d+)")


def problem_text(reason: str) -> str:
    """A stored problem (an English message id of acknowledgements.verification) in the
    active language."""
    if not reason:
        return ""
    gap = _SEQUENCE_GAP.fullmatch(reason)
    if gap:
        return gettext("sequence gap: expected %(expected)s") % {"expected": gap[1]}
    return gettext(reason)


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
        if latest is not None and latest.pending and latest.requested_at >= self.now - STALE_AFTER:
            return latest
        return None

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


def check_status(now: datetime.datetime | None = None) -> CheckStatus:
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
