"""Fill an empty database with a large, realistic organisation (see benchmarks.scale)."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors.reacknowledgement import tips_changed_between
from benchmarks import bulk
from benchmarks.scale import activity, guidelines, handbook, organisation, quizdata
from benchmarks.scale import constants as c
from benchmarks.scale.ledgerdata import Chain
from benchmarks.scale.selectors import ready_to_sign
from campaigns import services as campaigns
from campaigns.models import Assignment, Campaign, CampaignEvent
from handbook.models import Guideline
from people.models import Department, Employee
from quizzes.models import Answer, Attempt, AttemptQuestion

Progress = Callable[[str, float], None]


class DatabaseNotEmpty(Exception):
    """The scale data goes into an empty database only."""


@dataclass
class ScaleSummary:
    employees: int = 0
    departments: int = 0
    depth: int = 0
    managers: int = 0
    versions: int = 0
    guidelines: int = 0
    campaign_id: int | None = None
    previous_campaign_id: int | None = None
    assignments: int = 0
    ledger_entries: int = 0
    signed_current: int = 0
    ready_to_sign: int = 0
    attempts: int = 0
    served_questions: int = 0
    answers: int = 0
    tip_reads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per step, in order

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def check_empty() -> None:
    """Raise DatabaseNotEmpty when there are employees, guidelines, campaigns or a ledger."""
    found = [
        label
        for model, label in (
            (Employee, "employees"),
            (Guideline, "guidelines"),
            (Campaign, "campaigns"),
            (LedgerEntry, "ledger entries"),
        )
        if model.objects.exists()
    ]
    if found:
        listed = " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
        raise DatabaseNotEmpty(
            f"The database already has {listed}: scale data goes into an empty database "
            "only (a new one, after migrate)."
        )


class _Steps:
    def __init__(self, summary: ScaleSummary, progress: Progress | None):
        self.summary = summary
        self.progress = progress

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.record(name, started)

    def record(self, name: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.summary.seconds[name] = seconds
        if self.progress is not None:
            self.progress(name, seconds)


def _at(days_ago: int) -> datetime.datetime:
    """09:00 local time, ``days_ago`` days before today."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _previous_campaign(versions: handbook.Versions, hr: Employee) -> Campaign:
    """Last year's pilot for version 2 in one sector, launched by HR on its start date
    and closed. (A pilot: launching costs about 0.2 ms per assignment.)"""
    start = _at(c.VERSION_2_AGO)
    sectors = Department.objects.filter(path__regex=r"^/[^/]+/[^/]+/[^/]+/$")
    pilot = sectors.order_by("path").first()
    campaign = campaigns.create_campaign(
        name=f"Pilot bevestiging sociale media {start.year} ({pilot.name})",
        versions=[versions.v2],
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[pilot],
        start_date=start.date(),
        deadline=start.date() + datetime.timedelta(weeks=c.PREVIOUS_CAMPAIGN_WEEKS),
        reminder_days=[14, 3],
        by=hr,
    )
    campaigns.launch_campaign(campaign=campaign, by=hr, now=start)
    return campaigns.close_campaign(campaign=campaign, by=hr)


def _current_campaign(
    versions: handbook.Versions, others: list[guidelines.OtherGuideline], hr: Employee
) -> Campaign:
    """This year's campaign for all staff and the five guidelines (version 3 of the
    social-media one first), set up before the ledger is loaded (its signatures name it)
    and launched afterwards (``_launch``)."""
    start = _at(c.CAMPAIGN_STARTED_AGO)
    return campaigns.create_campaign(
        name=f"Jaarlijkse bevestiging handreikingen {start.year}",
        versions=[versions.v3, *(other.version for other in others)],
        audience=Campaign.Audience.ALL,
        start_date=start.date(),
        deadline=timezone.localdate() + datetime.timedelta(days=c.CAMPAIGN_DEADLINE_AHEAD),
        reminder_days=[14, 3],
        manager_escalation_days=7,
        hr_escalation_days=14,
        by=hr,
    )


def _launch(campaign: Campaign, hr: Employee) -> Campaign:
    """Launched by HR three weeks ago."""
    campaigns.launch_campaign(campaign=campaign, by=hr, now=_at(c.CAMPAIGN_STARTED_AGO))
    return campaign


def _answering(planned: activity.Activity, campaign: Campaign) -> None:
    """Name the campaign on the signatures that answer it: of its versions, made after
    its launch (everyone active is in its audience, and had an open assignment then)."""
    asked = set(campaign.subjects.values_list("version_id", flat=True))
    launched = _at(c.CAMPAIGN_STARTED_AGO)
    for signature in planned.signatures:
        if (
            signature.version_id in asked
            and signature.signed_at >= launched
            and signature.person.active
        ):
            signature.campaign_id = campaign.pk


def _rng(seed: int, part: str) -> random.Random:
    # One generator per part: a change in one part leaves the others' data as it was.
    return random.Random(f"{seed}:{part}")


def generate(
    *,
    employees: int,
    seed: int = 1,
    progress: Progress | None = None,
    other_guidelines: int = len(guidelines.SPECS),
) -> ScaleSummary:
    """Fill an empty database with ``employees`` employees and everything around them;
    ``other_guidelines``: how many of the four other guidelines (fewer for the tests that
    compare pages of one guideline with five).

    Deterministic for a seed. One transaction: on any error nothing is left behind.
    Raises DatabaseNotEmpty (before writing anything) or ValueError (too few employees).
    """
    if employees < c.MINIMUM_EMPLOYEES:
        raise ValueError(f"Generate at least {c.MINIMUM_EMPLOYEES} employees.")
    check_empty()
    summary = ScaleSummary()
    step = _Steps(summary, progress)
    loaded = [Department, Employee, Attempt, AttemptQuestion, Answer, Answer.chosen.through]
    loaded += [TipRead, LedgerEntry, Acknowledgement]
    # Facts whose triggers keep the campaigns' assignments up to date (campaigns.triggers):
    # the campaigns are launched after the load, and their assignments take the facts
    # then, so the triggers would only cost time while the facts are copied in.
    facts = [Attempt, TipRead, Acknowledgement, LedgerEntry]
    with transaction.atomic():
        with step("guideline versions and quiz banks"):
            versions = handbook.create_versions()
        with bulk.foreign_keys_dropped(loaded), bulk.after_insert_triggers_off(facts):
            with step("departments and employees"):
                org = organisation.plan(
                    _rng(seed, "organisation"),
                    employees=employees,
                    first_unit_id=bulk.next_id(Department),
                    first_person_id=bulk.next_id(Employee),
                )
                organisation.insert(org)
            with step("four other guidelines, this year's campaign (draft)"):
                others = guidelines.create_other_guidelines(org, count=other_guidelines)
                hr = Employee.objects.get(email=c.HR_EMAIL)
                current = _current_campaign(versions, others, hr)
            with step("planning reading, quizzes and signing"):
                rng = _rng(seed, "activity")
                activity.assign_states(rng, org, employees)
                planned = activity.plan_activity(
                    rng,
                    org,
                    versions,
                    first_attempt_id=bulk.next_id(Attempt),
                    campaign_start=_at(c.CAMPAIGN_STARTED_AGO),
                )
                activity.plan_other_guidelines(
                    _rng(seed, "other guidelines"),
                    org,
                    others,
                    activity=planned,
                    first_attempt_id=bulk.next_id(Attempt) + len(planned.attempts),
                )
                _answering(planned, current)
            with step("quiz attempts"):
                rng = _rng(seed, "quiz")
                changed = {
                    tip.pk for tip in tips_changed_between(since=versions.v2, version=versions.v3)
                }
                quizzes = {
                    versions.v2.pk: quizdata.load_quiz(rng, versions.v2),
                    versions.v3.pk: quizdata.load_quiz(rng, versions.v3, changed_tip_ids=changed),
                }
                for other in others:
                    quizzes[other.version.pk] = quizdata.load_quiz(rng, other.version)
                rows = quizdata.AttemptRows(rng, planned.attempts, quizzes)
                summary.attempts = rows.insert_attempts()
            with step("questions served"):
                summary.served_questions = rows.insert_served()
            with step("answers and options chosen"):
                summary.answers = rows.insert_answers()
            with step("tips read"):
                summary.tip_reads = bulk.insert_rows(
                    TipRead,
                    ["employee_id", "tip_id", "first_opened_at"],
                    (row for reads in planned.reads for row in reads.rows()),
                )
            with step("ledger: the hash chain"):
                signed_versions = versions.all + [other.version for other in others]
                chain = Chain(_rng(seed, "ledger"), planned.signatures, signed_versions)
                chain.compute()
            with step("ledger: entries and records"):
                summary.ledger_entries = chain.insert()
            step_started = time.perf_counter()
        step.record("foreign keys and triggers back", step_started)
        with step("sequences, statistics (ANALYZE)"):
            bulk.reset_sequences([m for m in loaded if m._meta.pk.name == "id"])
            bulk.analyze()  # the planner needs them for the launch, as later for the portal
        with step("campaign: last year's pilot (closed)"):
            previous = _previous_campaign(versions, hr)
        with step("campaign: this year's, five guidelines (launched)"):
            current = _launch(current, hr)
        with step("foreign key checks"):
            bulk.check_constraints()
    with step("statistics of the campaigns (ANALYZE)"):
        bulk.analyze([Campaign, Assignment, CampaignEvent])

    summary.employees = len(org.people)
    summary.departments = len(org.units)
    summary.depth = org.depth
    summary.managers = len({p.manager_id for p in org.people if p.manager_id})
    summary.versions = len(versions.all) + len(others)
    summary.guidelines = 1 + len(others)
    summary.campaign_id = current.pk
    summary.previous_campaign_id = previous.pk
    summary.assignments = current.assignments.count()
    summary.signed_current = Acknowledgement.objects.filter(
        version=versions.v3, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    ).count()
    summary.ready_to_sign = ready_to_sign(versions.v3).count()
    return summary
