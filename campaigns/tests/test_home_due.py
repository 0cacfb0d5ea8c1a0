"""The employee's side of campaigns: what is due and when, on the home page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns import services
from campaigns.models import Assignment, Campaign
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from portal.testing.html import Element, links, parse, select, text, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

HOME_URL = reverse("home")
TITLE_EN = "Guidance on the use of social media"
DAY = datetime.timedelta(days=1)
# session, user, the guideline and its current version, the acknowledgement and the
# signing status, roles and permissions, one query for everything that is due, and one
# for the open yearly rounds
HOME_QUERIES = 12


@pytest.fixture
def version():
    # In force well before the campaigns of the past below (a campaign asks nothing earlier).
    effective = timezone.localdate() - DAY * 60
    return quiz_version(
        tips=3, guideline=GuidelineFactory(title_en=TITLE_EN), effective_date=effective
    )


@pytest.fixture
def employee():
    return EmployeeFactory(preferred_language="en")


def for_employee(employee, version, **kwargs) -> Campaign:
    return launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=[employee], **kwargs
    )


def english_date(day: datetime.date) -> str:
    with translation.override("en"):
        return date_format(day, "DATE_FORMAT")


def due_section(client) -> Element | None:
    """The home page's "What is due" section, or None when there is none."""
    found = select(parse(client.get(HOME_URL)), "section#home-due")
    assert len(found) <= 1
    return found[0] if found else None


def due_block(client) -> str | None:
    """The text of the home page's "What is due" section, or None when there is none."""
    section = due_section(client)
    return None if section is None else text(section)


def test_home_page_says_what_is_due_and_by_when(client, employee, version):
    campaign = for_employee(employee, version)
    client.force_login(employee)

    block = due_block(client)

    assert f"Please read and confirm “{TITLE_EN}” by {english_date(campaign.deadline)}." in block


def test_home_page_says_in_words_that_nothing_was_started_yet(client, employee, version):
    for_employee(employee, version)
    client.force_login(employee)

    assert "You have not started yet." in due_block(client)


def test_home_page_says_in_words_that_the_tips_have_been_read(client, employee, version):
    for_employee(employee, version)
    read_all_tips(employee, version)
    client.force_login(employee)

    assert "You have read all the tips." in due_block(client)


def test_home_page_says_in_words_that_the_quiz_was_passed(client, employee, version):
    for_employee(employee, version)
    ready_to_sign(employee, version)
    client.force_login(employee)

    assert "You have passed the quiz." in due_block(client)


def test_home_page_links_to_the_signing_page_to_continue(client, employee, version):
    for_employee(employee, version)
    client.force_login(employee)

    section = due_section(client)

    assert reverse("signing:sign", kwargs={"guideline": "sociale-media"}) in links(section)


def test_home_page_shows_an_overdue_assignment_as_overdue_in_words(client, employee, version):
    today = timezone.localdate()
    campaign = for_employee(
        employee,
        version,
        start_date=today - DAY * 30,
        deadline=today - DAY * 2,
        now=timezone.now() - DAY * 30,
    )
    client.force_login(employee)

    section = due_section(client)

    assert texts(section, "strong") == ["Overdue:"]
    assert f"It was due on {english_date(campaign.deadline)}." in text(section)


def test_home_page_lists_what_is_due_earliest_first(client, employee, version):
    today = timezone.localdate()
    later = for_employee(employee, version, name="Later", deadline=today + DAY * 40)
    sooner = for_employee(employee, version, name="Sooner", deadline=today + DAY * 10)
    client.force_login(employee)

    block = due_block(client)

    assert block.index(english_date(sooner.deadline)) < block.index(english_date(later.deadline))


def test_home_page_shows_nothing_extra_once_signed(client, employee, version):
    for_employee(employee, version)
    signed(employee, ready_to_sign(employee, version))
    client.force_login(employee)

    assert due_block(client) is None


def test_home_page_shows_nothing_extra_without_an_assignment(client, employee, version):
    launched_campaign(version, audience=Campaign.Audience.EMPLOYEES, employees=[EmployeeFactory()])
    client.force_login(employee)

    assert due_block(client) is None


def test_home_page_shows_nothing_extra_when_exempt(client, employee, version):
    campaign = for_employee(employee, version)
    services.exempt(
        assignment=Assignment.objects.get(campaign=campaign, employee=employee),
        reason="Langdurig verlof",
        by=EmployeeFactory(hr=True),
    )
    client.force_login(employee)

    assert due_block(client) is None


def test_home_page_shows_nothing_extra_for_a_closed_campaign(client, employee, version):
    services.close_campaign(campaign=for_employee(employee, version), by=None)
    client.force_login(employee)

    assert due_block(client) is None


@pytest.mark.parametrize("campaigns", [1, 4])
def test_home_page_uses_the_same_number_of_queries_for_one_or_several_due(
    client, employee, version, django_assert_num_queries, campaigns
):
    for number in range(campaigns):
        for_employee(employee, version, name=f"Ronde {number}")
    client.force_login(employee)
    # session, user, the guideline and its current version, the acknowledgement and the
    # signing status, roles and permissions, and one query for everything that is due
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME_URL)
    assert len(response.context["due"]) == campaigns
