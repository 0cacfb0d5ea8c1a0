"""A large campaign's dashboard reads little of the database: whether the campaign is
above the live limit without counting its assignments, and of the kept figures only the
view shown (the figures of every guideline together are large at 100,000 employees)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.selectors import today
from campaigns.services import figures
from campaigns.tests.hr_support import launched, sign
from campaigns.tests.multi_guideline import second_version, with_guideline
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(settings):
    """Two guidelines, kept figures (above a limit of one assignment): Anna signed the
    first, Bert nothing."""
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 1
    social, home = quiz_version(tips=2), second_version(tips=2)
    anna, bert = EmployeeFactory(first_name="Anna"), EmployeeFactory(first_name="Bert")
    campaign = launched(social)
    with_guideline(campaign, home, employees=[anna, bert])
    sign(anna, social)
    figures.refresh(campaign=campaign)
    return campaign


def test_the_dashboard_does_not_count_a_large_campaigns_assignments(campaign):
    with CaptureQueriesContext(connection) as captured:
        figures.for_dashboard(campaign=campaign, on=today())

    assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_only_the_view_shown_is_read_of_the_kept_figures(campaign):
    with CaptureQueriesContext(connection) as captured:
        figures.for_dashboard(campaign=campaign, on=today())

    read = [q["sql"] for q in captured if "campaigns_campaignfigures" in q["sql"]]
    column = '"campaigns_campaignfigures"."data"'
    assert len(read) == 1
    # The column only as what the extraction reads from, never selected whole.
    assert read[0].count(column) == 1
    assert f"_extract({column}" in read[0] or f"_extract_path({column}" in read[0]


def test_each_guidelines_kept_view_holds_its_own_figures(campaign):
    social, home = (s.guideline for s in campaign.subjects.order_by("pk"))

    first = figures.for_dashboard(campaign=campaign, on=today(), guideline=social)
    second = figures.for_dashboard(campaign=campaign, on=today(), guideline=home)

    assert sum(row["signed"] for row in first.departments) == 1
    assert sum(row["signed"] for row in second.departments) == 0
    assert sum(row["total"] for row in second.departments) == 2
