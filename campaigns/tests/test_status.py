"""An assignment's status is derived from facts (reading, quiz, ledger, exemption, due
date), never typed in, with the precedence exempt > signed > overdue > quiz passed >
quiz not passed yet > reading > not started; leavers keep their assignments but stop
counting."""

import pytest

from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns import selectors, services
from campaigns.models import Assignment, Campaign
from campaigns.tests.conftest import day
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt

Status = Assignment.Status

pytestmark = pytest.mark.django_db


def _assignment(version, employee, **kwargs):
    campaign = launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=[employee], **kwargs
    )
    return campaign.assignments.get(employee=employee)


def status_of(assignment, on=None):
    on = on or day(0)
    return (
        selectors.with_status(assignments=Assignment.objects.filter(pk=assignment.pk), on=on)
        .get()
        .status
    )


@pytest.fixture
def employee(db):
    return EmployeeFactory()


def test_nothing_done_is_not_started(version, employee):
    assert status_of(_assignment(version, employee)) == Status.NOT_STARTED


def test_every_tip_opened_is_reading(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, version)

    assert status_of(assignment) == Status.READING


def test_one_tip_opened_is_reading_not_not_started(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, version, except_numbers=[2, 3])

    assert status_of(assignment) == Status.READING


def test_tips_of_another_version_do_not_count_as_read(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, quiz_version(tips=3, number=2))

    assert status_of(assignment) == Status.NOT_STARTED


def test_passed_quiz_is_quiz_passed(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, version)
    submitted_attempt(employee=employee, version=version, right=True)

    assert status_of(assignment) == Status.QUIZ_PASSED


def test_a_failed_quiz_is_quiz_not_passed_yet(version, employee):
    assignment = _assignment(version, employee)
    ready_to_sign(employee, version, passed=False)

    assert status_of(assignment) == Status.QUIZ_FAILED


def test_a_failed_quiz_without_reading_is_not_not_started(version, employee):
    assignment = _assignment(version, employee)
    ready_to_sign(employee, version, read=False, passed=False)

    assert status_of(assignment) == Status.QUIZ_FAILED


def test_passing_after_failing_is_quiz_passed(version, employee):
    assignment = _assignment(version, employee)
    ready_to_sign(employee, version, passed=False)
    submitted_attempt(employee=employee, version=version, right=True)

    assert status_of(assignment) == Status.QUIZ_PASSED


def test_overdue_comes_before_quiz_not_passed_yet(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    ready_to_sign(employee, version, passed=False)

    assert status_of(assignment, on=day(10)) == Status.QUIZ_FAILED
    assert status_of(assignment, on=day(11)) == Status.OVERDUE


def test_overdue_comes_before_reading(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    read_all_tips(employee, version, except_numbers=[3])

    assert status_of(assignment, on=day(11)) == Status.OVERDUE


def test_there_is_no_read_status_any_more():
    assert "read" not in Status.values
    assert Status.values == [
        "not_started",
        "reading",
        "quiz_failed",
        "quiz_passed",
        "signed",
        "overdue",
        "exempt",
    ]


def test_signing_the_version_is_signed_with_its_moment(version, employee):
    assignment = _assignment(version, employee)
    acknowledgement = signed(employee, ready_to_sign(employee, version))

    annotated = selectors.with_status(
        assignments=Assignment.objects.filter(pk=assignment.pk), on=day(0)
    ).get()
    assert annotated.status == Status.SIGNED
    assert annotated.signed_at == acknowledgement.signed_at


def test_employee_who_signed_the_version_before_launch_is_done_at_once(version, employee):
    signed(employee, ready_to_sign(employee, version))

    assert status_of(_assignment(version, employee)) == Status.SIGNED


def test_signing_another_version_does_not_count(version, employee):
    assignment = _assignment(version, employee)
    signed(employee, ready_to_sign(employee, quiz_version(tips=3, number=2)))

    assert status_of(assignment) == Status.NOT_STARTED


def test_past_the_due_date_without_signing_is_overdue(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))

    assert status_of(assignment, on=day(10)) == Status.NOT_STARTED  # due today: not yet
    assert status_of(assignment, on=day(11)) == Status.OVERDUE


def test_overdue_comes_before_quiz_passed(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    ready_to_sign(employee, version)

    assert status_of(assignment, on=day(11)) == Status.OVERDUE


def test_signed_comes_before_overdue(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    signed(employee, ready_to_sign(employee, version))

    assert status_of(assignment, on=day(40)) == Status.SIGNED


def test_exempt_comes_before_everything(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    hr = EmployeeFactory(hr=True)
    services.exempt(assignment=assignment, reason="Langdurig verlof", by=hr)

    assert status_of(assignment, on=day(40)) == Status.EXEMPT
    signed(employee, ready_to_sign(employee, version))
    assert status_of(assignment, on=day(40)) == Status.EXEMPT


def test_lifting_an_exemption_brings_the_facts_back(version, employee):
    assignment = _assignment(version, employee, deadline=day(10))
    hr = EmployeeFactory(hr=True)
    services.exempt(assignment=assignment, reason="Langdurig verlof", by=hr)
    services.lift_exemption(assignment=assignment, by=hr)

    assert status_of(assignment, on=day(11)) == Status.OVERDUE


def test_exemption_needs_a_reason(version, employee):
    assignment = _assignment(version, employee)

    with pytest.raises(services.CampaignError):
        services.exempt(assignment=assignment, reason="  ", by=EmployeeFactory(hr=True))


@pytest.mark.parametrize(
    "leaver",
    [{"is_active": False}, {"end_date": day(-1)}],
    ids=["inactive", "end-date-passed"],
)
def test_leavers_keep_their_assignment_but_stop_counting(version, leaver):
    staying = EmployeeFactory()
    leaving = EmployeeFactory()
    campaign = launched_campaign(version)
    type(leaving).objects.filter(pk=leaving.pk).update(**leaver)

    assert campaign.assignments.filter(employee=leaving).exists()
    counting = selectors.counting(assignments=campaign.assignments.all(), on=day(0))
    assert set(counting.values_list("employee", flat=True)) == {staying.pk}


def test_employee_leaving_today_still_counts_today(version):
    employee = EmployeeFactory(end_date=day(0))
    campaign = launched_campaign(version)

    assert selectors.counting(assignments=campaign.assignments.all(), on=day(0)).filter(
        employee=employee
    )
    assert not selectors.counting(assignments=campaign.assignments.all(), on=day(1)).filter(
        employee=employee
    )


def test_status_counts_are_one_query(version, django_assert_num_queries):
    people = [EmployeeFactory() for _ in range(6)]
    campaign = launched_campaign(version)
    read_all_tips(people[0], version)
    ready_to_sign(people[1], version)
    signed(people[2], ready_to_sign(people[2], version))
    services.exempt(
        assignment=campaign.assignments.get(employee=people[3]),
        reason="Buitenland",
        by=people[2],
    )
    ready_to_sign(people[4], version, passed=False)

    with django_assert_num_queries(1):
        counts = selectors.status_counts(assignments=campaign.assignments.all(), on=day(0))

    assert counts["total"] == 6
    assert counts[Status.READING] == counts[Status.QUIZ_PASSED] == 1
    assert counts[Status.QUIZ_FAILED] == counts[Status.NOT_STARTED] == 1
    assert counts[Status.SIGNED] == counts[Status.EXEMPT] == 1
    assert counts["in_scope"] == 5
    assert counts["in_progress"] == 4
    assert counts["done_percent"] == 20
    assert sum(counts[status] for status in Status.values) == counts["total"]
