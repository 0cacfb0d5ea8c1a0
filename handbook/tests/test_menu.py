"""The main menu with many guidelines: a guideline's quiz, signing and quiz editor pages
are offered on that guideline's own pages, to whoever may use them there, and never on
pages about no guideline (which would send the reader to one chosen for them)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from handbook.tests.factories import GuidelineFactory, published_version
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse

pytestmark = pytest.mark.django_db


def _guideline(slug: str):
    guideline = GuidelineFactory(slug=slug, title=slug.title())
    published_version(guideline, effective_date=datetime.date(2026, 3, 2))
    return guideline


def _menu(user, url: str) -> list[str]:
    client = Client()
    client.force_login(user)
    return links(parse(client.get(url)), "nav.portal-nav")


@pytest.fixture
def privacy():
    return _guideline("privacy")


@pytest.fixture
def social():
    return _guideline("sociale-media")


def test_a_guidelines_page_offers_its_own_quiz_and_signing(privacy, social):
    menu = _menu(EmployeeFactory(), reverse("handbook:current", kwargs={"guideline": "privacy"}))

    assert reverse("quizzes:start", kwargs={"guideline": "privacy"}) in menu
    assert reverse("signing:sign", kwargs={"guideline": "privacy"}) in menu
    assert reverse("signing:sign", kwargs={"guideline": "sociale-media"}) not in menu


def test_a_page_about_no_guideline_offers_no_guidelines_quiz_or_signing(privacy, social):
    menu = _menu(EmployeeFactory(), reverse("handbook:list"))

    assert not [url for url in menu if "/quiz/" in url or url.endswith("/bevestigen/")]


def test_the_editor_of_one_guideline_finds_its_quiz_editor_in_the_menu(privacy, social):
    editor = EmployeeFactory()
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)

    own = _menu(editor, reverse("handbook:current", kwargs={"guideline": "privacy"}))
    other = _menu(editor, reverse("handbook:current", kwargs={"guideline": "sociale-media"}))

    assert reverse("quiz_editor:bank", kwargs={"guideline": "privacy"}) in own
    assert reverse("quiz_editor:statistics", kwargs={"guideline": "privacy"}) in own
    assert not [url for url in other if "/quiz/redactie/" in url]


def test_staff_see_no_quiz_editor_in_the_menu(privacy):
    menu = _menu(EmployeeFactory(), reverse("handbook:current", kwargs={"guideline": "privacy"}))

    assert not [url for url in menu if "/quiz/redactie/" in url]
