"""A launch inserts each guideline's assignments in one statement (INSERT ... SELECT,
campaigns.services.bulk): the employees' ids never travel to Python and back, so the
launch makes as many queries for thousands of employees as for a few."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Assignment
from campaigns.services import BULK_BATCH, bulk
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import draft_campaign
from people.models import Employee
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _staff(count: int, *, first: int = 0) -> None:
    Employee.objects.bulk_create(
        Employee(
            email=f"bulk{n}@example.test",
            employee_number=f"B{n:06d}",
            first_name="Bulk",
            last_name=f"Employee {n}",
            start_date=datetime.date(2020, 1, 1),
            password="!",
        )
        for n in range(first, first + count)
    )


def _launch_queries(version) -> tuple[int, int]:
    campaign = draft_campaign(version, deadline=day(30))
    with CaptureQueriesContext(connection) as captured:
        added = services.launch_campaign(campaign=campaign, by=None, now=at(0))
    return added, len(captured)


def test_a_launch_for_more_than_a_batch_makes_as_many_queries_as_for_a_few(version):
    _staff(3)
    few, few_queries = _launch_queries(version)
    _staff(BULK_BATCH + 10, first=3)  # more than one batch of bulk_create

    many, many_queries = _launch_queries(version)

    assert many == few + BULK_BATCH + 10
    assert many_queries == few_queries


def test_the_rows_inserted_in_one_statement_are_as_a_model_would_write_them(version):
    employee = EmployeeFactory()
    campaign = draft_campaign(version, deadline=day(30))

    services.launch_campaign(campaign=campaign, by=None, now=at(0))

    row = Assignment.objects.get(campaign=campaign, employee=employee)
    assert (row.guideline_id, row.version, row.due_date, row.reason, row.added_at) == (
        version.guideline_id,
        version,
        day(30),
        Assignment.Reason.LAUNCH,
        at(0),
    )
    assert (row.exempt_reason, row.exempted_at, row.exempted_by) == ("", None, None)


def test_inserting_the_same_audience_again_skips_those_who_have_one(version):
    employees = [EmployeeFactory() for _ in range(3)]
    campaign = draft_campaign(version, deadline=day(30))
    services.launch_campaign(campaign=campaign, by=None, now=at(0))
    late = EmployeeFactory()

    bulk.insert_assignments(
        campaign_id=campaign.pk,
        employees=Employee.objects.all(),
        guideline_id=version.guideline_id,
        version_id=version.pk,
        due_date=day(40),
        reason=Assignment.Reason.JOINED,
        added_at=at(1),
    )

    rows = {a.employee: (a.due_date, a.reason) for a in campaign.assignments.all()}
    assert rows == {
        **{e: (day(30), Assignment.Reason.LAUNCH) for e in employees},
        late: (day(40), Assignment.Reason.JOINED),
    }
