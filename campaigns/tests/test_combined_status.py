"""campaigns.selectors.combined: an employee's status over every guideline a campaign asks
of them (signed only when all are signed, overdue when any is overdue, ...)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns import services
from campaigns.models import Assignment, Campaign
from campaigns.selectors.combined import combined_status, combined_status_counts
from campaigns.tests.conftest import day
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def social():
    return quiz_version(tips=2)


@pytest.fixture
def privacy():
    guideline = GuidelineFactory(slug="privacy", title="Privacy", title_en="Privacy")
    return quiz_version(tips=2, guideline=guideline)


@pytest.fixture
def campaign(social):
    return services.create_campaign(
        name="Ronde",
        versions=[social],
        audience=Campaign.Audience.ALL,
        start_date=day(0),
        deadline=day(30),
    )


def assign(campaign, employee, version, *, due: datetime.date | None = None) -> Assignment:
    return Assignment.objects.create(
        campaign=campaign,
        employee=employee,
        guideline_id=version.guideline_id,
        version=version,
        due_date=due or day(30),
        reason=Assignment.Reason.LAUNCH,
        added_at=timezone.now(),
    )


def sign(employee, version) -> None:
    signed(employee, ready_to_sign(employee, version))


def status_of(campaign, employee, **kwargs):
    rows = combined_status(
        assignments=Assignment.objects.filter(campaign=campaign), on=day(0), **kwargs
    )
    return {row["employee_id"]: row for row in rows}[employee.pk]


def test_an_employee_who_signed_one_of_two_guidelines_is_not_signed(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy)
    sign(employee, social)
    read_all_tips(employee, privacy)

    row = status_of(campaign, employee)

    assert row["status"] == Assignment.Status.READING
    assert (row["guidelines"], row["signed"]) == (2, 1)


def test_a_failed_quiz_and_a_signed_guideline_are_quiz_not_passed_yet(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy)
    sign(employee, social)
    ready_to_sign(employee, privacy, passed=False)

    assert status_of(campaign, employee)["status"] == Assignment.Status.QUIZ_FAILED


def test_the_least_progress_wins_reading_before_a_failed_quiz(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy)
    ready_to_sign(employee, social, passed=False)
    read_all_tips(employee, privacy, except_numbers=[2])

    row = status_of(campaign, employee, guideline_ids=[social.guideline_id, privacy.guideline_id])

    assert row["status"] == Assignment.Status.READING
    assert row[f"guideline_{social.guideline_id}"] == Assignment.Status.QUIZ_FAILED
    assert row[f"guideline_{privacy.guideline_id}"] == Assignment.Status.READING


def test_a_failed_quiz_and_an_overdue_guideline_are_overdue(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy, due=day(-1))
    ready_to_sign(employee, social, passed=False)

    assert status_of(campaign, employee)["status"] == Assignment.Status.OVERDUE


def test_with_one_guideline_the_combined_status_is_the_assignments_own(campaign, social):
    """Every status, one employee each: the combined rule and with_status agree."""
    from campaigns.selectors import with_status

    hr = EmployeeFactory()
    made = {status: EmployeeFactory() for status in Assignment.Status.values}
    for status, employee in made.items():
        due = day(-1) if status == Assignment.Status.OVERDUE else None
        assignment = assign(campaign, employee, social, due=due)
        if status == Assignment.Status.READING:
            read_all_tips(employee, social, except_numbers=[2])
        elif status == Assignment.Status.QUIZ_FAILED:
            ready_to_sign(employee, social, passed=False)
        elif status == Assignment.Status.QUIZ_PASSED:
            ready_to_sign(employee, social)
        elif status == Assignment.Status.SIGNED:
            sign(employee, social)
        elif status == Assignment.Status.EXEMPT:
            services.exempt(assignment=assignment, reason="Verlof", by=hr)
    assignments = Assignment.objects.filter(campaign=campaign)

    own = dict(with_status(assignments=assignments, on=day(0)).values_list("employee", "status"))
    rows = combined_status(assignments=assignments, on=day(0))
    combined = {row["employee_id"]: row["status"] for row in rows}

    assert own == combined
    assert {own[employee.pk] for employee in made.values()} == set(Assignment.Status.values)
    assert {status: own[employee.pk] for status, employee in made.items()} == {
        status: status for status in made
    }


def test_an_employee_who_signed_every_guideline_is_signed(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy)
    sign(employee, social)
    sign(employee, privacy)

    row = status_of(campaign, employee)

    assert row["status"] == Assignment.Status.SIGNED
    assert row["open_due_date"] is None


def test_one_overdue_guideline_makes_the_employee_overdue(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy, due=day(-1))
    sign(employee, social)

    row = status_of(campaign, employee)

    assert row["status"] == Assignment.Status.OVERDUE
    assert (row["overdue"], row["open_due_date"]) == (1, day(-1))


def test_an_employee_exempt_from_every_guideline_is_exempt(campaign, social, privacy):
    hr = EmployeeFactory()
    employee = EmployeeFactory()
    for version in (social, privacy):
        services.exempt(assignment=assign(campaign, employee, version), reason="Verlof", by=hr)

    assert status_of(campaign, employee)["status"] == Assignment.Status.EXEMPT


def test_signed_and_exempt_together_count_as_signed(campaign, social, privacy):
    hr = EmployeeFactory()
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    services.exempt(assignment=assign(campaign, employee, privacy), reason="Verlof", by=hr)
    sign(employee, social)

    assert status_of(campaign, employee)["status"] == Assignment.Status.SIGNED


def test_each_guideline_gets_a_column_with_its_own_status(campaign, social, privacy):
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(campaign, employee, privacy)
    sign(employee, social)
    other = EmployeeFactory()
    assign(campaign, other, privacy)

    ids = [social.guideline_id, privacy.guideline_id]
    row = status_of(campaign, employee, guideline_ids=ids)
    other_row = status_of(campaign, other, guideline_ids=ids)

    assert row[f"guideline_{social.guideline_id}"] == Assignment.Status.SIGNED
    assert row[f"guideline_{privacy.guideline_id}"] == Assignment.Status.NOT_STARTED
    assert other_row[f"guideline_{social.guideline_id}"] is None


def test_the_rows_can_be_filtered_on_the_combined_status(campaign, social, privacy):
    done, busy = EmployeeFactory(), EmployeeFactory()
    for employee in (done, busy):
        assign(campaign, employee, social)
        sign(employee, social)
    assign(campaign, busy, privacy)

    rows = combined_status(
        assignments=Assignment.objects.filter(campaign=campaign), on=day(0)
    ).filter(status=Assignment.Status.SIGNED)

    assert [row["employee_id"] for row in rows] == [done.pk]


def test_the_counts_count_employees_not_assignments(campaign, social, privacy):
    done, busy, late = EmployeeFactory(), EmployeeFactory(), EmployeeFactory()
    for employee in (done, busy, late):
        assign(campaign, employee, social)
    sign(done, social)
    assign(campaign, busy, privacy)
    assign(campaign, late, privacy, due=day(-2))

    counts = combined_status_counts(
        assignments=Assignment.objects.filter(campaign=campaign), on=day(0)
    )

    assert counts["total"] == 3
    assert counts[Assignment.Status.SIGNED] == 1
    assert counts[Assignment.Status.NOT_STARTED] == 1
    assert counts[Assignment.Status.OVERDUE] == 1


def test_combined_status_is_one_query_however_many_guidelines(
    campaign, social, privacy, django_assert_num_queries
):
    for _ in range(3):
        employee = EmployeeFactory()
        assign(campaign, employee, social)
        assign(campaign, employee, privacy)
    assignments = Assignment.objects.filter(campaign=campaign)
    ids = [social.guideline_id, privacy.guideline_id]

    with django_assert_num_queries(1):
        rows = list(combined_status(assignments=assignments, on=day(0), guideline_ids=ids))
    with django_assert_num_queries(1):
        combined_status_counts(assignments=assignments, on=day(0))

    assert len(rows) == 3


def test_per_employee_over_campaigns_combines_every_campaign(campaign, social, privacy):
    other = services.create_campaign(
        name="Tweede ronde",
        versions=[privacy],
        audience=Campaign.Audience.ALL,
        start_date=day(0),
        deadline=day(30),
    )
    employee = EmployeeFactory()
    assign(campaign, employee, social)
    assign(other, employee, privacy)
    sign(employee, social)

    rows = list(
        combined_status(
            assignments=Assignment.objects.filter(employee=employee), on=day(0), per_campaign=False
        )
    )

    assert len(rows) == 1
    assert rows[0]["status"] == Assignment.Status.NOT_STARTED
    assert "campaign_id" not in rows[0]
