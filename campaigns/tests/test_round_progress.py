"""The facts of a round's assignments (a campaign where everyone signs again): kept by
the triggers, filled after a bulk launch and repaired with the same rules."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from acknowledgements.models import TipRead
from acknowledgements.services.reading import record_tip_read
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns.models import Assignment, Campaign
from campaigns.services import progress
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import day
from people.tests.factories import EmployeeFactory
from quizzes.models import Attempt
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

FACTS = ("signed_at", "signature_id", "quiz_passed_at", "quiz_failed_at", "opened_at", "read_at")


@pytest.fixture
def version():
    return quiz_version(tips=2, effective_date=day(-500))


def _signed_last_year(employee, version) -> None:
    signed(employee, ready_to_sign(employee, version))
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    TipRead.objects.filter(employee=employee).update(
        first_opened_at=a_year_ago, last_opened_at=a_year_ago
    )
    Attempt.objects.filter(employee=employee).update(started_at=a_year_ago, submitted_at=a_year_ago)


def _round(version) -> Campaign:
    return launched_campaign(version, name="Herbevestiging", signing=Campaign.Signing.AGAIN)


def _facts(assignment) -> tuple:
    assignment.refresh_from_db()
    return tuple(getattr(assignment, name) for name in FACTS)


def test_a_launch_counts_what_was_done_since_the_round_began(version):
    employee = EmployeeFactory()
    _signed_last_year(employee, version)
    record_tip_read(employee=employee, tip=version.tips.get(number=1))  # this morning
    submitted_attempt(employee=employee, version=version, right=False)

    campaign = _round(version)

    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    assert assignment.opened_at is not None
    assert assignment.quiz_failed_at is not None
    assert assignment.read_at is None  # tip 2 not opened again
    assert assignment.signed_at is None  # last year's signature names no round


def test_a_launch_leaves_a_round_without_facts_for_who_did_nothing_since(version):
    employee = EmployeeFactory()
    _signed_last_year(employee, version)

    campaign = _round(version)

    assert _facts(Assignment.objects.get(campaign=campaign, employee=employee)) == (None,) * 6


def test_the_repair_restores_a_rounds_facts_changed_behind_the_triggers_back(version):
    employee = EmployeeFactory()
    _signed_last_year(employee, version)
    campaign = _round(version)
    for tip in version.tips.all():
        record_tip_read(employee=employee, tip=tip)
    submitted_attempt(employee=employee, version=version)
    signed(employee, version)
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    kept = _facts(assignment)
    Assignment.objects.filter(pk=assignment.pk).update(
        signed_at=None, signature=None, read_at=None, quiz_passed_at=None
    )

    changed = progress.repair(campaign=campaign)

    assert changed == 1
    assert _facts(assignment) == kept
    assert None not in (kept[0], kept[1], kept[2], kept[5])


def test_the_repair_changes_nothing_when_the_triggers_kept_the_facts(version):
    employee = EmployeeFactory()
    _signed_last_year(employee, version)
    campaign = _round(version)
    record_tip_read(employee=employee, tip=version.tips.get(number=2))
    submitted_attempt(employee=employee, version=version, right=False)

    assert progress.repair(campaign=campaign) == 0


def test_refreshing_gives_what_the_triggers_kept_in_a_round(version):
    employee = EmployeeFactory()
    _signed_last_year(employee, version)
    campaign = _round(version)
    for tip in version.tips.all():
        record_tip_read(employee=employee, tip=tip)
    submitted_attempt(employee=employee, version=version, right=False)
    submitted_attempt(employee=employee, version=version)
    signed(employee, version)
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    kept = _facts(assignment)

    progress.refresh(assignments=Assignment.objects.filter(pk=assignment.pk))

    assert _facts(assignment) == kept
