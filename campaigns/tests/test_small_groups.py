"""Small groups stay hidden everywhere (portal.suppression): a department of one person
whose quiz figures are hidden on the dashboard cannot be worked out from the quiz
statistics' totals and the dashboard's other rows, live, kept or on a page of the table,
nor from the statistics' CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.selectors import dashboard, today
from campaigns.services import figures
from campaigns.tests.hr_support import launched
from people.tests.factories import DepartmentFactory, EmployeeFactory, login_with_second_factor
from portal.testing.html import one, parse, select, text
from quizzes.tests.factories import editor_url, quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PORTAL_MFA_REQUIRED = False
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


@pytest.fixture
def organisation(db):
    """Werk en Inkomen with Team Schulden (five people, all right) and Team Bezwaar (one
    person, all wrong)."""
    top = DepartmentFactory(code="WI", name="Werk en Inkomen")
    return {
        "top": top,
        "five": DepartmentFactory(code="SCH", name="Team Schulden", parent=top),
        "one": DepartmentFactory(code="BEZ", name="Team Bezwaar", parent=top),
    }


@pytest.fixture
def campaign(version, organisation):
    five = [EmployeeFactory(department=organisation["five"]) for _ in range(5)]
    alone = EmployeeFactory(department=organisation["one"], first_name="Enige")
    campaign = launched(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[organisation["top"]]
    )
    for employee in five:
        submitted_attempt(employee=employee, version=version, right=True)
    submitted_attempt(employee=alone, version=version, right=False)
    return campaign


def _editor_client() -> Client:
    client = Client()
    login_with_second_factor(client, EmployeeFactory(editor=True))
    return client


def _quiz_rows(page) -> dict[int, object]:
    return {int(row.attributes["data-department"]): row for row in select(page, "tr.quiz-row")}


def test_a_department_of_one_hides_the_next_smallest_department_on_the_dashboard(
    hr_client, campaign, organisation
):
    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    rows = _quiz_rows(parse(response))
    for department in (organisation["one"], organisation["five"]):
        assert select(rows[department.pk], "td.too-few"), department.name
        assert "%" not in text(rows[department.pk])


def test_the_department_of_one_cannot_be_worked_out_from_the_statistics_total(
    hr_client, campaign, organisation, version
):
    """THE case: the quiz statistics page shows the total over all six people; what the
    dashboard shows must leave at least five people behind whatever it hides."""
    dashboard_page = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    statistics_page = _editor_client().get(editor_url("statistics"), {"versie": version.number})

    summary = statistics_page.context["summary"]
    assert (summary.people, summary.hidden) == (6, False)
    shown = [figure for figure in dashboard_page.context["quiz"] if figure.shown]
    behind_the_hidden = summary.people - sum(figure.people for figure in shown)
    assert behind_the_hidden >= 5
    assert "Too few to show" in text(
        one(parse(dashboard_page), f'tr.quiz-row[data-department="{organisation["one"].pk}"]')
    )


def test_a_page_of_the_department_table_hides_what_the_whole_breakdown_hides(
    campaign, organisation
):
    rows = dashboard.quiz_rows(campaign=campaign, on=today())
    only_the_five = [{"department_id": organisation["five"].pk, "name": "Team Schulden"}]

    (figure,) = dashboard.quiz_figures_from(rows=rows, departments=only_the_five)

    assert not figure.shown
    assert (figure.average_score, figure.passed_first_try, figure.attempts) == (None, 0, 0)


def test_kept_figures_hide_the_complement_too(hr_client, campaign, organisation, settings):
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 1
    figures.refresh(campaign=campaign)

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    assert response.context["counts"].computed_at is not None  # kept, not counted live
    rows = _quiz_rows(parse(response))
    assert select(rows[organisation["five"].pk], "td.too-few")
    assert select(rows[organisation["one"].pk], "td.too-few")


def test_with_fewer_people_than_the_minimum_the_statistics_page_shows_no_figure(version):
    for _ in range(4):
        submitted_attempt(employee=EmployeeFactory(), version=version, right=False)

    response = _editor_client().get(editor_url("statistics"), {"versie": version.number})

    page = parse(response)
    assert select(page, "#too-few-people")
    assert not select(page, "#summary-attempts")
    assert not select(page, "#statistics-table") and not select(page, "#tip-statistics-table")
    assert not select(page, "#csv-download")


@pytest.mark.parametrize("how", ["url", "format"])
def test_with_fewer_people_than_the_minimum_the_statistics_csv_has_no_figure(version, how):
    for _ in range(4):
        submitted_attempt(employee=EmployeeFactory(), version=version, right=False)
    client = _editor_client()

    if how == "url":
        response = client.get(editor_url("statistics_csv"), {"versie": version.number})
    else:
        response = client.get(editor_url("statistics"), {"versie": version.number, "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert response.status_code == 200
    assert len(rows) == 1  # the header only


def test_five_attempts_by_one_person_are_still_one_person(version):
    employee = EmployeeFactory()
    for _ in range(5):
        submitted_attempt(employee=employee, version=version, right=True)

    response = _editor_client().get(editor_url("statistics"), {"versie": version.number})

    assert response.context["summary"].hidden
