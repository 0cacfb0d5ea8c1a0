"""What the README's "try a second guideline" promises, page by page: an employee finds
the demo's second guideline at /handreikingen/ and reads, takes the quiz and signs it
under /handreikingen/thuiswerken/; the editor of that guideline alone edits it and is
refused the social-media guideline's editor pages."""

import pytest
from django.urls import reverse

from demo.second_guideline import SLUG
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from people.models import Employee
from people.tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db

EDITOR = "redacteur-thuiswerken@voorbeeldstad.nl"

EMPLOYEE_PAGES = [
    ("handbook:current", {}),
    ("handbook:current_tip", {"tip": 1}),
    ("handbook:history", {}),
    ("handbook:version", {"number": 1}),
    ("handbook:print", {"number": 1}),
    ("quizzes:start", {}),
    ("signing:sign", {}),
]
EDITOR_PAGES = [
    ("handbook:editor", {}),
    ("quiz_editor:bank", {}),
    ("quiz_editor:settings", {}),
]


def _employee(client):
    client.force_login(Employee.objects.get(email="medewerker@voorbeeldstad.nl"))
    return client


def _editor(client):
    login_with_second_factor(client, Employee.objects.get(email=EDITOR))
    return client


def test_an_employee_finds_the_second_guideline_in_the_list(client, seeded):
    page = _employee(client).get(reverse("handbook:list"))

    assert page.status_code == 200
    assert reverse("handbook:current", kwargs={"guideline": SLUG}) in page.content.decode()


@pytest.mark.parametrize(("name", "kwargs"), EMPLOYEE_PAGES, ids=[n for n, _ in EMPLOYEE_PAGES])
def test_an_employee_opens_the_second_guidelines_pages(client, seeded, name, kwargs):
    url = reverse(name, kwargs={"guideline": SLUG, **kwargs})

    assert _employee(client).get(url).status_code == 200


def test_the_second_guidelines_page_says_it_is_a_demo_text(client, seeded):
    page = _employee(client).get(reverse("handbook:current", kwargs={"guideline": SLUG}))

    assert "Dit is een voorbeeldtekst voor de demo" in page.content.decode()


@pytest.mark.parametrize(("name", "kwargs"), EDITOR_PAGES, ids=[n for n, _ in EDITOR_PAGES])
def test_the_thuiswerken_editor_opens_the_second_guidelines_editor_pages(
    client, seeded, name, kwargs
):
    url = reverse(name, kwargs={"guideline": SLUG, **kwargs})

    assert _editor(client).get(url).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), EDITOR_PAGES, ids=[n for n, _ in EDITOR_PAGES])
def test_the_thuiswerken_editor_is_refused_the_social_media_editor_pages(
    client, seeded, name, kwargs
):
    url = reverse(name, kwargs={"guideline": DEFAULT_GUIDELINE_SLUG, **kwargs})

    assert _editor(client).get(url).status_code == 403
