"""Malicious question bank files are refused with a clear Dutch message, change nothing and
never cost more than a moment: the caps are checked from the parser's events before any
node is built (quizzes/bank_io/shape.py). Before, a deeply nested file was a
RecursionError (a 500) and 250,000 YAML aliases took 49 s in one request."""

from __future__ import annotations

import json

import pytest

from quizzes import bank_io
from quizzes.bank_io.data import MAX_BANK_BYTES, MAX_ERRORS_SHOWN, MAX_QUESTIONS, MAX_VALUES
from quizzes.models import QuizEvent
from quizzes.tests.test_editor_views import (
    _state,
    _url,
    bank_text,
    load_bank,
    question_data,
    upload,
)
from quizzes.tests.test_statistics import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db, editor):
    version = published(tips=5)
    load_bank(version, editor)
    return version


# Each level holds ten of the level before: a billion "lol"s if they were expanded.
BILLION_LAUGHS = "\n".join(
    [
        "guideline: sociale-media",
        "version: 1",
        'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10) + "]" for n in range(1, 10)),
        "questions: *lol9",
    ]
)
ALIASES = "a: &a [lol]\nquestions: [" + ",".join(["*a"] * 250_000) + "]\n"
DEEP_YAML = "questions: " + "[" * 100_000 + "]" * 100_000 + "\n"
DEEP_BLOCK_YAML = "".join(f"{' ' * level}a{level}:\n" for level in range(1_000)) + " " * 1_000 + "x"
DEEP_JSON = '{"questions": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _import(client, version, name: str, text: str):
    before = (_state(version), QuizEvent.objects.count())
    response = client.post(_url("import", version), {"bestand": upload(name, text)})
    assert response.status_code == 400
    assert (_state(version), QuizEvent.objects.count()) == before, "something changed"
    return response


def _messages(response) -> list[str]:
    return [error["message"] for error in response.context["file_errors"]]


def test_a_billion_laughs_file_is_refused_at_its_first_anchor(editor_client, version):
    response = _import(editor_client, version, "bank.yaml", BILLION_LAUGHS)

    assert _messages(response) == [
        "Regel 3: Ankers (&) en aliassen (*) mogen niet in een bestand met quizvragen. "
        "Schrijf elke tekst helemaal uit."
    ]


def test_a_quarter_of_a_million_aliases_are_refused(editor_client, version):
    response = _import(editor_client, version, "bank.yaml", ALIASES)

    assert "Ankers (&) en aliassen (*)" in _messages(response)[0]


@pytest.mark.parametrize(
    ("name", "text"),
    [("diep.yaml", DEEP_YAML), ("diep-blok.yaml", DEEP_BLOCK_YAML), ("diep.json", DEEP_JSON)],
)
def test_a_deeply_nested_file_is_refused_not_a_recursion_error(editor_client, version, name, text):
    response = _import(editor_client, version, name, text)

    (message,) = _messages(response)
    assert "Het bestand is te diep genest: een bestand met quizvragen heeft maximaal 8" in message


def test_a_file_with_too_many_questions_is_refused_before_any_is_read(editor_client, version):
    questions = [question_data(f"vraag-{n}") for n in range(MAX_QUESTIONS + 1)]
    text = json.dumps(
        {"guideline": version.guideline.slug, "version": version.number, "questions": questions}
    )
    assert len(text.encode()) < MAX_BANK_BYTES

    response = _import(editor_client, version, "bank.json", text)

    assert _messages(response) == [
        f"Regel 1: Het bestand bevat meer dan {MAX_QUESTIONS} vragen. "
        "Verdeel de vragen over kleinere bestanden."
    ]


def test_a_file_with_too_many_values_is_refused(editor_client, version):
    tips = ",".join(["1"] * MAX_VALUES)
    text = f"guideline: x\nversion: 1\nquestions:\n- key: veel-tips\n  tips: [{tips}]\n"

    response = _import(editor_client, version, "bank.yaml", text)

    assert f"meer dan {MAX_VALUES} waarden" in _messages(response)[0]


def test_the_most_questions_are_still_read(editor_client, version):
    questions = [question_data(f"vraag-{n}") for n in range(MAX_QUESTIONS)]

    bank = bank_io.parse_bank(bank_text(version, questions))

    assert len(bank.questions) == MAX_QUESTIONS


def test_a_file_that_is_too_big_is_refused_by_the_reader_too(version):
    text = "# " + "x" * MAX_BANK_BYTES + "\n" + bank_text(version, [question_data("een")])

    with pytest.raises(bank_io.BankFormatError) as refused:
        bank_io.parse_bank(text)

    assert "too big" in str(refused.value) or "te groot" in str(refused.value)


def test_only_the_first_errors_are_shown_with_how_many_more(editor_client, version):
    broken = [{"key": f"kapot-{n}"} for n in range(MAX_ERRORS_SHOWN + 10)]

    response = _import(editor_client, version, "bank.yaml", bank_text(version, broken))

    messages = _messages(response)
    assert len(messages) == MAX_ERRORS_SHOWN + 1
    more = (MAX_ERRORS_SHOWN + 10) * 4 - MAX_ERRORS_SHOWN  # four missing fields each
    assert messages[-1] == (
        f"En nog {more} fouten. Verbeter eerst de fouten hierboven en upload het bestand "
        "opnieuw om ze te zien."
    )


def test_a_python_tag_is_refused_not_a_500(editor_client, version):
    text = bank_text(version, [question_data("een")]).replace(
        "key: een", "key: !!python/object/apply:os.system ['true']"
    )

    response = _import(editor_client, version, "bank.yaml", text)

    assert "Tags (!) mogen niet in een bestand met quizvragen." in _messages(response)[0]


def test_a_number_too_long_to_read_is_a_clear_error_not_a_500(editor_client, version):
    text = bank_text(version, [question_data("een")]).replace(
        f"version: {version.number}", "version: " + "9" * 5_000
    )

    response = _import(editor_client, version, "bank.yaml", text)

    assert _messages(response) == ["Regel 2: “version” moet een versienummer zijn."]


def test_a_date_that_does_not_exist_is_a_clear_error_not_a_500(editor_client, version):
    text = bank_text(version, [question_data("een")]).replace("key: een", "key: 2026-13-45")

    response = _import(editor_client, version, "bank.yaml", text)

    assert "De sleutel moet tekst zijn." in _messages(response)[0]


def test_reading_stops_after_a_thousand_errors_and_says_so(editor_client, version):
    tips = ",".join(["1"] * 5_000)
    text = f"guideline: x\nversion: 1\nquestions:\n- key: dubbel\n  tips: [{tips}]\n"

    response = _import(editor_client, version, "bank.yaml", text)

    messages = _messages(response)
    assert len(messages) == MAX_ERRORS_SHOWN + 1
    assert messages[-1] == (
        "En nog meer fouten: het lezen is gestopt na 1000. Verbeter eerst de fouten "
        "hierboven en upload het bestand opnieuw om de rest te zien."
    )
