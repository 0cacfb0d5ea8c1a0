"""Deciding which reminders and escalations are due, and handing them to the worker.

Run by the periodic command ``run_campaigns`` (cron or a systemd timer). Planning is
set-based and idempotent: a Reminder row per (assignment, step) is inserted with the
unique constraint refusing duplicates, so two runs at the same moment plan each mail
once. The rows of one person and one kind that wait together, across guidelines and
campaigns, are then bundled into one mail (``bundle``). Dispatching marks rows as handed
over and enqueues ``deliver_reminders`` tasks in batches; the worker
(``manage.py db_worker``) sends them (campaigns.services.delivery).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from campaigns import selectors
from campaigns.models import Assignment, Campaign, Reminder
from campaigns.selectors import reminders as reminder_selectors
from people.models import Employee

DISPATCH_BATCH = 50
# The key of the PostgreSQL advisory lock that bundling and dispatching take in turn.
PLANNING_LOCK = 7_319_001
# How many days the employee's last reminder may still go when a run missed its day.
LATE_DAYS = 7
ERROR_KIND = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,63}):")

logger = logging.getLogger(__name__)


@dataclass
class Plan:
    planned: int = 0
    dispatched: int = 0


def _open_assignments(campaign: Campaign, on: datetime.date) -> QuerySet[Assignment]:
    """Assignments that still need something: counting, not exempt, not signed, and a
    task today (campaigns.selectors.actionable: nobody is chased for a version that is
    not in force yet)."""
    return (
        selectors.counting(assignments=campaign.assignments.all(), on=on)
        .filter(exempted_at__isnull=True)
        .filter(signed_at__isnull=True)
        .filter(selectors.actionable(on=on))
    )


def _step_conditions(campaign: Campaign, on: datetime.date) -> list[tuple[str, str, Q]]:
    """(kind, step, condition on the assignment) for each step of the schedule due on
    the date ``on``.

    The employee's reminders (before the due date, on it, and after it) are one chain:
    only the latest step that is due goes, so that someone added late (or a run that
    missed days) gets one mail, not all of them at once. A step is due from its day
    until the day of the next one; the last one for LATE_DAYS more, so that a schedule
    changed long after the due date does not mail everyone who is long overdue."""
    days = datetime.timedelta
    conditions: list[tuple[str, str, Q]] = []
    chain = [
        step
        for step in reminder_selectors.schedule(campaign=campaign)
        if step.kind == Reminder.Kind.REMINDER
    ]
    for index, step in enumerate(chain):
        # The step's day has come: due_date + offset <= on.
        window = Q(due_date__lte=on - days(step.offset))
        if index + 1 < len(chain):
            window &= Q(due_date__gt=on - days(chain[index + 1].offset))
        else:
            window &= Q(due_date__gt=on - days(step.offset + LATE_DAYS))
        conditions.append((Reminder.Kind.REMINDER, step.key, window))
    if campaign.manager_escalation_days is not None:
        conditions.append(
            (
                Reminder.Kind.MANAGER,
                reminder_selectors.manager_step(days=campaign.manager_escalation_days),
                Q(due_date__lte=on - days(campaign.manager_escalation_days))
                & Q(employee__manager__isnull=False),
            )
        )
    if campaign.hr_escalation_days is not None:
        conditions.append(
            (
                Reminder.Kind.HR,
                reminder_selectors.hr_step(days=campaign.hr_escalation_days),
                Q(due_date__lte=on - days(campaign.hr_escalation_days)),
            )
        )
    return conditions


def plan_reminders(*, now: datetime.datetime | None = None) -> int:
    """Insert a Reminder for every step that is due today and not planned yet."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    planned = 0
    campaigns = Campaign.objects.filter(status=Campaign.Status.RUNNING, start_date__lte=on)
    for campaign in campaigns:
        open_assignments = _open_assignments(campaign, on)
        for kind, step, condition in _step_conditions(campaign, on):
            done_before = Reminder.objects.filter(assignment=OuterRef("pk"), step=step)
            if kind != Reminder.Kind.REMINDER:
                # One escalation of each kind per assignment, also when HR changes the
                # number of days after it went.
                done_before = Reminder.objects.filter(assignment=OuterRef("pk"), kind=kind)
            ids = list(
                open_assignments.filter(condition)
                .exclude(Exists(done_before))
                .values_list("pk", flat=True)
            )
            planned += _insert(ids, kind=kind, step=step, now=now)
    bundle()
    return planned


def _take_turns() -> None:
    """Bundling and dispatching one at a time (inside their transaction): a row is only
    bundled into a mail that no worker has been given yet, and the statement after the
    lock sees what the other committed. SQLite writes one at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLANNING_LOCK])


def bundle() -> int:
    """One mail per person and kind: every waiting row (pending, not handed to a worker,
    not bundled) that is not the lowest of the waiting rows of the same employee and kind
    is bundled into that lowest row, the mail; across guidelines and campaigns. A mail
    already handed over takes no more rows. Returns how many were bundled.

    Two set-based statements (a window over the waiting rows), however many rows: the
    first hands the rows of a mail that is about to be bundled itself (a row planned by
    a concurrent run that committed later can be lower) on to the new mail, so that a
    bundled row always points at the mail it goes in; the second bundles."""
    # Only our own tables are named in the statements; the values are parameters.
    quote = connection.ops.quote_name
    reminder, assignment = quote(Reminder._meta.db_table), quote(Assignment._meta.db_table)
    grouped = f"""
        SELECT r.id AS id, MIN(r.id) OVER (PARTITION BY a.employee_id, r.kind) AS leader
        FROM {reminder} r JOIN {assignment} a ON a.id = r.assignment_id
        WHERE r.status = %s AND r.dispatched_at IS NULL AND r.bundle_id IS NULL
    """  # noqa: S608
    follow = f"""
        UPDATE {reminder} SET bundle_id = g.leader FROM ({grouped}) AS g
        WHERE {reminder}.bundle_id = g.id AND g.id <> g.leader
    """  # noqa: S608
    join = f"""
        UPDATE {reminder} SET status = %s, bundle_id = g.leader FROM ({grouped}) AS g
        WHERE {reminder}.id = g.id AND g.id <> g.leader
    """  # noqa: S608
    with transaction.atomic():
        _take_turns()
        with connection.cursor() as cursor:
            cursor.execute(follow, [Reminder.Status.PENDING])
            cursor.execute(join, [Reminder.Status.BUNDLED, Reminder.Status.PENDING])
            return int(cursor.rowcount)


def _insert(
    assignment_ids: Collection[int],
    *,
    kind: str,
    step: str,
    now: datetime.datetime,
    requested_by: Employee | None = None,
) -> int:
    if not assignment_ids:
        return 0
    before = Reminder.objects.filter(assignment_id__in=assignment_ids, step=step).count()
    Reminder.objects.bulk_create(
        (
            Reminder(
                assignment_id=pk,
                kind=kind,
                step=step,
                requested_by=requested_by,
                created_at=now,
                next_attempt_at=now,
            )
            for pk in assignment_ids
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
    return Reminder.objects.filter(assignment_id__in=assignment_ids, step=step).count() - before


def _ready_for_dispatch(now: datetime.datetime) -> QuerySet[Reminder]:
    """Rows a worker should take now: waiting and due (and not handed over recently),
    or claimed by a worker whose claim ran out (it crashed or was killed) and not
    handed over again since then."""
    handed_over_long_ago = now - datetime.timedelta(
        seconds=settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT
    )
    not_handed_over_recently = Q(dispatched_at__isnull=True) | Q(
        dispatched_at__lt=handed_over_long_ago
    )
    return Reminder.objects.filter(
        Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) & not_handed_over_recently
        | Q(status=Reminder.Status.SENDING, claimed_until__lt=now)
        & (not_handed_over_recently | Q(dispatched_at__lt=F("claimed_until")))
    )


def dispatch(*, now: datetime.datetime | None = None, clock: bool = False) -> int:
    """Hand due reminders to the worker in batches. ``clock``: pass ``now`` on to the
    task (tests with a controlled clock); in production the worker uses real time."""
    from campaigns.tasks import deliver_reminders

    now = now or timezone.now()
    dispatched = 0
    while True:
        with transaction.atomic():
            _take_turns()
            ids = list(
                _ready_for_dispatch(now)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:DISPATCH_BATCH]
            )
            if not ids:
                break
            Reminder.objects.filter(pk__in=ids).update(dispatched_at=now)
            kwargs = {"now": now.isoformat()} if clock else {}
            transaction.on_commit(partial(deliver_reminders.enqueue, ids, **kwargs))
        dispatched += len(ids)
    return dispatched


def remind_now(
    *, assignments: QuerySet[Assignment], by: Employee, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """A manager's "remind" button: one mail per person per day, listing everything open
    for them. Returns (people reminded now, people reminded today already). The mails go
    through the same worker as the others (on the caller's clock when ``now`` is given,
    as in run)."""
    clock = now is not None
    now = now or timezone.now()
    on = timezone.localdate(now)
    step = f"manual-{on.isoformat()}"
    open_rows = dict(
        selectors.counting(assignments=assignments, on=on)
        .filter(selectors.actionable(on=on), exempted_at__isnull=True)
        .filter(signed_at__isnull=True)
        .values_list("pk", "employee_id")
    )
    with transaction.atomic():
        reminded = set(
            Reminder.objects.filter(assignment_id__in=open_rows, step=step).values_list(
                "assignment_id", flat=True
            )
        )
        planned = _insert(
            open_rows.keys() - reminded,
            kind=Reminder.Kind.MANUAL,
            step=step,
            now=now,
            requested_by=by,
        )
        bundle()
    if planned:
        dispatch(now=now, clock=clock)
    people = set(open_rows.values())
    planned_people = {open_rows[pk] for pk in open_rows.keys() - reminded} if planned else set()
    return len(planned_people), len(people - planned_people)


def run(*, now: datetime.datetime | None = None, clock: bool = False) -> dict[str, int]:
    """What the periodic command does, in order; returns the counts for its output."""
    from campaigns import services

    now = now or timezone.now()
    # Onboarding first: a new employee then joins no campaign for the same version.
    onboarded = services.apply_onboarding_rule(now=now)
    joined = services.add_joiners(now=now)
    # Before planning: nobody who signed during a launch may be reminded (progress.repair).
    repaired = repair_progress()
    planned = plan_reminders(now=now)
    dispatched = dispatch(now=now, clock=clock)
    return {
        "joined": joined,
        "onboarded": onboarded,
        "repaired": repaired,
        "planned": planned,
        "dispatched": dispatched,
    }


def repair_progress() -> int:
    """The facts of running campaigns' assignments made equal to the source tables again
    (campaigns.services.progress.repair); logged when something was repaired."""
    from campaigns.services import progress

    repaired = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.RUNNING):
        with transaction.atomic():
            changed = progress.repair(campaign=campaign)
        if changed:
            logger.warning(
                "Campaign %s: progress of %s assignment(s) repaired.", campaign.pk, changed
            )
        repaired += changed
    return repaired


def _error_kind(text: str) -> str:
    """The kind of a delivery error (its exception's name), for the audit trail.

    A mail server's message can name the recipient ("<jan@example.org>: unknown user"):
    free text about a person, which stays on the Reminder (``last_error``) and never
    goes into the append-only trail. Anything but an exception's name is "other"."""
    match = ERROR_KIND.match(text or "")
    return match.group(1) if match else "other"


def retry_failed(
    *, reminder: Reminder, by: Employee, now: datetime.datetime | None = None
) -> Reminder:
    """HR tries a failed mail again (e.g. after fixing an address); logged."""
    from campaigns.models import CampaignEvent
    from campaigns.services import CampaignError, log_event

    clock = now is not None
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update().select_related("assignment").get(pk=reminder.pk)
        )
        if reminder.status != Reminder.Status.FAILED:
            raise CampaignError(gettext("Only a failed mail can be tried again."))
        reminder.status = Reminder.Status.PENDING
        reminder.next_attempt_at = now
        reminder.dispatched_at = None
        reminder.attempts = 0
        reminder.save(update_fields=["status", "next_attempt_at", "dispatched_at", "attempts"])
        log_event(
            kind=CampaignEvent.Kind.REMINDER_RETRIED,
            campaign=reminder.assignment.campaign,
            assignment=reminder.assignment,
            actor=by,
            reminder=reminder.pk,
            previous_error_kind=_error_kind(reminder.last_error),
        )
    dispatch(now=now, clock=clock)
    return reminder
