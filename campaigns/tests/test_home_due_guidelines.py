"""The home page's "What is due" over several guidelines: everything open, the nearest
due date first, each named by its guideline's title in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns.models import Campaign
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse, select, text, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

HOME_URL = reverse("home")
DAY = datetime.timedelta(days=1)


def guideline_version(slug: str, title: str, title_en: str):
    return quiz_version(
        tips=1, guideline=GuidelineFactory(slug=slug, title=title, title_en=title_en)
    )


@pytest.fixture
def social(db):
    return guideline_version("sociale-media", "Handreiking sociale media", "Social media guidance")


@pytest.fixture
def privacy(db):
    return guideline_version("privacy", "Privacyregels", "Privacy rules")


def for_employee(employee, versions, **kwargs) -> Campaign:
    return launched_campaign(
        versions, audience=Campaign.Audience.EMPLOYEES, employees=[employee], **kwargs
    )


def due_items(client) -> list[str]:
    return texts(parse(client.get(HOME_URL)), "section#home-due li")


def test_home_shows_each_guideline_of_a_campaign_by_its_own_title(client, social, privacy):
    employee = EmployeeFactory(preferred_language="en")
    for_employee(employee, [social, privacy])
    client.force_login(employee)

    items = due_items(client)

    assert len(items) == 2
    assert any("“Social media guidance”" in item for item in items)
    assert any("“Privacy rules”" in item for item in items)


def test_home_names_the_guidelines_in_dutch_for_a_dutch_reader(client, social, privacy):
    employee = EmployeeFactory(preferred_language="nl")
    for_employee(employee, [social, privacy])
    client.force_login(employee)

    text_of_due = " ".join(due_items(client))

    assert "“Privacyregels”" in text_of_due and "“Privacy rules”" not in text_of_due


def test_home_lists_everything_due_across_guidelines_nearest_first(client, social, privacy):
    today = timezone.localdate()
    employee = EmployeeFactory(preferred_language="en")
    for_employee(employee, [social], name="Later", deadline=today + DAY * 40)
    for_employee(employee, [privacy], name="Sooner", deadline=today + DAY * 10)
    client.force_login(employee)

    items = due_items(client)

    assert ["Privacy rules" in items[0], "Social media guidance" in items[1]] == [True, True]


def test_a_signed_guideline_leaves_only_the_other_on_the_home_page(client, social, privacy):
    employee = EmployeeFactory(preferred_language="en")
    for_employee(employee, [social, privacy])
    signed(employee, ready_to_sign(employee, social))
    client.force_login(employee)

    items = due_items(client)

    assert len(items) == 1 and "Privacy rules" in items[0]


def test_each_due_guideline_says_its_own_status(client, social, privacy):
    employee = EmployeeFactory(preferred_language="en")
    for_employee(employee, [social, privacy])
    ready_to_sign(employee, privacy)
    client.force_login(employee)

    page = parse(client.get(HOME_URL))

    statuses = {
        text(item).split("”")[0]: text(select(item, ".due-status")[0])
        for item in select(page, "section#home-due li")
    }
    assert "You have passed the quiz." in next(v for k, v in statuses.items() if "Privacy" in k)
    assert "You have not started yet." in next(v for k, v in statuses.items() if "Social" in k)


@pytest.mark.parametrize("guidelines", [1, 5])
def test_home_takes_the_same_queries_with_one_guideline_due_or_five(
    client, social, guidelines, django_assert_num_queries
):
    from campaigns.tests.test_home_due import HOME_QUERIES

    employee = EmployeeFactory(preferred_language="en")
    versions = [social] + [
        guideline_version(f"g{n}", f"Handreiking {n}", f"Guideline {n}")
        for n in range(guidelines - 1)
    ]
    for_employee(employee, versions)
    client.force_login(employee)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME_URL)

    assert len(response.context["due"]) == guidelines


def test_each_due_guideline_links_to_its_own_signing_page(client, social, privacy):
    employee = EmployeeFactory(preferred_language="en")
    for_employee(employee, [social, privacy])
    client.force_login(employee)

    page = parse(client.get(HOME_URL))

    hrefs = {text(item).split("”")[0]: links(item) for item in select(page, "section#home-due li")}
    sign = "signing:sign"
    assert next(v for k, v in hrefs.items() if "Privacy" in k) == [
        reverse(sign, kwargs={"guideline": "privacy"})
    ]
    assert next(v for k, v in hrefs.items() if "Social" in k) == [
        reverse(sign, kwargs={"guideline": "sociale-media"})
    ]
