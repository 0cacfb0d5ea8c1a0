"""Four eyes under concurrency (issue 21): two HR people deciding on one request at the
same moment give one decision, and two requests for one assignment at once give one
request (SQLite and PostgreSQL; the tests commit for real, each thread with its own
connection: campaigns.tests.threads)."""

from __future__ import annotations

import pytest

from campaigns.models import Assignment, CampaignEvent, Exemption
from campaigns.services import CampaignError
from campaigns.services import exemptions as four_eyes
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import assignment_of, hr
from campaigns.tests.threads import in_threads
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assignment(transactional_db) -> Assignment:
    employee = EmployeeFactory()
    campaign = launched_campaign(quiz_version(tips=2), deadline=day(30), now=at(0))
    return assignment_of(campaign, employee)


def test_two_approvals_at_once_give_one_decision(assignment):
    exemption = four_eyes.request_exemption(assignment=assignment, reason="Verlof", by=hr())
    first, second = hr(), hr()

    results, errors = in_threads(
        [
            lambda: four_eyes.approve_exemption(exemption=exemption, by=first),
            lambda: four_eyes.approve_exemption(exemption=exemption, by=second),
        ]
    )

    assert len(results) == 1
    assert [type(error) for error in errors] == [CampaignError]
    decided = Exemption.objects.get(pk=exemption.pk)
    assert decided.decided_by_id == results[0].decided_by_id
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTED).count() == 1


def test_an_approval_and_a_refusal_at_once_give_one_decision(assignment):
    exemption = four_eyes.request_exemption(assignment=assignment, reason="Verlof", by=hr())
    first, second = hr(), hr()

    results, errors = in_threads(
        [
            lambda: four_eyes.approve_exemption(exemption=exemption, by=first),
            lambda: four_eyes.refuse_exemption(exemption=exemption, by=second, note="Nee"),
        ]
    )

    assert (len(results), len(errors)) == (1, 1)
    decided = Exemption.objects.get(pk=exemption.pk)
    assert decided.decision == results[0].decision
    exempt = Assignment.objects.get(pk=assignment.pk).is_exempt
    assert exempt == (decided.decision == Exemption.Decision.APPROVED)


def test_two_requests_at_once_give_one(assignment):
    first, second = hr(), hr()

    results, errors = in_threads(
        [
            lambda: four_eyes.request_exemption(assignment=assignment, reason="A", by=first),
            lambda: four_eyes.request_exemption(assignment=assignment, reason="B", by=second),
        ]
    )

    assert (len(results), [type(error) for error in errors]) == (1, [CampaignError])
    assert Exemption.objects.filter(assignment=assignment).count() == 1
