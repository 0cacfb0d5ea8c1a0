"""Every search box of the portal has the same caps (portal.search): at most 5 words and
100 characters. A search within them costs the same number of queries with 1 word as
with 5; one over them is refused by the box, in Dutch, and costs nothing more (it was a
condition per word: 3,000 words gave a 500 on SQLite and 6 to 7 s on PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from portal.search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, SearchField, search_words
from portal.testing.html import attribute, parse, select
from quizzes.models import Question
from quizzes.tests.factories import editor_url, quiz_version

pytestmark = pytest.mark.django_db

# Five words that all match the one person (or question) each page is set up with.
ONE_WORD = "Jansen"
MAX_WORDS = "Jan Jansen medewerker voorbeeldstad nl"
THREE_THOUSAND_WORDS = " ".join(["jansen"] * 3000)
HUNDRED_KB = "j" * 100_000


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@dataclass
class Box:
    client: Client
    url: str
    parameter: str
    extra: dict

    def get(self, query: str):
        return self.client.get(self.url, {**self.extra, self.parameter: query})


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _jan(**fields):
    return EmployeeFactory(
        first_name="Jan", last_name="Jansen", email="medewerker-jan@voorbeeldstad.nl", **fields
    )


def _ledger() -> Box:
    jan = _jan()
    signed(jan, ready_to_sign(jan))
    return Box(_client(EmployeeFactory(hr=True)), reverse("ledger:overview"), "q", {})


def _campaign_people() -> Box:
    version = quiz_version(tips=3)
    _jan()
    campaign = launched_campaign(version)
    url = reverse("campaigns:people", args=[campaign.pk])
    return Box(_client(EmployeeFactory(hr=True)), url, "q", {})


def _individual_file() -> Box:
    _jan()
    return Box(_client(EmployeeFactory(hr=True)), reverse("reports:individual"), "q", {})


def _staff_list() -> Box:
    _jan()
    return Box(_client(EmployeeFactory(hr=True)), reverse("people:staff"), "q", {})


def _team() -> Box:
    manager = EmployeeFactory()
    _jan(manager=manager)
    return Box(_client(manager), reverse("campaigns_team:team"), "q", {})


def _question_bank() -> Box:
    version = quiz_version(tips=3)
    Question.objects.filter(version=version, key="tip1-1").update(situation=MAX_WORDS)
    url = editor_url("bank")
    return Box(_client(EmployeeFactory(editor=True)), url, "zoek", {"versie": version.number})


BOXES = {
    "ledger": _ledger,
    "campaign people": _campaign_people,
    "individual file": _individual_file,
    "staff list": _staff_list,
    "team": _team,
    "question bank": _question_bank,
}


@pytest.fixture(params=list(BOXES))
def box(request) -> Box:
    return BOXES[request.param]()


def _results(response) -> list:
    context = response.context
    for name in ("records", "assignments", "results", "employees", "rows"):
        if name in context:
            return list(context[name])
    raise AssertionError("no list in the page")


def _count_queries(box: Box, query: str) -> tuple[int, object]:
    box.get(query)  # warm up: sessions, caches and the like count the same afterwards
    with CaptureQueriesContext(connection) as queries:
        response = box.get(query)
    return len(queries), response


def test_a_search_of_the_most_words_costs_the_same_queries_as_one_word(box):
    one, one_response = _count_queries(box, ONE_WORD)
    most, most_response = _count_queries(box, MAX_WORDS)

    assert len(_results(one_response)) == 1
    assert len(_results(most_response)) == 1
    assert most == one


def test_three_thousand_words_are_refused_by_the_box_in_dutch(box):
    response = box.get(THREE_THOUSAND_WORDS)

    assert response.status_code == 200
    html = response.content.decode()
    count = len(THREE_THOUSAND_WORDS)
    assert f"Gebruik maximaal 100 tekens; deze zoekopdracht heeft er {count}." in html
    invalid = select(parse(response), "[aria-invalid=true]")
    assert [(field.tag, field.attributes["name"]) for field in invalid] == [
        ("input", box.parameter)
    ]
    assert _results(response) == []


def test_six_short_words_are_refused_with_the_word_cap_in_dutch(box):
    response = box.get("jan jansen jan jansen jan jansen")

    html = response.content.decode()
    assert "Gebruik maximaal 5 woorden; deze zoekopdracht heeft er 6." in html
    assert _results(response) == []


def test_a_search_of_a_hundred_kilobytes_is_refused_and_costs_no_more_queries(box):
    one, _response = _count_queries(box, ONE_WORD)
    huge, response = _count_queries(box, HUNDRED_KB)

    assert response.status_code == 200
    assert "Gebruik maximaal 100 tekens" in response.content.decode()
    assert huge <= one


def test_every_search_box_tells_the_caps_in_dutch(box):
    response = box.get("")

    assert "Maximaal 5 woorden en 100 tekens." in response.content.decode()
    assert attribute(parse(response), f"input[name={box.parameter}]", "maxlength") == "100"


def test_the_search_words_of_a_selector_are_capped_whatever_the_caller_passes():
    words = search_words(" ".join(f"w{n}" for n in range(3000)))

    assert words == ["w0", "w1", "w2", "w3", "w4"]
    assert len(search_words("x" * 100_000)) == 1
    assert len(search_words("x" * 100_000)[0]) == MAX_SEARCH_LENGTH


def test_the_field_accepts_the_most_words_and_characters():
    text = " ".join(["a" * 19] * MAX_SEARCH_WORDS)
    assert len(text) <= MAX_SEARCH_LENGTH

    assert SearchField().clean(f"  {text}  ") == text


@pytest.mark.parametrize(
    "changelist",
    ["admin:people_employee_changelist", "admin:acknowledgements_acknowledgement_changelist"],
)
def test_the_admins_search_has_the_same_caps(admin_client, changelist):
    _jan()
    url = reverse(changelist)

    refused = admin_client.get(url, {"q": THREE_THOUSAND_WORDS})
    allowed = admin_client.get(reverse("admin:people_employee_changelist"), {"q": MAX_WORDS})

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Gebruik maximaal 100 tekens; deze zoekopdracht heeft er" in html
    assert "Maximaal 5 woorden en 100 tekens." in html
    assert refused.context["cl"].result_count == 0
    assert allowed.context["cl"].result_count == 1
