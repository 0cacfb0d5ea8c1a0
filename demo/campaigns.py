"""Demo campaigns, so that the dashboards, the team page, the reminders and the yearly
round have something to show:

- last year's round, "Jaarlijkse bevestiging 2025" (closed; who had not signed signs),
  in which the demo employees who passed the social-media quiz, and the demo manager
  account, signed version 1, about a year ago (and half of those who failed it, failed
  then; the other half failed this year);
- this year's running round, "Jaarlijkse herbevestiging 2026", in which everyone signs
  again (also who signed last year), for every guideline with a version in force (the
  social-media guideline and the demo's second one): half of last year's signers have
  read again, passed the quiz again and signed again, a few have started reading, and
  the others, the demo manager account among them, still have to;
- the onboarding rule, which covers every published guideline.

Dates are relative to today, so the demo stays "running" whenever it is seeded. The
signatures are made in time order (each at its own moment, with ``now=``), so that the
ledger's chain runs forward in time; what the signers read and answered is then moved to
just before their signature. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from acknowledgements import services as ledger
from acknowledgements.models import TipRead
from acknowledgements.services.reading import record_tip_read
from campaigns import services
from campaigns.models import Campaign
from campaigns.selectors import campaign_versions
from people.models import Employee
from quizzes.models import Attempt, Option
from quizzes.services import start_attempt, submit_attempt

DEMO_CAMPAIGN_NAME = "Jaarlijkse herbevestiging 2026"
LAST_YEAR_CAMPAIGN_NAME = "Jaarlijkse bevestiging 2025"
# What the running campaign was called before the demo had last year's round: a demo
# seeded then already has its campaign (and signatures of today), and is left alone.
EARLIER_NAMES = ["Jaarlijkse bevestiging sociale media 2026", "Jaarlijkse bevestiging 2026"]

# The round's days, counted from today.
THIS_YEAR_START, THIS_YEAR_DEADLINE = -20, 10
LAST_YEAR_START, LAST_YEAR_DEADLINE = THIS_YEAR_START - 365, THIS_YEAR_DEADLINE - 365
# Of last year's signers, one in this many has signed again this year.
SIGNED_AGAIN_EVERY = 2
# Of the others, this many have opened a tip again (status "reading").
READING_AGAIN = 3


def _at(days: int, minutes: int = 0) -> datetime.datetime:
    """Nine o'clock local time ``days`` from today, plus ``minutes``."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) + (
        datetime.timedelta(minutes=minutes)
    )


def seed_demo_campaigns(
    *, hr: Employee, version, keep_unsigned: list[str], signs_again: str
) -> int:
    """Last year's round and this year's (both launched by ``hr``) for ``version`` (the
    social-media guideline's; this year's also for the version in force of every other
    guideline), with the signatures described above. ``keep_unsigned``: e-mail
    addresses left unsigned, so that the demo accounts can walk through signing
    themselves; ``signs_again``: the demo account that signed last year and must sign
    again now. Returns the number of assignments created."""
    if (
        version is None
        or Campaign.objects.filter(
            name__in=[DEMO_CAMPAIGN_NAME, LAST_YEAR_CAMPAIGN_NAME, *EARLIER_NAMES]
        ).exists()
    ):
        return 0
    today = timezone.localdate()
    rule = services.onboarding_rule()
    # Let the two most recent demo hires fall under the rule (and be overdue there).
    Campaign.objects.filter(pk=rule.pk).update(start_date=datetime.date(2024, 9, 1))

    last_year = services.create_campaign(
        name=LAST_YEAR_CAMPAIGN_NAME,
        versions=[version],
        audience=Campaign.Audience.ALL,
        start_date=today + datetime.timedelta(days=LAST_YEAR_START),
        deadline=today + datetime.timedelta(days=LAST_YEAR_DEADLINE),
        reminder_days=[14, 3],
        manager_escalation_days=7,
        hr_escalation_days=14,
        signing=Campaign.Signing.MISSING,
        by=hr,
    )
    added = services.launch_campaign(campaign=last_year, by=hr, now=_at(LAST_YEAR_START))
    signers = _last_years_signers(version, keep_unsigned, signs_again)
    _sign_last_year(version, signers)
    _failed_last_year(version)
    services.close_campaign(campaign=last_year, by=hr)
    Campaign.objects.filter(pk=last_year.pk).update(closed_at=_at(LAST_YEAR_DEADLINE + 1))

    campaign = services.create_campaign(
        name=DEMO_CAMPAIGN_NAME,
        versions=[version, *campaign_versions().exclude(guideline_id=version.guideline_id)],
        audience=Campaign.Audience.ALL,
        start_date=today + datetime.timedelta(days=THIS_YEAR_START),
        deadline=today + datetime.timedelta(days=THIS_YEAR_DEADLINE),
        reminder_days=[14, 3],
        reminder_after_days=[3, 10],
        manager_escalation_days=7,
        hr_escalation_days=14,
        signing=Campaign.Signing.AGAIN,
        reread=Campaign.Reread.ALL,
        by=hr,
    )
    added += services.launch_campaign(campaign=campaign, by=hr, now=_at(THIS_YEAR_START))
    others = [employee for employee in signers if employee.email != signs_again]
    again = others[::SIGNED_AGAIN_EVERY]
    _sign_this_year(version, again)
    not_yet = [employee for employee in others if employee not in again]
    _start_reading(version, not_yet[:READING_AGAIN])
    return added


def _last_years_signers(version, keep_unsigned: list[str], signs_again: str) -> list[Employee]:
    """Who passed the quiz (the demo's attempts), and the demo account that signs again
    (given a passed attempt of its own), by employee number."""
    passed = list(
        Attempt.objects.filter(version=version, passed=True)
        .exclude(employee__email__in=keep_unsigned)
        .values_list("employee_id", flat=True)
    )
    account = Employee.objects.get(email__iexact=signs_again)
    if not Attempt.objects.filter(employee=account, version=version, passed=True).exists():
        _passed_attempt(account, version, now=_at(LAST_YEAR_START))
    return list(Employee.objects.filter(pk__in=[*passed, account.pk]).order_by("employee_number"))


def _sign_last_year(version, signers: list[Employee]) -> None:
    """Each signs version 1 on a day of last year's round, in order; what they read and
    answered is moved to just before."""
    days = LAST_YEAR_DEADLINE - LAST_YEAR_START - 2
    tips = list(version.tips.all())
    for index, employee in enumerate(signers):
        moment = _at(LAST_YEAR_START + 1 + index * days // max(len(signers), 1), index)
        for tip in tips:
            record_tip_read(employee=employee, tip=tip)
        _sign(employee, version, now=moment)
        TipRead.objects.filter(employee=employee, tip__version=version).update(
            first_opened_at=moment - datetime.timedelta(minutes=30),
            last_opened_at=moment - datetime.timedelta(minutes=30),
        )
        Attempt.objects.filter(employee=employee, version=version).update(
            started_at=moment - datetime.timedelta(minutes=20),
            submitted_at=moment - datetime.timedelta(minutes=10),
        )


def _failed_last_year(version) -> None:
    """Of the demo's failed attempts, every other one was last year's (a day of that
    round); the others are this year's (they count in this year's round)."""
    failed = list(
        Attempt.objects.filter(version=version, passed=False)
        .order_by("employee__employee_number", "pk")
        .values_list("pk", flat=True)
    )
    for index, pk in enumerate(failed[::2]):
        moment = _at(LAST_YEAR_START + 2 + index, index)
        Attempt.objects.filter(pk=pk).update(
            started_at=moment - datetime.timedelta(minutes=10), submitted_at=moment
        )


def _sign_this_year(version, signers: list[Employee]) -> None:
    """Each reads every tip again, passes the quiz again and signs again on a day of
    this year's round, in order; the reading is moved to just before (the first
    opening, last year, stays)."""
    days = -THIS_YEAR_START - 2
    tips = list(version.tips.all())
    for index, employee in enumerate(signers):
        moment = _at(THIS_YEAR_START + 1 + index * days // max(len(signers), 1), index)
        for tip in tips:
            record_tip_read(employee=employee, tip=tip)
        _passed_attempt(employee, version, now=moment - datetime.timedelta(minutes=20))
        _sign(employee, version, now=moment)
        TipRead.objects.filter(employee=employee, tip__version=version).update(
            last_opened_at=moment - datetime.timedelta(minutes=30)
        )


def _start_reading(version, employees: list[Employee]) -> None:
    """They opened the first tips again this year (today)."""
    tips = list(version.tips.order_by("number")[:2])
    for employee in employees:
        for tip in tips:
            record_tip_read(employee=employee, tip=tip)


def _passed_attempt(employee: Employee, version, *, now: datetime.datetime) -> Attempt:
    """A quiz attempt answered right throughout, started and submitted at ``now``."""
    attempt = start_attempt(
        employee=employee,
        version=version,
        now=now,
        rng=random.Random(f"demo-{employee.employee_number}-{now.year}"),
    )
    answers = {
        served.question_id: list(
            Option.objects.filter(question=served.question, is_correct=True).values_list(
                "pk", flat=True
            )
        )
        for served in attempt.served.all()
    }
    return submit_attempt(
        employee=employee,
        attempt_id=attempt.pk,
        answers=answers,
        now=now + datetime.timedelta(minutes=5),
    )


def _sign(employee: Employee, version, *, now: datetime.datetime) -> None:
    ledger.sign_version(
        employee=employee,
        version=version,
        language=employee.preferred_language,
        typed_name=employee.full_name,
        confirmed=True,
        now=now,
    )
