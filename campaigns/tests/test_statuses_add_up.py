"""Statuses that add up: every assignment has exactly one status (not started, reading,
quiz not passed yet, quiz passed, signed, overdue, exempt), and every page that breaks
the figures down shows the same counts, adding up to the total, on the data set counted
by hand in campaigns.tests.hand_counted (the reports: reports/tests/
test_report_statuses.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Assignment, CampaignFigures
from campaigns.selectors import today, with_status
from campaigns.services import figures
from campaigns.tests.hand_counted import (
    BY_NAME,
    HAND_COUNTED,
    IN_PROGRESS,
    TOTAL,
    hand_counted_world,
)
from people.tests.factories import EmployeeFactory
from portal.testing.html import one, parse, select, text
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

Status = Assignment.Status


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def boss(db):
    return EmployeeFactory(preferred_language="en", first_name="Bea", last_name="Baas")


@pytest.fixture
def world(boss):
    """The hand-counted data set: (campaign, {first name: employee})."""
    return hand_counted_world(quiz_version(tips=3), manager=boss)


def _number(page, selector: str) -> int:
    return int(text(one(page, selector)))


# The rule itself ------------------------------------------------------------------------


def test_each_person_has_the_hand_counted_status(world):
    campaign, _people = world

    found = dict(
        with_status(assignments=campaign.assignments.all(), on=today()).values_list(
            "employee__first_name", "status"
        )
    )

    assert found == BY_NAME


# HR's dashboard -------------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True], ids=["counted-live", "kept"])
@pytest.mark.parametrize("per_guideline", [False, True], ids=["combined", "per-guideline"])
def test_the_dashboards_figures_are_the_hand_counted_ones_and_add_up(
    world, hr_client, settings, large, per_guideline
):
    campaign, _people = world
    if large:
        settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0
    params = {"handreiking": campaign.subjects.get().guideline.slug} if per_guideline else {}

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]), params)

    shown = response.context["figures"]
    assert {status: shown[status] for status in Status.values} == HAND_COUNTED
    page = parse(response)
    in_progress = [Status.NOT_STARTED, Status.READING, Status.QUIZ_FAILED, Status.QUIZ_PASSED]
    assert {s: _number(page, f"#count-{s}") for s in in_progress} == {
        s: HAND_COUNTED[s] for s in in_progress
    }
    assert _number(page, "#count-in-progress") == IN_PROGRESS
    assert _number(page, "#count-signed") == 2
    assert _number(page, "#count-overdue") == 2
    assert _number(page, "#count-exempt") == 1
    assert _number(page, "#count-total") == TOTAL
    assert _number(page, "#count-in-scope") == TOTAL - 1
    assert TOTAL == IN_PROGRESS + 2 + 2 + 1
    # The department row adds up too.
    row = one(page, "#department-table tbody tr")
    cells = [int(text(cell)) for cell in select(row, "td")[:5]]
    assert cells == [TOTAL, 2, IN_PROGRESS, 2, 1]


def test_figures_kept_before_the_statuses_changed_are_worked_out_again(world, hr_client, settings):
    """A large campaign's figures kept by the previous release (a count for "read", none
    for reading or a failed quiz): read as they are, they would not add up (or crash)."""
    campaign, _people = world
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0
    old_statuses = ["not_started", "read", "quiz_passed", "signed", "overdue", "exempt"]
    department = campaign.assignments.first().employee.department
    old_view = {
        "departments": [[department.pk, department.name, TOTAL, 5, 2, 1, 2, 1, 1]],
        "per_day": [],
        "quiz": [],
    }
    assert len(old_view["departments"][0]) == 3 + len(old_statuses)
    CampaignFigures.objects.create(
        campaign=campaign,
        on=today(),
        computed_at=timezone.now(),
        seconds=0.1,
        data={"views": {figures.ALL: old_view}},
    )

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    assert response.status_code == 200
    shown = response.context["figures"]
    assert {status: shown[status] for status in Status.values} == HAND_COUNTED
    kept = CampaignFigures.objects.get(campaign=campaign).data["views"][figures.ALL]
    assert kept["statuses"] == Status.values


@pytest.mark.parametrize(
    "kept",
    [
        {"statuses": ["not_started", "read"], "departments": [[None, None, 1, 1, 0]]},
        {"statuses": Status.values, "departments": [[None, None, 1, 1]]},
        {"statuses": Status.values, "departments": "nonsense"},
        ["not", "a", "view"],
    ],
    ids=["other-statuses", "short-row", "no-rows", "not-a-dict"],
)
def test_kept_figures_of_another_shape_count_as_missing(world, settings, kept):
    campaign, _people = world
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0
    CampaignFigures.objects.create(
        campaign=campaign,
        on=today(),
        computed_at=timezone.now(),
        seconds=0.1,
        data={"views": {figures.ALL: kept}},
    )

    counts = figures.for_dashboard(campaign=campaign, on=today())

    assert counts is not None  # worked out again at once (the test worker runs tasks)
    assert sum(row["total"] for row in counts.departments) == TOTAL
    assert sum(row[Status.QUIZ_FAILED] for row in counts.departments) == 2


def test_small_groups_do_not_hide_the_status_counts(world, hr_client, settings):
    """Hiding small groups is for quiz figures only: a department of 12 with a minimum
    group of 50 still shows every status count."""
    campaign, _people = world
    settings.CAMPAIGN_MIN_GROUP_SIZE = 50

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    shown = response.context["figures"]
    assert {status: shown[status] for status in Status.values} == HAND_COUNTED
    assert response.context["departments"][0]["total"] == TOTAL
    assert not response.context["quiz"][0].shown  # the quiz figures are hidden


# The people list ------------------------------------------------------------------------


def test_the_people_list_offers_every_status_as_a_filter(world, hr_client):
    campaign, _people = world

    response = hr_client.get(reverse("campaigns:people", args=[campaign.pk]))

    offered = [value for value, _label in response.context["form"].fields["status"].choices]
    assert offered == ["", *Status.values]


def test_the_people_list_per_status_has_the_hand_counted_numbers(world, hr_client):
    campaign, _people = world
    url = reverse("campaigns:people", args=[campaign.pk])

    found = {
        status: hr_client.get(url, {"status": status}).context["paginator"].count
        for status in Status.values
    }

    assert found == HAND_COUNTED
    assert hr_client.get(url).context["paginator"].count == TOTAL


def test_the_people_list_shows_a_failed_quiz_in_words(world, hr_client):
    campaign, people = world
    url = reverse("campaigns:people", args=[campaign.pk])

    page = parse(hr_client.get(url, {"status": Status.QUIZ_FAILED}))

    rows = select(page, "#assignment-table tbody tr")
    assert len(rows) == 2
    assert all("Quiz not passed yet" in text(row) for row in rows)


# The manager's team page ----------------------------------------------------------------


def test_the_team_page_counts_are_the_hand_counted_ones_and_add_up(world, client, boss):
    client.force_login(boss)

    response = client.get(reverse("campaigns_team:team"))

    page = parse(response)
    found = {status: _number(page, f"#team-count-{status} td") for status in Status.values}
    assert found == HAND_COUNTED
    assert _number(page, "#team-counts tfoot td") == TOTAL == sum(found.values())


def test_the_statuses_have_plain_dutch_names():
    from django.utils import translation

    with translation.override("nl"):
        labels = {value: str(label) for value, label in Status.choices}

    assert labels[Status.NOT_STARTED] == "Nog niet begonnen"
    assert labels[Status.READING] == "Aan het lezen"
    assert labels[Status.QUIZ_FAILED] == "Quiz nog niet gehaald"
