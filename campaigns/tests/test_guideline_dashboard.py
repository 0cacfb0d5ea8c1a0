"""HR's campaign dashboard for a campaign of more than one guideline: the figures of
each guideline (``?handreiking=<slug>``) apart, and of all of them combined (an employee
counts as signed only when every guideline asked of them is signed or exempt), live or
kept, in a fixed number of queries however many guidelines."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign
from campaigns.tests.hr_support import launched, sign
from campaigns.tests.multi_guideline import second_version, with_guideline
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import links, parse, select
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def world(db):
    """Two guidelines. Anna signed both; Bert only the first; Cees the first and is
    exempt from the second; Dirk is asked only the first and signed nothing."""
    social = quiz_version(tips=2)
    home = second_version(tips=2)
    department = DepartmentFactory(name="Burgerzaken")
    anna, bert, cees, dirk = (
        EmployeeFactory(first_name=name, last_name=name, department=department)
        for name in ("Anna", "Bert", "Cees", "Dirk")
    )
    campaign = launched(social, audience=Campaign.Audience.DEPARTMENTS, departments=[department])
    with_guideline(campaign, home, employees=[anna, bert, cees])
    for person in (anna, bert, cees):
        sign(person, social)
    sign(anna, home)
    services.exempt(
        assignment=campaign.assignments.get(employee=cees, guideline=home.guideline),
        reason="Werkt niet thuis",
        by=None,
    )
    return {"campaign": campaign, "social": social, "home": home}


def detail(client, campaign, **params):
    return client.get(reverse("campaigns:detail", args=[campaign.pk]), params)


def test_the_figures_of_one_guideline_count_only_its_assignments(hr_client, world):
    social = detail(hr_client, world["campaign"], handreiking="sociale-media").context
    home = detail(hr_client, world["campaign"], handreiking="thuiswerken").context

    assert (social["figures"]["total"], social["figures"]["signed"]) == (4, 3)
    assert (home["figures"]["total"], home["figures"]["signed"]) == (3, 1)
    assert home["figures"]["exempt"] == 1
    assert [row["total"] for row in home["departments"]] == [3]


def test_the_combined_figures_count_an_employee_signed_only_when_all_are(hr_client, world):
    figures = detail(hr_client, world["campaign"]).context["figures"]

    # Anna signed both, Cees signed one and is exempt from the other: done. Bert signed
    # one of two and Dirk none of his one: not done.
    assert figures["total"] == 4
    assert figures["signed"] == 2
    assert figures["exempt"] == 0
    assert figures["in_progress"] == 2
    assert figures["done_percent"] == 50


def test_the_combined_chart_counts_an_employee_on_the_day_of_their_last_signature(hr_client, world):
    timeline_total = detail(hr_client, world["campaign"]).context["figures"]["signed"]
    counts = detail(hr_client, world["campaign"]).context["counts"]

    assert sum(counts.per_day.values()) == timeline_total == 2


def test_the_page_has_a_tab_for_all_guidelines_and_one_per_guideline(hr_client, world):
    response = detail(hr_client, world["campaign"], handreiking="thuiswerken")

    tabs = response.context["guideline_tabs"]
    # In the page's language (English here; the first guideline has no English title).
    assert [tab["label"] for tab in tabs][1:] == [
        "Handreiking gebruik sociale media",
        "EN Handreiking thuiswerken",
    ]
    assert [tab["current"] for tab in tabs] == [False, False, True]
    assert 'aria-current="page" data-guideline="thuiswerken"' in response.content.decode()


def test_a_guideline_the_campaign_does_not_cover_is_not_found(hr_client, world):
    second_version(slug="privacy", title="Privacy")

    assert detail(hr_client, world["campaign"], handreiking="privacy").status_code == 404


def test_kept_figures_are_kept_per_guideline_and_combined(hr_client, world, settings):
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0  # every campaign is large: figures are kept

    combined = detail(hr_client, world["campaign"]).context["figures"]
    home = detail(hr_client, world["campaign"], handreiking="thuiswerken").context["figures"]

    assert (combined["total"], combined["signed"]) == (4, 2)
    assert (home["total"], home["signed"], home["exempt"]) == (3, 1, 1)


def _campaign_of(guidelines: int):
    """A campaign of six people over ``guidelines`` guidelines (new ones each time), a
    signature on each and an exemption; the short name of its first guideline."""
    department = DepartmentFactory()
    people = EmployeeFactory.create_batch(6, department=department)
    first = second_version(slug=f"eerste-{guidelines}", title=f"Eerste {guidelines}", tips=1)
    campaign = launched(first, audience=Campaign.Audience.DEPARTMENTS, departments=[department])
    for number in range(1, guidelines):
        slug = f"extra-{guidelines}-{number}"
        version = second_version(slug=slug, title=slug, tips=1)
        with_guideline(campaign, version, employees=people[number:])
        sign(people[number], version)
    sign(people[0], first)
    services.exempt(
        assignment=campaign.assignments.get(employee=people[1], guideline=first.guideline),
        reason="Verlof",
        by=None,
    )
    return campaign, first.guideline.slug


@pytest.mark.parametrize("one_guideline", [False, True], ids=["combined", "one guideline"])
def test_the_dashboard_takes_as_many_queries_with_one_guideline_as_with_three(
    hr_client, one_guideline
):
    counted = []
    for guidelines in (1, 3):
        campaign, slug = _campaign_of(guidelines)
        view = {"handreiking": slug} if one_guideline else {}
        detail(hr_client, campaign, **view)  # the session's first reads out of the way
        with CaptureQueriesContext(connection) as queries:
            response = detail(hr_client, campaign, **view)
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]


# The people list ---------------------------------------------------------------------


def people(client, campaign, **params):
    return client.get(reverse("campaigns:people", args=[campaign.pk]), params)


def names(response) -> list[str]:
    return [row.employee.first_name for row in response.context["assignments"]]


def test_the_people_list_has_a_row_per_employee_with_each_guidelines_status(hr_client, world):
    response = people(hr_client, world["campaign"])

    page = parse(response)
    rows = {row.employee.first_name: row for row in response.context["assignments"]}
    assert names(response) == ["Anna", "Bert", "Cees", "Dirk"]
    assert {name: row.status for name, row in rows.items()} == {
        "Anna": "signed",
        "Bert": "not_started",
        "Cees": "signed",
        "Dirk": "not_started",
    }
    bert = select(page, f"#assignment-{rows['Bert'].pk} td.guideline-status")
    assert [
        (cell.attributes["data-guideline"], cell.attributes["data-status"]) for cell in bert
    ] == [
        ("sociale-media", "signed"),
        ("thuiswerken", "not_started"),
    ]
    dirk = select(page, f"#assignment-{rows['Dirk'].pk} td.guideline-status")
    assert dirk[1].attributes["data-status"] == ""  # the second guideline is not asked of Dirk


def test_the_status_filter_of_the_people_list_is_the_combined_status(hr_client, world):
    assert names(people(hr_client, world["campaign"], status="signed")) == ["Anna", "Cees"]


def test_the_people_list_filters_on_one_guideline_and_its_status(hr_client, world):
    campaign = world["campaign"]

    assert names(people(hr_client, campaign, handreiking="thuiswerken")) == [
        "Anna",
        "Bert",
        "Cees",
    ]
    signed_home = people(hr_client, campaign, handreiking="thuiswerken", status="signed")
    assert names(signed_home) == ["Anna"]
    exempt_home = people(hr_client, campaign, handreiking="thuiswerken", status="exempt")
    assert names(exempt_home) == ["Cees"]


def test_the_people_list_offers_exempting_per_guideline(hr_client, world):
    response = people(hr_client, world["campaign"])
    bert = next(row for row in response.context["assignments"] if row.employee.first_name == "Bert")

    page = parse(response)
    own = [href.split("?")[0] for href in links(page, f"#assignment-{bert.pk}")]
    home = world["campaign"].assignments.get(employee=bert.employee, guideline__slug="thuiswerken")
    assert own == [reverse("campaigns:exempt", args=[home.pk])]  # the other one is signed


@pytest.mark.parametrize("params", [{}, {"status": "overdue"}], ids=["everyone", "overdue"])
def test_the_people_list_takes_as_many_queries_with_one_guideline_as_with_three(hr_client, params):
    counted = []
    for guidelines in (1, 3):
        campaign, _slug = _campaign_of(guidelines)
        people(hr_client, campaign, **params)
        with CaptureQueriesContext(connection) as queries:
            response = people(hr_client, campaign, **params)
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]


# The manager's team page -------------------------------------------------------------


def _team_campaign(guidelines: int, boss):
    """A campaign of ``guidelines`` guidelines (new ones each time) for three people of
    the boss's team; the first signed the first guideline."""
    members = [
        EmployeeFactory(manager=boss, first_name=name, last_name=name)
        for name in ("Anna", "Bert", "Cees")
    ]
    first = second_version(slug=f"team-{guidelines}", title=f"Team {guidelines}", tips=1)
    campaign = launched(first, audience=Campaign.Audience.EMPLOYEES, employees=members)
    for number in range(1, guidelines):
        slug = f"team-{guidelines}-{number}"
        with_guideline(campaign, second_version(slug=slug, title=slug, tips=1))
    sign(members[0], first)
    return campaign, members


def test_the_team_page_has_a_row_per_campaign_with_a_column_per_guideline(client):
    boss = EmployeeFactory(preferred_language="en")
    campaign, (anna, _bert, _cees) = _team_campaign(2, boss)
    client.force_login(boss)

    response = client.get(reverse("campaigns_team:team"))

    rows = dict(response.context["rows"])
    (row,) = rows[anna]  # one row for the campaign, not one per guideline
    assert response.context["guideline_columns"] == ["EN Team 2", "EN team-2-1"]  # English
    assert [cell.status for cell in row.cells] == ["signed", "not_started"]
    assert row.status == "not_started"  # combined: one of two is signed
    assert row.remind.guideline.slug == "team-2-1"  # the button is for what is open
    cells = select(parse(response), f"#assignment-{row.pk} td.guideline-status")
    assert [cell.attributes["data-status"] for cell in cells] == ["signed", "not_started"]


def test_the_team_page_takes_as_many_queries_with_one_guideline_as_with_three(client):
    counted = []
    for guidelines in (1, 3):
        boss = EmployeeFactory(preferred_language="en")
        _team_campaign(guidelines, boss)
        client.force_login(boss)
        client.get(reverse("campaigns_team:team"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("campaigns_team:team"))
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_the_overdue_csv_names_the_guideline_of_each_overdue_assignment(hr_client, world):
    campaign = world["campaign"]
    # Every open assignment is late now.
    campaign.assignments.update(due_date=campaign.start_date - datetime.timedelta(days=1))

    response = hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))

    overdue = sorted((row[1].split()[0], row[-1]) for row in rows[1:])
    assert rows[0][-1] == "Guideline"
    assert overdue == [
        ("Bert", "EN Handreiking thuiswerken"),
        ("Dirk", "Handreiking gebruik sociale media"),
    ]
