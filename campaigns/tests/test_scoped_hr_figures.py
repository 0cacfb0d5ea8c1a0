"""An HR adviser of Directie Ruimte sees the campaigns that touch their part, and of
each only their people: figures (live and kept) that are the in-scope part of central
HR's, the people list, the overdue CSV, the reminder log and the events. Each page in a
fixed number of queries, as central HR's."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.tests.hr_support import (
    assignment_of,
    bulk_employees,
    day,
    draft,
    hr,
    launched,
    reminder,
    sign,
)
from campaigns.tests.scoped_support import adviser_of, organisation
from people.models import Department
from people.tests.factories import DepartmentFactory
from quizzes.tests.factories import submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def org(version):
    return organisation(version)


@pytest.fixture
def adviser_client(client, org):
    client.force_login(org.adviser)
    return client


def _names(response) -> set[str]:
    return {row[0].name for row in response.context["rows"]}


def _people(response) -> set[int]:
    return {row.employee_id for row in response.context["assignments"]}


def test_an_adviser_lists_the_campaigns_that_touch_their_part(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:list"))

    assert _names(response) == {"Iedereen", "Ruimte"}


def test_an_adviser_lists_a_draft_for_people_of_their_part(adviser_client, org, version):
    draft(version, name="Twee mensen", audience=Campaign.Audience.EMPLOYEES, employees=org.inside)

    response = adviser_client.get(reverse("campaigns:list"))

    assert "Twee mensen" in _names(response)


def test_central_hr_lists_every_campaign(client, org):
    client.force_login(hr())

    response = client.get(reverse("campaigns:list"))

    assert _names(response) == {"Iedereen", "Ruimte", "Sociaal"}


def test_the_list_counts_only_the_advisers_people_in_an_all_staff_campaign(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:list"))

    figures = {row[0].name: row[1] for row in response.context["rows"]}
    assert figures["Iedereen"]["total"] == len(org.inside)


def _by_department(response) -> dict[int | None, dict]:
    return {row["department_id"]: row for row in response.context["departments"]}


def _figures_of(client, campaign) -> dict:
    return client.get(reverse("campaigns:detail", args=[campaign.pk])).context


def test_the_advisers_figures_are_the_in_scope_part_of_central_hrs(client, org, version):
    sign(org.inside[1], version)
    sign(org.outside[0], version)
    client.force_login(hr())
    central = _figures_of(client, org.everyone)
    client.force_login(org.adviser)
    scoped = _figures_of(client, org.everyone)

    inside = {org.ruimte.pk, org.vergunningen.pk}
    central_rows = {k: v for k, v in _by_department_of(central).items() if k in inside}
    assert _by_department_of(scoped) == central_rows
    assert scoped["figures"]["total"] == sum(row["total"] for row in central_rows.values())
    assert scoped["figures"]["signed"] == 1


def _by_department_of(context) -> dict[int | None, dict]:
    return {row["department_id"]: row for row in context["departments"]}


def test_the_advisers_chart_counts_only_their_signatures(client, org, version):
    sign(org.outside[0], version)
    sign(org.outside[1], version)
    client.force_login(org.adviser)

    context = _figures_of(client, org.everyone)

    assert context["figures"]["signed"] == 0
    assert sum(context["counts"].per_day.values()) == 0  # the chart's days


def test_the_kept_figures_of_a_large_campaign_are_cut_to_the_scope(client, org, version, settings):
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 1
    sign(org.inside[0], version)
    sign(org.outside[0], version)
    services.figures.refresh(campaign=org.everyone)
    client.force_login(org.adviser)

    context = _figures_of(client, org.everyone)

    assert set(_by_department_of(context)) == {org.ruimte.pk, org.vergunningen.pk}
    assert (context["figures"]["total"], context["figures"]["signed"]) == (2, 1)


def test_the_kept_signatures_per_day_are_counted_for_the_scope(client, org, version, settings):
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 1
    sign(org.outside[0], version)
    sign(org.outside[1], version)
    services.figures.refresh(campaign=org.everyone)
    client.force_login(org.adviser)

    context = _figures_of(client, org.everyone)

    timeline_signed = context["figures"]["signed"]
    assert timeline_signed == 0
    assert sum(context["counts"].per_day.values()) == 0


def test_the_advisers_quiz_figures_name_only_their_departments(client, org, version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 1
    for employee in [*org.inside, *org.outside]:
        submitted_attempt(employee=employee, version=version)
    client.force_login(org.adviser)

    context = _figures_of(client, org.everyone)

    assert set(context["counts"].quiz) <= {org.ruimte.pk, org.vergunningen.pk}


def test_the_people_list_shows_only_the_advisers_people(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:people", args=[org.everyone.pk]))

    assert _people(response) == {employee.pk for employee in org.inside}


def test_a_forged_department_filter_outside_the_scope_shows_nobody_outside(adviser_client, org):
    response = adviser_client.get(
        reverse("campaigns:people", args=[org.everyone.pk]), {"afdeling": org.sociaal.pk}
    )

    assert _people(response) <= {employee.pk for employee in org.inside}


def test_the_department_filter_offers_only_the_advisers_departments(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:people", args=[org.everyone.pk]))

    offered = set(response.context["form"].fields["afdeling"].queryset)
    assert offered == {org.ruimte, org.vergunningen}


def test_an_adviser_may_exempt_their_people_in_an_all_staff_campaign(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:people", args=[org.everyone.pk]))

    assert response.context["can_exempt"] is True
    assert response.context["can_manage"] is False


def test_an_adviser_sees_no_buttons_to_run_an_all_staff_campaign(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:detail", args=[org.everyone.pk]))

    assert response.context["can_manage"] is False
    assert b'id="close-link"' not in response.content


def test_an_adviser_sees_the_buttons_to_run_a_campaign_of_their_part(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:detail", args=[org.ours.pk]))

    assert b'id="close-link"' in response.content


def test_the_overdue_csv_lists_only_the_advisers_people(adviser_client, org):
    org.everyone.assignments.update(due_date=day(-1))

    response = adviser_client.get(reverse("campaigns:overdue_csv", args=[org.everyone.pk]))

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    emails = {row[2] for row in rows[1:]}
    assert emails == {employee.email for employee in org.inside}


def test_the_reminder_log_shows_only_mails_about_the_advisers_people(adviser_client, org):
    ours = reminder(assignment_of(org.everyone, org.inside[0]))
    reminder(assignment_of(org.everyone, org.outside[0]))

    response = adviser_client.get(reverse("campaigns:reminders", args=[org.everyone.pk]))

    assert [r.pk for r in response.context["reminders"]] == [ours.pk]
    counted = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counted[Reminder.Status.SENT] == 1


def test_the_log_on_the_overview_leaves_out_events_about_people_outside(adviser_client, org):
    services.exempt(
        assignment=assignment_of(org.everyone, org.outside[0]), reason="Verlof", by=None
    )

    context = _figures_of(adviser_client, org.everyone)

    assert all(event.assignment_id is None for event in context["events"])
    assert [event.kind for event in context["events"]][-1] == "created"


# A fixed number of queries ---------------------------------------------------------------


def _large(version, size: int):
    """A running all-staff campaign for ``size`` employees in two directorates (three
    departments under each), some of them signed and with a quiz attempt and reminders,
    and an adviser of the first directorate."""
    ruimte = DepartmentFactory(kind=Department.Kind.DIRECTORATE)
    sociaal = DepartmentFactory(kind=Department.Kind.DIRECTORATE)
    departments = [
        ruimte,
        *(DepartmentFactory(parent=ruimte) for _ in range(2)),
        sociaal,
        *(DepartmentFactory(parent=sociaal) for _ in range(2)),
    ]
    staff = bulk_employees(size, departments)
    campaign = launched(version, start_date=day(-20), deadline=day(5))
    campaign.assignments.update(due_date=day(-1))
    sign(staff[0], version)
    submitted_attempt(employee=staff[1], version=version)
    for employee in staff[:6]:
        reminder(assignment_of(campaign, employee))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return campaign, adviser_of(ruimte), ruimte


# The session and the user (2), the user's permissions (2), the roles (groups with the
# roles held on departments: 1, and reports: 1), the departments of the scope (1, read
# once whatever permissions the page asks), then the page's own reads as
# central HR's (campaigns/tests/test_views_hr_queries.py), with whether the campaign lies
# in the scope where it decides the buttons (the chosen departments or people, and anyone
# asked outside it). The overview also counts the exemptions waiting for approval.
SCOPED_LIST_QUERIES = 11
SCOPED_DETAIL_QUERIES = 16
SCOPED_PEOPLE_QUERIES = 13
SCOPED_REMINDER_LOG_QUERIES = 11
SCOPED_CSV_QUERIES = 10


@pytest.mark.parametrize("size", [12, 300])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("list", SCOPED_LIST_QUERIES),
        ("detail", SCOPED_DETAIL_QUERIES),
        ("people", SCOPED_PEOPLE_QUERIES),
        ("reminders", SCOPED_REMINDER_LOG_QUERIES),
        ("overdue_csv", SCOPED_CSV_QUERIES),
    ],
)
def test_an_advisers_page_takes_a_fixed_number_of_queries(
    client, version, size, page, queries, django_assert_num_queries
):
    campaign, adviser, _ruimte = _large(version, size)
    client.force_login(adviser)
    url = (
        reverse("campaigns:list")
        if page == "list"
        else reverse(f"campaigns:{page}", args=[campaign.pk])
    )

    with django_assert_num_queries(queries):
        response = client.get(url)
        if page == "overdue_csv":
            b"".join(response.streaming_content)

    assert response.status_code == 200
