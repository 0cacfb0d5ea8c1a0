"""The schedule page (/campagnes/<pk>/schema/) shows the whole sequence of a campaign's
mails with their dates for its deadline: each reminder before the due date, the one on
it, each reminder after it, the escalations to the manager and HR, in date order; a
forged request with bad days after the due date changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, translation

from campaigns.models import Campaign, CampaignEvent
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory, login_with_second_factor
from portal.testing.html import parse, select, text_of, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


DUE = 15


@pytest.fixture
def version(db):
    return quiz_version(tips=1, effective_date=day(-30))


def campaign_for(version):
    """Due on day 15: reminders 14 and 3 days before, 3 and 10 after, the manager after
    5 days, HR after 12."""
    return launched_campaign(
        version,
        audience=Campaign.Audience.EMPLOYEES,
        employees=[EmployeeFactory()],
        deadline=day(DUE),
        reminder_days=[14, 3],
        reminder_after_days=[3, 10],
        manager_escalation_days=5,
        hr_escalation_days=12,
        now=at(0),
    )


def test_the_schedule_page_lists_the_whole_sequence_with_its_dates(hr_client, version):
    campaign = campaign_for(version)

    page = parse(hr_client.get(reverse("campaigns:schedule", args=[campaign.pk])))

    rows = select(page, "#schedule-sequence tbody tr")
    with translation.override("en"):
        dates = [formats.date_format(day(n), "l j F Y") for n in (1, 12, 15, 18, 20, 25, 27)]
    assert [texts(row, "td") for row in rows] == [
        [dates[0], "14 days before the due date", "The employee: a reminder"],
        [dates[1], "3 days before the due date", "The employee: a reminder"],
        [dates[2], "On the due date", "The employee: today is the last day"],
        [dates[3], "3 days after the due date", "The employee: the deadline has passed"],
        [dates[4], "5 days after the due date", "The manager: who in their team has not signed"],
        [dates[5], "10 days after the due date", "The employee: the deadline has passed"],
        [dates[6], "12 days after the due date", "HR: who has not signed"],
    ]


def test_the_schedule_page_says_it_in_dutch(client, version):
    hr = EmployeeFactory(hr=True, department=None, preferred_language="nl")
    login_with_second_factor(client, hr)
    campaign = campaign_for(version)

    page = parse(client.get(reverse("campaigns:schedule", args=[campaign.pk])))

    table = text_of(page, "#schedule-sequence")
    assert "Alle mails van het schema op volgorde, voor de uiterste datum" in table
    assert "14 dagen vóór de uiterste datum" in table
    assert "Op de uiterste datum" in table
    assert "De medewerker: vandaag is de laatste dag" in table
    assert "De medewerker: de termijn is verstreken" in table
    with translation.override("nl"):
        assert formats.date_format(day(DUE), "l j F Y") in table


def test_a_forged_post_with_bad_days_after_changes_nothing(hr_client, version):
    campaign = campaign_for(version)

    for bad in ("0", "366", "-3", "3.5", "drie", "3, 10, 9999999999999999999999"):
        response = hr_client.post(
            reverse("campaigns:schedule", args=[campaign.pk]),
            {
                "reminder_days": "14, 3",
                "reminder_after_days": bad,
                "manager_escalation_days": "5",
                "hr_escalation_days": "12",
            },
        )
        assert response.status_code == 400, bad
        campaign.refresh_from_db()
        assert campaign.reminder_after_days == [3, 10], bad
    page = parse(response)
    assert texts(page, "#schedule-sequence tbody tr")[3].startswith(
        formats.date_format(day(DUE + 3), "l j F Y")
    )
    assert not campaign.events.filter(kind=CampaignEvent.Kind.SCHEDULE_CHANGED).exists()


def test_the_onboarding_page_lists_the_sequence_counted_from_each_due_date(hr_client, version):
    from campaigns import services

    services.onboarding_rule(on=day(0))

    page = parse(hr_client.get(reverse("campaigns:onboarding")))

    assert texts(page, "#schedule-sequence thead th") == ["When", "Mail to"]
    assert texts(page, "#schedule-sequence tbody tr td:first-child") == [
        "7 days before the due date",
        "2 days before the due date",
        "On the due date",
        "2 days after the due date",
        "3 days after the due date",
        "7 days after the due date",
        "10 days after the due date",
    ]


@pytest.mark.parametrize("bad", [0, -3, 366, 3.5, "drie", True, None])
@pytest.mark.parametrize("field", ["reminder_days", "reminder_after_days"])
def test_the_service_refuses_bad_days_from_any_caller_and_changes_nothing(version, field, bad):
    from campaigns import services
    from campaigns.services import CampaignError

    campaign = campaign_for(version)
    schedule = {
        "reminder_days": [14, 3],
        "reminder_after_days": [3, 10],
        "manager_escalation_days": 5,
        "hr_escalation_days": 12,
    }
    schedule[field] = [7, bad]

    with translation.override("nl"), pytest.raises(CampaignError, match="hele getallen van 1"):
        services.update_schedule(campaign=campaign, by=None, **schedule)

    campaign.refresh_from_db()
    assert (campaign.reminder_days, campaign.reminder_after_days) == ([14, 3], [3, 10])
    assert not campaign.events.filter(kind=CampaignEvent.Kind.SCHEDULE_CHANGED).exists()
