"""Writes about campaigns and assignments. Each writes its audit row in the same
transaction. Reminders are planned and sent by campaigns.services.reminders and
campaigns.services.delivery."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from campaigns import selectors
from campaigns.models import Assignment, Campaign, CampaignEvent, CampaignGuideline, Exemption
from campaigns.services import bulk, progress
from handbook.models import Guideline, GuidelineVersion
from handbook.selectors.audience import audience_of
from people.models import Department, Employee

BULK_BATCH = 2000
# The most days HR may give a new employee for one guideline of the onboarding rule.
MAX_ONBOARDING_DAYS = 365


class CampaignError(Exception):
    """A campaign action that is not allowed now; the message is for the user."""


def log_event(
    *,
    kind: str,
    campaign: Campaign,
    actor: Employee | None = None,
    assignment: Assignment | None = None,
    **details: object,
) -> CampaignEvent:
    """Write a row of the campaigns' audit trail (callers are inside their transaction)."""
    return CampaignEvent.objects.create(
        kind=kind, campaign=campaign, actor=actor, assignment=assignment, details=details
    )


def _chosen_versions(versions: Sequence[GuidelineVersion]) -> list[GuidelineVersion]:
    """The versions a campaign asks for, read again (with their guidelines) and checked:
    one or more, each published, each of a different guideline."""
    if not versions:
        raise CampaignError(gettext("Choose at least one guideline."))
    fresh = GuidelineVersion.objects.select_related("guideline").in_bulk(
        [version.pk for version in versions]
    )
    chosen = [fresh[version.pk] for version in versions if version.pk in fresh]
    if len(chosen) != len(versions):
        raise CampaignError(gettext("Only a published version can be the subject of a campaign."))
    seen: set[int] = set()
    for version in chosen:
        if version.status != GuidelineVersion.Status.PUBLISHED:
            raise CampaignError(
                gettext(
                    "Version %(number)s of “%(title)s” is not published: only a published "
                    "version can be the subject of a campaign."
                )
                % {"number": version.number, "title": version.guideline.title}
            )
        if version.guideline_id in seen:
            raise CampaignError(
                gettext(
                    "“%(title)s” is chosen twice: a campaign asks for one version of each "
                    "guideline."
                )
                % {"title": version.guideline.title}
            )
        seen.add(version.guideline_id)
    return chosen


def _check_start(
    start_date: datetime.date, versions: Iterable[GuidelineVersion], *, on: datetime.date
) -> None:
    """A campaign asks nothing before each of its versions is in force: else its
    employees would be asked for a version the portal does not offer them yet (the
    signing page offers the version in force). It starts on its start date, or on the
    day ``on`` it is set up or launched when that is later (a start date in the past
    asks nobody anything before the launch); that day is no earlier than each version's
    effective date. The form holds the start date itself to this."""
    starts = max(start_date, on)
    for version in versions:
        if version.effective_date is not None and starts < version.effective_date:
            raise CampaignError(
                gettext(
                    "Version %(number)s of “%(title)s” is in force only from %(date)s. "
                    "Choose that date or a later one as the start date."
                )
                % {
                    "number": version.number,
                    "title": version.guideline.title,
                    "date": date_format(version.effective_date, "DATE_FORMAT"),
                }
            )


@transaction.atomic
def create_campaign(
    *,
    name: str,
    versions: Sequence[GuidelineVersion],
    audience: str,
    start_date: datetime.date,
    deadline: datetime.date,
    reminder_days: Iterable[int] = (),
    reminder_after_days: Iterable[int] = (),
    manager_escalation_days: int | None = None,
    hr_escalation_days: int | None = None,
    departments: Iterable[Department] = (),
    include_subdepartments: bool = True,
    employees: Iterable[Employee] = (),
    signing: str = Campaign.Signing.MISSING,
    reread: str = Campaign.Reread.ALL,
    by: Employee | None = None,
) -> Campaign:
    """Set up a campaign (not launched yet: nobody is asked anything until launch) that
    asks for ``versions``: one or more published versions, each of another guideline
    (a CampaignGuideline each, in the order given). ``signing``: whether everyone signs
    again (a yearly round) or only who has not signed; ``reread``: what someone signing
    again reads."""
    chosen = _chosen_versions(versions)
    _check_start(start_date, chosen, on=timezone.localdate())
    if deadline < start_date:
        raise CampaignError(gettext("The deadline must be on or after the start date."))
    campaign = Campaign.objects.create(
        name=name,
        kind=Campaign.Kind.CAMPAIGN,
        audience=audience,
        include_subdepartments=include_subdepartments,
        start_date=start_date,
        deadline=deadline,
        reminder_days=sorted({int(d) for d in reminder_days}, reverse=True),
        reminder_after_days=sorted({int(d) for d in reminder_after_days}),
        manager_escalation_days=manager_escalation_days,
        hr_escalation_days=hr_escalation_days,
        signing=signing,
        reread=reread,
        created_by=by,
    )
    CampaignGuideline.objects.bulk_create(
        CampaignGuideline(campaign=campaign, guideline_id=version.guideline_id, version=version)
        for version in chosen
    )
    if audience == Campaign.Audience.DEPARTMENTS:
        campaign.departments.set(departments)
    elif audience == Campaign.Audience.EMPLOYEES:
        campaign.employees.set(employees)
    log_event(
        kind=CampaignEvent.Kind.CREATED,
        campaign=campaign,
        actor=by,
        name=name,
        versions=[version.pk for version in chosen],
    )
    return campaign


def _add_assignments(
    campaign: Campaign,
    employee_ids: Iterable[int] | QuerySet[Employee],
    *,
    version: GuidelineVersion,
    due_date: datetime.date | Callable[[int], datetime.date],
    reason: str,
    now: datetime.datetime,
) -> int:
    """Bulk insert of one version's assignments; existing (campaign, employee, guideline)
    rows are skipped by the constraint. Employees as a query and one due date (a
    launch): one INSERT ... SELECT, the ids never leave the database (bulk.py)."""
    mine = campaign.assignments.filter(guideline_id=version.guideline_id)
    before = mine.count()
    counts_from = round_start(campaign=campaign)
    with (
        transaction.atomic(),
        progress.in_bulk(campaign_id=campaign.pk, version_id=version.pk, added_at=now),
    ):
        ids: Iterable[int]
        if isinstance(employee_ids, QuerySet) and not callable(due_date):
            bulk.insert_assignments(
                campaign_id=campaign.pk,
                employees=employee_ids,
                guideline_id=version.guideline_id,
                version_id=version.pk,
                due_date=due_date,
                reason=reason,
                added_at=now,
                counts_from=counts_from,
            )
        else:
            if isinstance(employee_ids, QuerySet):
                ids = employee_ids.values_list("pk", flat=True).iterator(chunk_size=BULK_BATCH)
            else:
                ids = employee_ids
            Assignment.objects.bulk_create(
                (
                    Assignment(
                        campaign=campaign,
                        employee_id=pk,
                        guideline_id=version.guideline_id,
                        version=version,
                        due_date=due_date(pk) if callable(due_date) else due_date,
                        reason=reason,
                        added_at=now,
                        counts_from=counts_from,
                    )
                    for pk in ids
                ),
                batch_size=BULK_BATCH,
                ignore_conflicts=True,
            )
        if counts_from is not None and campaign.reread == Campaign.Reread.WRONG:
            bulk.insert_skipped_tips(campaign_id=campaign.pk, version_id=version.pk, added_at=now)
    return mine.count() - before


def round_start(*, campaign: Campaign) -> datetime.datetime | None:
    """When reading and the quiz start to count for a campaign where everyone signs
    again: the start of its first day (local time); None for any other campaign."""
    if not campaign.signs_again:
        return None
    return timezone.make_aware(datetime.datetime.combine(campaign.start_date, datetime.time.min))


def _subjects(campaign: Campaign) -> list[CampaignGuideline]:
    return list(campaign.subjects.select_related("guideline", "version").order_by("pk"))


def launch_campaign(
    *, campaign: Campaign, by: Employee | None, now: datetime.datetime | None = None
) -> int:
    """Give everyone in the audience an assignment per guideline of the campaign (those
    in that guideline's own audience), in bulk; returns how many.

    Anyone who already signed a version counts as signed at once (the status is
    derived). Locks the campaign row, so that two clicks launch once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise CampaignError(gettext("This campaign was launched already."))
        # Only an onboarding rule has none (a constraint), and it is never a draft.
        assert campaign.deadline is not None
        subjects = _subjects(campaign)
        if not subjects:
            raise CampaignError(gettext("Choose at least one guideline."))
        for subject in subjects:
            if (
                subject.version is None
                or subject.version.status != GuidelineVersion.Status.PUBLISHED
            ):
                raise CampaignError(
                    gettext("Only a published version can be the subject of a campaign.")
                )
        _check_start(
            campaign.start_date,
            [subject.version for subject in subjects if subject.version is not None],
            on=timezone.localdate(now),
        )
        if campaign.deadline < timezone.localdate(now):
            raise CampaignError(gettext("The deadline has passed: choose a later deadline first."))
        added = 0
        for subject in subjects:
            assert subject.version is not None  # checked above
            people = selectors.audience(
                campaign=campaign, on=timezone.localdate(now), guideline=subject.guideline
            )
            added += _add_assignments(
                campaign,
                people,
                version=subject.version,
                due_date=campaign.deadline,
                reason=Assignment.Reason.LAUNCH,
                now=now,
            )
        campaign.status = Campaign.Status.RUNNING
        campaign.launched_by = by
        campaign.launched_at = now
        campaign.save(update_fields=["status", "launched_by", "launched_at"])
        log_event(kind=CampaignEvent.Kind.LAUNCHED, campaign=campaign, actor=by, assignments=added)
    return added


@transaction.atomic
def close_campaign(*, campaign: Campaign, by: Employee | None) -> Campaign:
    """Stop chasing: no reminders are planned for a closed campaign. Its figures stay."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.RUNNING or campaign.is_onboarding:
        raise CampaignError(gettext("Only a running campaign can be closed."))
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    log_event(kind=CampaignEvent.Kind.CLOSED, campaign=campaign, actor=by)
    return campaign


def joiner_due_date(*, campaign: Campaign, on: datetime.date) -> datetime.date:
    """The campaign's deadline, or a fair minimum for someone added late."""
    minimum = on + datetime.timedelta(days=settings.CAMPAIGN_JOINER_MINIMUM_DAYS)
    assert campaign.deadline is not None  # a campaign (not an onboarding rule) has one
    return max(campaign.deadline, minimum)


def add_joiners(*, now: datetime.datetime | None = None) -> int:
    """Employees who joined or moved into a running campaign's audience get an
    assignment per guideline of it whose audience they are in (due at the deadline or
    the fair minimum), unless onboarding already asks them to sign the same version.
    Idempotent."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    total = 0
    running = Campaign.objects.filter(
        kind=Campaign.Kind.CAMPAIGN, status=Campaign.Status.RUNNING, start_date__lte=on
    )
    for campaign in running:
        with transaction.atomic():
            # Lock the campaign: a concurrent run waits, then finds nobody missing (and
            # writes no second audit row for the same people).
            if not Campaign.objects.select_for_update().filter(
                pk=campaign.pk, status=Campaign.Status.RUNNING
            ):
                continue
            added = 0
            for subject in _subjects(campaign):
                if subject.version is None:  # a campaign's guidelines all have one
                    continue
                missing = (
                    selectors.audience(campaign=campaign, on=on, guideline=subject.guideline)
                    .exclude(
                        pk__in=campaign.assignments.filter(
                            guideline_id=subject.guideline_id
                        ).values("employee_id")
                    )
                    # A new employee has the same version to sign through onboarding: one
                    # assignment (and one set of reminders) is enough.
                    .exclude(
                        pk__in=Assignment.objects.filter(
                            campaign__kind=Campaign.Kind.ONBOARDING, version=subject.version
                        ).values("employee_id")
                    )
                    .values_list("pk", flat=True)
                )
                added += _add_assignments(
                    campaign,
                    list(missing),
                    version=subject.version,
                    due_date=joiner_due_date(campaign=campaign, on=on),
                    reason=Assignment.Reason.JOINED,
                    now=now,
                )
            if added:
                log_event(kind=CampaignEvent.Kind.JOINED, campaign=campaign, assignments=added)
        total += added
    return total


def onboarding_rule(*, on: datetime.date | None = None) -> Campaign:
    """The standing onboarding campaign (made on first use, from today, or from ``on``
    when the caller runs on a controlled clock). When it is made it covers every
    guideline that has a published version, each due CAMPAIGN_ONBOARDING_DAYS after the
    start date; HR changes that with set_onboarding_guidelines."""
    with transaction.atomic():
        campaign, created = Campaign.objects.get_or_create(
            kind=Campaign.Kind.ONBOARDING,
            defaults={
                "name": "Onboarding",
                "audience": Campaign.Audience.ALL,
                "start_date": on or timezone.localdate(),
                "status": Campaign.Status.RUNNING,
                "reminder_days": [7, 2],
                # Reminded after the due date before the manager (3) and HR (10) hear.
                "reminder_after_days": [2, 7],
                "manager_escalation_days": 3,
                "hr_escalation_days": 10,
            },
        )
        if created:
            published = (
                Guideline.objects.filter(versions__status=GuidelineVersion.Status.PUBLISHED)
                .distinct()
                .order_by("title", "pk")
            )
            CampaignGuideline.objects.bulk_create(
                CampaignGuideline(campaign=campaign, guideline=guideline) for guideline in published
            )
    return campaign


def onboarding_days(*, subject: CampaignGuideline) -> int:
    """Days after the start date until a guideline of the onboarding rule is due."""
    if subject.due_days is None:
        return int(settings.CAMPAIGN_ONBOARDING_DAYS)
    return subject.due_days


def _after_start(
    starts: dict[int, datetime.date], days: datetime.timedelta
) -> Callable[[int], datetime.date]:
    """An employee's due date: ``days`` after their start date (by employee id)."""
    return lambda pk: starts[pk] + days


def apply_onboarding_rule(
    *, now: datetime.datetime | None = None, employees: Iterable[Employee] | None = None
) -> int:
    """Every employee whose start date has come (on or after the rule's start date) gets
    an assignment per guideline of the rule whose audience they are in: for the version
    current on that day, due the guideline's days (CAMPAIGN_ONBOARDING_DAYS unless HR
    set others) after the start date. The staff import calls this for the people it
    adds. Idempotent."""
    from handbook.selectors import current_version

    now = now or timezone.now()
    on = timezone.localdate(now)
    in_force = GuidelineVersion.objects.filter(
        status=GuidelineVersion.Status.PUBLISHED, effective_date__lte=on
    )
    if not in_force.exists():  # nothing to sign yet: the rule starts once there is
        return 0
    rule = onboarding_rule(on=on)
    added = 0
    with transaction.atomic():
        # Locked, so that a concurrent run waits and then finds nobody new.
        rule = Campaign.objects.select_for_update().get(pk=rule.pk)
        if rule.status != Campaign.Status.RUNNING:
            return 0
        newcomers = Employee.objects.filter(
            is_active=True, start_date__gte=rule.start_date, start_date__lte=on
        ).exclude(end_date__lt=on)
        if employees is not None:
            newcomers = newcomers.filter(pk__in=[e.pk for e in employees])
        for subject in _subjects(rule):
            # The version current on the day the rule runs for (not the machine's today).
            version = current_version(guideline=subject.guideline, today=on)
            if version is None:
                continue
            days = datetime.timedelta(days=onboarding_days(subject=subject))
            people = newcomers.filter(
                pk__in=audience_of(guideline=subject.guideline).values("pk")
            ).exclude(
                pk__in=rule.assignments.filter(guideline_id=subject.guideline_id).values(
                    "employee_id"
                )
            )
            # Never None: start_date__gte above.
            starts = cast("dict[int, datetime.date]", dict(people.values_list("pk", "start_date")))
            added += _add_assignments(
                rule,
                list(starts),
                version=version,
                due_date=_after_start(starts, days),
                reason=Assignment.Reason.ONBOARDING,
                now=now,
            )
        if added:
            log_event(kind=CampaignEvent.Kind.ONBOARDING, campaign=rule, assignments=added)
    return added


@transaction.atomic
def set_onboarding_guidelines(
    *, due_days: Mapping[Guideline, int | None], by: Employee | None
) -> Campaign:
    """HR sets which guidelines the onboarding rule asks of new employees, and for each
    the days after the start date until it is due (None: CAMPAIGN_ONBOARDING_DAYS).
    Each guideline needs a published version. Assignments already made stay as they
    are; the change is logged (ONBOARDING_CHANGED)."""
    if not due_days:
        raise CampaignError(gettext("Choose at least one guideline."))
    for guideline, days in due_days.items():
        if days is not None and not 1 <= days <= MAX_ONBOARDING_DAYS:
            raise CampaignError(
                gettext("Enter a whole number of days from 1 to 365 for “%(title)s”.")
                % {"title": guideline.title}
            )
    published = set(
        GuidelineVersion.objects.filter(
            guideline__in=list(due_days), status=GuidelineVersion.Status.PUBLISHED
        ).values_list("guideline_id", flat=True)
    )
    for guideline in due_days:
        if guideline.pk not in published:
            raise CampaignError(
                gettext("“%(title)s” has no published version yet: it cannot be asked.")
                % {"title": guideline.title}
            )
    rule = Campaign.objects.select_for_update().get(pk=onboarding_rule().pk)
    kept = {subject.guideline_id: subject for subject in rule.subjects.all()}
    rule.subjects.exclude(guideline__in=list(due_days)).delete()
    for guideline, days in due_days.items():
        subject = kept.get(guideline.pk)
        if subject is None:
            CampaignGuideline.objects.create(campaign=rule, guideline=guideline, due_days=days)
        elif subject.due_days != days:
            subject.due_days = days
            subject.save(update_fields=["due_days"])
    log_event(
        kind=CampaignEvent.Kind.ONBOARDING_CHANGED,
        campaign=rule,
        actor=by,
        guidelines=[[guideline.pk, days] for guideline, days in due_days.items()],
    )
    return rule


def _schedule_days(days: Iterable[int]) -> set[int]:
    """The days of reminders, each once: whole numbers from 1 to 365 (the form says so
    next to the field; this refuses the same for any other caller)."""
    checked = set()
    for value in days:
        text = str(value)
        if isinstance(value, bool) or not text.isdecimal() or not 1 <= int(text) <= 365:
            raise CampaignError(
                gettext("Enter the days of the reminders as whole numbers from 1 to 365.")
            )
        checked.add(int(text))
    return checked


@transaction.atomic
def update_schedule(
    *,
    campaign: Campaign,
    reminder_days: Iterable[int],
    manager_escalation_days: int | None,
    hr_escalation_days: int | None,
    by: Employee | None,
    reminder_after_days: Iterable[int] | None = None,
) -> Campaign:
    """Change when reminders and escalations go (steps already sent stay sent).
    ``reminder_after_days``: the reminders to the employee after the due date; None
    keeps them as they are."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignError(gettext("A closed campaign sends no more reminders."))
    campaign.reminder_days = sorted(_schedule_days(reminder_days), reverse=True)
    if reminder_after_days is not None:
        campaign.reminder_after_days = sorted(_schedule_days(reminder_after_days))
    campaign.manager_escalation_days = manager_escalation_days
    campaign.hr_escalation_days = hr_escalation_days
    campaign.save(
        update_fields=[
            "reminder_days",
            "reminder_after_days",
            "manager_escalation_days",
            "hr_escalation_days",
        ]
    )
    log_event(
        kind=CampaignEvent.Kind.SCHEDULE_CHANGED,
        campaign=campaign,
        actor=by,
        reminder_days=campaign.reminder_days,
        reminder_after_days=campaign.reminder_after_days,
        manager_escalation_days=manager_escalation_days,
        hr_escalation_days=hr_escalation_days,
    )
    return campaign


@transaction.atomic
def exempt(*, assignment: Assignment, reason: str, by: Employee | None) -> Assignment:
    """Exempt an employee at once, without a second person: for setting up data (the
    demo, tests, a command acting without a person), never from a page. HR's pages ask
    for an exemption and another HR person approves it
    (campaigns.services.exemptions); the monthly list to the HR lead names an exemption
    made here as approved by nobody. The reason is required; it is kept on the
    assignment and its Exemption row; the audit row names the Exemption only."""
    reason = reason.strip()
    if not reason:
        raise CampaignError(gettext("Give the reason for the exemption."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_exempt:
        raise CampaignError(gettext("This employee is exempt already."))
    if Exemption.objects.filter(
        assignment=assignment, decision=Exemption.Decision.REQUESTED
    ).exists():
        raise CampaignError(gettext("An exemption of this employee waits for approval already."))
    assignment.exempt_reason = reason
    assignment.exempted_by = by
    assignment.exempted_at = timezone.now()
    assignment.save(update_fields=["exempt_reason", "exempted_by", "exempted_at"])
    exemption = Exemption.objects.create(
        assignment=assignment,
        reason=reason,
        decision=Exemption.Decision.APPROVED,
        exempted_by=by,
        requested_at=assignment.exempted_at,
        exempted_at=assignment.exempted_at,
    )
    log_event(
        kind=CampaignEvent.Kind.EXEMPTED,
        campaign=assignment.campaign,
        assignment=assignment,
        actor=by,
        exemption=exemption.pk,
    )
    return assignment


@transaction.atomic
def lift_exemption(*, assignment: Assignment, by: Employee) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_exempt:
        raise CampaignError(gettext("This employee is not exempt."))
    exemption = (
        Exemption.objects.select_for_update()
        .filter(assignment=assignment, lifted_at__isnull=True)
        .filter(decision=Exemption.Decision.APPROVED)
        .order_by("-exempted_at", "-pk")
        .first()
    )
    now = timezone.now()
    if exemption is None:  # exempted outside the services: keep its reason all the same
        assert assignment.exempted_at is not None  # is_exempt
        exemption = Exemption.objects.create(
            assignment=assignment,
            reason=assignment.exempt_reason,
            decision=Exemption.Decision.APPROVED,
            exempted_by=assignment.exempted_by,
            requested_at=assignment.exempted_at,
            exempted_at=assignment.exempted_at,
        )
    Exemption.objects.filter(pk=exemption.pk).update(lifted_by=by, lifted_at=now)
    assignment.exempt_reason = ""
    assignment.exempted_by = None
    assignment.exempted_at = None
    assignment.save(update_fields=["exempt_reason", "exempted_by", "exempted_at"])
    log_event(
        kind=CampaignEvent.Kind.EXEMPTION_LIFTED,
        campaign=assignment.campaign,
        assignment=assignment,
        actor=by,
        exemption=exemption.pk,
    )
    return assignment


@transaction.atomic
def erase_exemption_reasons(
    *, employees: QuerySet[Employee], now: datetime.datetime | None = None
) -> int:
    """Clear the reasons of these employees' exemptions (on their assignments and on
    every Exemption row, with the notes of the decisions), as part of erasing their
    personal data; returns how many Exemption rows were cleared. The audit trail keeps
    only the rows' ids, so nothing about the person is left in it. Who asked, who
    decided, and when, stays."""
    now = now or timezone.now()
    Assignment.objects.filter(employee__in=employees).exclude(exempt_reason="").update(
        exempt_reason=""
    )
    return (
        Exemption.objects.filter(assignment__employee__in=employees)
        .filter(reason_erased_at__isnull=True)
        .update(reason="", decision_note="", reason_erased_at=now)
    )
