"""The home page's "Your guidelines": every guideline that applies to the employee, each
with its version in force and what it asks of them (sign, sign again, nothing, or
signed), in a fixed number of queries however many guidelines there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.models import AudienceDepartment, Guideline, Tip
from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, links, one, parse, select, text, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

HOME_URL = reverse("home")
U, E, M = Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory(first_name="Jan", last_name="Jansen", preferred_language="en")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def guideline_version(slug: str, title: str, title_en: str, **fields):
    guideline = GuidelineFactory(slug=slug, title=title, title_en=title_en, **fields)
    return quiz_version(tips=2, guideline=guideline, effective_date=datetime.date(2026, 1, 1))


def next_version(previous, changes, *, requires_reacknowledgement=False):
    """The version after ``previous``, in force today: the first tip's text changed
    with the given mark per tip (tips keep their lineage)."""
    tips = list(previous.tips.order_by("number"))
    texts = [tip.text + (" Anders." if index == 0 else "") for index, tip in enumerate(tips)]
    return published_version(
        previous.guideline,
        number=previous.number + 1,
        tips=texts,
        based_on=previous,
        lineages=[tip.lineage for tip in tips],
        changes=changes,
        effective_date=timezone.localdate(),
        requires_reacknowledgement=requires_reacknowledgement,
    )


def item(page, slug: str):
    return one(page, f"#home-asked #home-guideline-{slug}")


def test_home_lists_each_guideline_that_applies_with_what_it_asks(employee):
    social = guideline_version("sociale-media", "Sociale media", "Social media")
    privacy = guideline_version("privacy", "Privacyregels", "Privacy rules")
    record = signed(employee, ready_to_sign(employee, social))

    page = parse(client_for(employee).get(HOME_URL))

    done, open_ = item(page, "sociale-media"), item(page, "privacy")
    assert select(done, ".home-signed") and not select(done, ".home-sign")
    assert links(done, ".home-signed") == [
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    ]
    assert select(open_, ".home-sign") and not select(open_, ".home-signed")
    assert attribute(open_, ".home-sign-link", "href") == reverse(
        "signing:sign", kwargs={"guideline": privacy.guideline.slug}
    )


def test_each_item_names_its_guideline_version_and_date_and_links_to_it(employee):
    guideline_version("privacy", "Privacyregels", "Privacy rules")

    page = parse(client_for(employee).get(HOME_URL))

    privacy = item(page, "privacy")
    assert text_of(privacy, "h3") == "Privacy rules"
    assert links(privacy, "h3") == [reverse("handbook:current", kwargs={"guideline": "privacy"})]
    assert "Version 1, in force since" in text(privacy)


def test_each_sign_link_names_its_guideline(employee):
    guideline_version("sociale-media", "Sociale media", "Social media")
    guideline_version("privacy", "Privacyregels", "Privacy rules")

    page = parse(client_for(employee).get(HOME_URL))

    names = [text(link) for link in select(page, "#home-asked .home-sign-link")]
    assert names == ["Sign “Privacy rules”", "Sign “Social media”"]


def test_a_guideline_outside_the_employees_audience_is_not_listed(employee):
    guideline_version("sociale-media", "Sociale media", "Social media")
    elsewhere = guideline_version(
        "brandweer",
        "Brandweerregels",
        "Fire service rules",
        audience=Guideline.Audience.DEPARTMENTS,
    )
    AudienceDepartment.objects.create(guideline=elsewhere.guideline, department=DepartmentFactory())

    page = parse(client_for(employee).get(HOME_URL))

    assert select(page, "#home-guideline-sociale-media")
    assert not select(page, "#home-guideline-brandweer")
    assert reverse("signing:sign", kwargs={"guideline": "brandweer"}) not in links(page)


def test_a_guideline_without_a_version_in_force_asks_nothing_yet(employee):
    guideline_version("sociale-media", "Sociale media", "Social media")
    later = GuidelineFactory(slug="thuiswerken", title="Thuiswerken", title_en="Working from home")
    published_version(later, effective_date=timezone.localdate() + datetime.timedelta(days=9))

    page = parse(client_for(employee).get(HOME_URL))

    assert select(page, "#home-guideline-sociale-media")
    assert not select(page, "#home-guideline-thuiswerken")


def test_a_second_guideline_changed_in_meaning_asks_to_sign_again(employee):
    guideline_version("sociale-media", "Sociale media", "Social media")
    first = guideline_version("privacy", "Privacyregels", "Privacy rules")
    signed(employee, ready_to_sign(employee, first))
    next_version(first, [M, U])

    page = parse(client_for(employee).get(HOME_URL))

    privacy = item(page, "privacy")
    assert "Version 2 changed in meaning" in text_of(privacy, ".home-resign")
    assert attribute(privacy, ".home-changes-link", "href") == reverse(
        "signing:changes", kwargs={"guideline": "privacy"}
    )
    assert select(item(page, "sociale-media"), ".home-sign")


def test_a_second_guideline_with_editorial_changes_asks_nothing(employee):
    first = guideline_version("privacy", "Privacyregels", "Privacy rules")
    signed(employee, ready_to_sign(employee, first))
    next_version(first, [E, U])

    page = parse(client_for(employee).get(HOME_URL))

    privacy = item(page, "privacy")
    assert select(privacy, ".home-up-to-date")
    assert not select(privacy, ".home-sign, .home-resign, .home-signed")


def test_without_any_published_guideline_the_home_page_says_so(employee):
    page = parse(client_for(employee).get(HOME_URL))

    assert not select(page, "#home-asked")
    assert "No guideline has been published yet" in text(page)


def test_when_no_published_guideline_applies_the_home_page_says_nothing_is_asked(employee):
    elsewhere = guideline_version(
        "brandweer",
        "Brandweerregels",
        "Fire service rules",
        audience=Guideline.Audience.DEPARTMENTS,
    )
    AudienceDepartment.objects.create(guideline=elsewhere.guideline, department=DepartmentFactory())

    page = parse(client_for(employee).get(HOME_URL))

    assert "No guideline applies to you yet" in text_of(page, "#home-asked")
    assert links(page, "#home-overview") == [reverse("acknowledgements:overview")]


def test_the_section_is_named_in_dutch_for_a_dutch_reader():
    dutch = EmployeeFactory(preferred_language="nl")
    guideline_version("privacy", "Privacyregels", "Privacy rules")

    page = parse(client_for(dutch).get(HOME_URL))

    assert text_of(page, "#asked-heading") == "Jouw handreikingen"
    assert text_of(item(page, "privacy"), "h3") == "Privacyregels"


def home_of(employee):
    return parse(client_for(employee).get(HOME_URL))


def queries_of_home(employee) -> int:
    client = client_for(employee)
    client.get(HOME_URL)  # the session's first request may read more: not counted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME_URL).status_code == 200
    return len(captured)


def signed_then_changed(employee, slug: str, changes, **fields) -> None:
    first = guideline_version(slug, slug.title(), slug.title(), **fields)
    signed(employee, ready_to_sign(employee, first))
    next_version(first, changes)


def test_the_home_page_costs_the_same_queries_for_one_guideline_and_for_five():
    department = DepartmentFactory()
    one_guideline = EmployeeFactory(department=department)
    five_guidelines = EmployeeFactory(department=None)
    signed_then_changed(one_guideline, "een", [E, U], audience=Guideline.Audience.DEPARTMENTS)
    AudienceDepartment.objects.create(guideline=Guideline.objects.get(), department=department)
    signed_then_changed(five_guidelines, "twee", [E, U])
    signed_then_changed(five_guidelines, "drie", [M, U])
    signed(five_guidelines, ready_to_sign(five_guidelines, guideline_version("vier", "V", "V")))
    guideline_version("vijf", "Vijf", "Five")
    signed_then_changed(five_guidelines, "zes", [E, E])
    assert len(select(home_of(one_guideline), "#home-asked li[id^='home-guideline-een']")) == 1
    assert len(select(home_of(five_guidelines), "#home-asked li[id^='home-guideline-']")) == 5

    assert queries_of_home(five_guidelines) == queries_of_home(one_guideline)
