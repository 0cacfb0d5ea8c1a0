"""The dashboards compute their figures in the database: each page takes the same number
of queries with 10 and with 1,000 employees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Reminder
from campaigns.tests.hr_support import (
    assignment_of,
    bulk_employees,
    day,
    launched,
    sign,
)
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

# Each page: the session and the user (2), the user's permissions (2), the campaign (1),
# the menu's roles (2: groups and reports), then the page's own reads:
# - overview: the campaign's guidelines, the campaign's size (live or kept figures), per
#   department, completion over time, quiz figures (2), events, the audience's
#   description, the exemptions waiting for approval (9), however many guidelines;
# - people: the campaign's guidelines, count and page (of employees), the page's
#   assignments, and the departments of the filter (5), however many guidelines;
# - reminder log: count and page, and the counts per status (3).
DETAIL_QUERIES = 16
PEOPLE_QUERIES = 12
REMINDER_LOG_QUERIES = 10
PEOPLE_FILTERED_QUERIES = 13  # + the department of ?afdeling=


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


def _campaign(version, size: int):
    """A running campaign for ``size`` employees in six departments (one a sub-department),
    with a signature, quiz attempts, an exemption, a leaver and a reminder for everyone
    (a few failed)."""
    top = DepartmentFactory()
    departments = [top, *(DepartmentFactory(parent=top) for _ in range(5))]
    manager = EmployeeFactory(department=top)
    staff = bulk_employees(size, departments, manager=manager)
    campaign = launched(
        version,
        audience="departments",
        departments=[top],
        start_date=day(-20),
        deadline=day(5),
    )
    # The deadline has passed since: the open assignments are overdue.
    campaign.assignments.update(due_date=day(-1))
    sign(staff[0], version)
    submitted_attempt(employee=staff[1], version=version, right=False)
    submitted_attempt(employee=staff[2], version=version)
    services.exempt(assignment=assignment_of(campaign, staff[3]), reason="Verlof", by=None)
    staff[4].is_active = False
    staff[4].save()
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            assignment_id=pk,
            kind=Reminder.Kind.REMINDER,
            step="before-14",
            status=Reminder.Status.FAILED if index % 7 == 0 else Reminder.Status.SENT,
            created_at=now,
            next_attempt_at=now,
            recipients="someone@voorbeeldstad.nl",
            last_error="550" if index % 7 == 0 else "",
        )
        for index, pk in enumerate(campaign.assignments.values_list("pk", flat=True))
    )
    if connection.vendor == "postgresql":
        # What autovacuum does after a launch: the planner knows the tables' sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return campaign, top


@pytest.mark.parametrize("size", [10, 1000])
def test_the_overview_takes_a_fixed_number_of_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, _top = _campaign(version, size)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    assert response.context["figures"]["total"] == size  # the leaver left out, the manager in


@pytest.mark.parametrize("size", [10, 1000])
def test_the_sorted_overview_takes_as_many_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, _top = _campaign(version, size)

    with django_assert_num_queries(DETAIL_QUERIES):
        hr_client.get(reverse("campaigns:detail", args=[campaign.pk]) + "?sorteer=-overdue")


@pytest.mark.parametrize("size", [10, 1000])
def test_the_people_list_takes_a_fixed_number_of_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, _top = _campaign(version, size)

    with django_assert_num_queries(PEOPLE_QUERIES):
        response = hr_client.get(reverse("campaigns:people", args=[campaign.pk]))

    assert len(response.context["assignments"]) == min(size, 25)


@pytest.mark.parametrize("size", [10, 1000])
def test_the_filtered_overdue_list_takes_a_fixed_number_of_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, top = _campaign(version, size)
    url = reverse("campaigns:people", args=[campaign.pk])

    with django_assert_num_queries(PEOPLE_FILTERED_QUERIES):
        response = hr_client.get(url, {"status": "overdue", "afdeling": top.pk, "q": "persoon"})

    assert response.context["assignments"]


@pytest.mark.parametrize("size", [10, 1000])
def test_the_reminder_log_takes_a_fixed_number_of_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, _top = _campaign(version, size)

    with django_assert_num_queries(REMINDER_LOG_QUERIES):
        response = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk]))

    assert len(response.context["reminders"]) == min(size + 1, 25)  # the manager's too


@pytest.mark.parametrize("size", [10, 1000])
def test_the_overdue_csv_takes_a_fixed_number_of_queries(
    hr_client, version, size, django_assert_num_queries
):
    campaign, _top = _campaign(version, size)

    with django_assert_num_queries(CSV_QUERIES):
        response = hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk]))
        lines = b"".join(response.streaming_content).count(b"\r\n")

    assert lines > size // 2


# session, user, permissions (2), campaign, the overdue rows, the security event (export)
CSV_QUERIES = 7
