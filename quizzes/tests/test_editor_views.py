"""The editors' quiz pages: bank overview, settings, import/export, statistics."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from handbook import services as handbook_services
from handbook.tests.utils import nl
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, error_summary, links, one, parse, select, text, text_of
from quizzes import bank_io, services
from quizzes.forms.editor import MAX_BANK_BYTES, sign_upload
from quizzes.models import Question, QuizEvent, QuizSettings
from quizzes.tests.factories import editor_url
from quizzes.tests.test_statistics import (
    ANSWERS,
    hand_computed_bank,
    make_attempt,
    make_question,
    published,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def auditor_client(db):
    return client_for(EmployeeFactory(auditor=True))


@pytest.fixture
def manager_client(db):
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    return client_for(manager)


# --------------------------------------------------------------------------- bank files


def question_data(key: str, *, tips=(1,), situation=None, active=True, right=1) -> dict:
    return {
        "key": key,
        "tips": list(tips),
        "multiple_answers": False,
        "active": active,
        "situation": {
            "nl": situation or f"Een collega deelt iets over {key}.",
            "en": f"A colleague shares something about {key}.",
        },
        "question": {"nl": "Wat doe je?", "en": "What do you do?"},
        "options": [
            {
                "text": {"nl": f"Antwoord {n}", "en": f"Answer {n}"},
                "correct": n == right,
                "explanation": {"nl": f"Uitleg {n}", "en": f"Explanation {n}"},
            }
            for n in (1, 2, 3)
        ],
    }


def bank_text(version, questions) -> str:
    return yaml.safe_dump(
        {"guideline": version.guideline.slug, "version": version.number, "questions": questions},
        allow_unicode=True,
        sort_keys=False,
    )


BANK_KEYS = ["delen-foto", "klacht-burger", "politieke-mening", "vakantie-post"]


def load_bank(version, editor, keys=BANK_KEYS) -> None:
    questions = [question_data(key, tips=(n % 3 + 1, 4)) for n, key in enumerate(keys)]
    services.import_bank(
        version=version, bank=bank_io.parse_bank(bank_text(version, questions)), actor=editor
    )


@pytest.fixture
def version(db, editor):
    version = published(tips=5)
    load_bank(version, editor)
    return version


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def _text(response) -> str:
    return response.content.decode()


def _url(name: str, version=None, **query) -> str:
    url = editor_url(name)
    params = {"versie": version.number} if version is not None else {}
    params.update(query)
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _state(version) -> list[tuple]:
    return list(
        Question.objects.filter(version=version)
        .order_by("key")
        .values_list("key", "is_active", "situation", "updated_at")
    )


# --------------------------------------------------------------------------- permissions

EDITOR_PAGES = ["bank", "settings", "import", "export"]
STATISTICS_PAGES = ["statistics", "statistics_csv"]


@pytest.mark.parametrize("name", EDITOR_PAGES + STATISTICS_PAGES)
@pytest.mark.parametrize("who", ["employee_client", "manager_client"])
def test_employees_and_managers_get_403(request, version, name, who):
    client = request.getfixturevalue(who)

    assert client.get(_url(name, version)).status_code == 403


@pytest.mark.parametrize("name", EDITOR_PAGES + STATISTICS_PAGES)
def test_an_editor_may_open_every_page(editor_client, version, name):
    assert editor_client.get(_url(name, version)).status_code == 200


@pytest.mark.parametrize("name", STATISTICS_PAGES)
def test_an_auditor_may_see_the_statistics(auditor_client, version, name):
    assert auditor_client.get(_url(name, version)).status_code == 200


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_an_auditor_may_not_manage_the_bank(auditor_client, version, name):
    assert auditor_client.get(_url(name, version)).status_code == 403


def test_an_auditor_cannot_import(auditor_client, editor, version):
    before = _state(version)
    text = bank_text(version, [question_data("nieuw")])
    token = sign_upload(text=text, filename="x.yaml", version_pk=version.pk, user_pk=editor.pk)

    upload_response = auditor_client.post(
        _url("import", version), {"bestand": upload("bank.yaml", text)}
    )
    confirm_response = auditor_client.post(_url("import_confirm", version), {"upload": token})

    assert upload_response.status_code == 403
    assert confirm_response.status_code == 403
    assert _state(version) == before


@pytest.mark.parametrize("name", EDITOR_PAGES + STATISTICS_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, version, name):
    response = client.get(_url(name, version))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_version_is_not_found(editor_client, version):
    assert editor_client.get(_url("bank") + "?versie=99").status_code == 404
    assert editor_client.get(_url("bank") + "?versie=x").status_code == 404


# --------------------------------------------------------------------------- bank overview


def test_bank_lists_the_questions_with_main_tip_and_counts(editor_client, version):
    page = parse(editor_client.get(_url("bank", version)))

    assert len(select(page, "h1")) == 1
    for key in BANK_KEYS:
        assert select(page, f"tr#question-{key}"), key
    # delen-foto tests tips 1 and 4: its main tip is 1.
    assert "Tip 1" in text_of(page, "tr#question-delen-foto")
    # Tip 4 is tested by all four questions; tip 5 by none: too few.
    tip_4 = one(page, "tr#tip-count-4")
    assert select(tip_4, "th[scope=row]") and text(select(tip_4, "td")[0]) == "4"
    assert "data-too-few" not in tip_4.attributes
    assert attribute(page, "tr#tip-count-5", "data-too-few") == "1"
    assert nl("Too few questions") in text_of(page, "tr#tip-count-5")
    assert select(page, "#thin-tips-warning")


def test_the_bank_is_the_current_versions_by_default(editor_client, version):
    response = editor_client.get(_url("bank"))

    assert response.context["version"] == version


def test_bank_search_on_key_and_text(editor_client, version):
    Question.objects.filter(key="klacht-burger").update(situation="Een boze burger belt.")

    by_key = editor_client.get(_url("bank", version, zoek="vakantie")).context["rows"]
    by_text = editor_client.get(_url("bank", version, zoek="boze")).context["rows"]

    assert [row["question"].key for row in by_key] == ["vakantie-post"]
    assert [row["question"].key for row in by_text] == ["klacht-burger"]


def test_bank_filters_by_tip_and_active(editor_client, version):
    Question.objects.filter(key="politieke-mening").update(is_active=False)

    tip_2 = editor_client.get(_url("bank", version, tip=2)).context["rows"]
    inactive = editor_client.get(_url("bank", version, actief="nee")).context["rows"]
    active = editor_client.get(_url("bank", version, actief="ja")).context["rows"]

    # Questions 0..3 have main tips 1, 2, 3, 1.
    assert [row["question"].key for row in tip_2] == ["klacht-burger"]
    assert [row["question"].key for row in inactive] == ["politieke-mening"]
    assert len(active) == 3


def test_bank_is_paginated(editor_client, editor, db):
    version = published(tips=4)
    load_bank(version, editor, keys=[f"vraag-{n:02d}" for n in range(30)])

    first = editor_client.get(_url("bank", version))
    second = editor_client.get(_url("bank", version, pagina=2))

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert 'rel="next"' in _text(first)


def test_an_empty_bank_says_to_import_a_file(editor_client, db):
    version = published(tips=2)

    html = _text(editor_client.get(_url("bank", version)))

    assert 'id="bank-empty"' in html
    assert editor_url("import") in html


def test_a_draft_starts_with_a_copy_of_the_previous_bank(editor_client, editor, version):
    draft = handbook_services.create_draft(guideline=version.guideline, actor=editor)
    assert not Question.objects.filter(version=draft).exists()

    response = editor_client.get(_url("bank", draft))

    assert response.status_code == 200
    assert sorted(Question.objects.filter(version=draft).values_list("key", flat=True)) == (
        BANK_KEYS
    )


# --------------------------------------------------------------------------- settings


def _settings_data(**overrides) -> dict:
    data = {
        "questions_per_attempt": "8",
        "pass_mark": "75",
        "shuffle_options": "on",
        "attempts_per_day": "2",
        "minutes_per_attempt": "30",
        "required_for_acknowledgement": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_are_saved_through_the_service(editor_client, version):
    response = editor_client.post(_url("settings", version), _settings_data())

    assert response.status_code == 302
    stored = QuizSettings.objects.get(version=version)
    assert (stored.questions_per_attempt, stored.pass_mark, stored.attempts_per_day) == (8, 75, 2)
    assert stored.minutes_per_attempt == 30
    assert QuizEvent.objects.filter(kind=QuizEvent.Kind.SETTINGS_CHANGED, version=version).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pass_mark", "0"),
        ("pass_mark", "101"),
        ("pass_mark", "tachtig"),
        ("questions_per_attempt", "0"),
        ("minutes_per_attempt", "4"),
        ("attempts_per_day", ""),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(editor_client, version, field, value):
    services.settings_for(version=version)
    before = list(QuizSettings.objects.filter(version=version).values())

    response = editor_client.post(_url("settings", version), _settings_data(**{field: value}))

    assert response.status_code == 400
    assert f"#id_{field}" in dict(error_summary(parse(response)))
    assert list(QuizSettings.objects.filter(version=version).values()) == before
    assert not QuizEvent.objects.filter(kind=QuizEvent.Kind.SETTINGS_CHANGED).exists()


def test_pass_mark_message_says_what_to_enter(editor_client, version):
    response = editor_client.post(_url("settings", version), _settings_data(pass_mark="101"))

    assert response.context["form"].errors["pass_mark"] == [
        nl("Enter a pass mark from 1 to 100 per cent.")
    ]


# --------------------------------------------------------------------------- export


def test_export_downloads_yaml_that_parses_back(editor_client, version):
    response = editor_client.get(_url("export", version))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert response["Content-Disposition"] == (
        'attachment; filename="vragenbank-sociale-media-v1.yaml"'
    )
    bank = bank_io.parse_bank(response.content.decode())
    assert [q.key for q in bank.questions] == BANK_KEYS
    assert bank.version == 1


# --------------------------------------------------------------------------- import


def _changed_file(version) -> str:
    """delen-foto changed, klacht-burger and politieke-mening the same, vakantie-post
    left out (made inactive), nieuwe-vraag added."""
    questions = [
        question_data("delen-foto", tips=(1, 4), situation="Een collega deelt een foto."),
        question_data("klacht-burger", tips=(2, 4)),
        question_data("politieke-mening", tips=(3, 4)),
        question_data("nieuwe-vraag", tips=(5,)),
    ]
    return bank_text(version, questions)


def test_import_shows_a_preview_and_imports_only_after_confirmation(editor_client, version):
    before = _state(version)

    preview = editor_client.post(
        _url("import", version), {"bestand": upload("vragen.yaml", _changed_file(version))}
    )

    assert preview.status_code == 200
    assert _state(version) == before  # nothing yet
    outcome = {row["kind"]: row for row in preview.context["outcome"]}
    assert outcome["created"]["keys"] == ["nieuwe-vraag"]
    assert outcome["updated"]["keys"] == ["delen-foto"]
    assert outcome["deactivated"]["keys"] == ["vakantie-post"]
    assert outcome["unchanged"]["count"] == 2
    html = _text(preview)
    assert 'id="confirm-import"' in html and "nieuwe-vraag" in html
    token = preview.context["confirm_form"].initial["upload"]
    assert "nieuwe-vraag" not in token  # signed and compressed, not the raw text

    confirmed = editor_client.post(_url("import_confirm", version), {"upload": token})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == _url("bank", version)
    questions = {q.key: q for q in Question.objects.filter(version=version)}
    assert questions["nieuwe-vraag"].is_active
    assert not questions["vakantie-post"].is_active
    assert questions["delen-foto"].situation == "Een collega deelt een foto."
    assert QuizEvent.objects.filter(kind=QuizEvent.Kind.BANK_IMPORTED, version=version).count() == 2


def test_a_malformed_file_shows_every_error_with_its_line_and_imports_nothing(
    editor_client, version
):
    before = _state(version)
    events = QuizEvent.objects.count()
    text = (
        "guideline: sociale-media\n"  # 1
        "version: 1\n"  # 2
        "questions:\n"  # 3
        "  - key: kapotte vraag\n"  # 4: a key with a space
        "    tips: [1]\n"  # 5
        "    situation: {nl: Iets}\n"  # 6
        "    question: {nl: 'Wat doe je'}\n"  # 7
        "    options:\n"  # 8: two options only
        "      - {text: {nl: Ja}, correct: true, explanation: {nl: Goed}}\n"  # 9
        "      - {text: {nl: Nee}, explanation: {nl: Fout}}\n"  # 10
        "  - key: zonder-opties\n"  # 11
        "    tips: [1]\n"  # 12
        "    situation: {nl: Iets}\n"  # 13
        "    question: {nl: 'Wat doe je'}\n"  # 14
        "    kleur: rood\n"  # 15: unknown field
    )

    response = editor_client.post(_url("import", version), {"bestand": upload("fout.yaml", text)})

    assert response.status_code == 400
    page = parse(response)
    shown = [item.attributes.get("data-line") for item in select(page, "#error-summary li")]
    errors = response.context["file_errors"]
    # The key (4), two options (8/9), no options (11), an unknown field (15): all at once.
    lines = [error["line"] for error in errors]
    assert len(lines) == 4
    assert lines[0] == 4 and lines[1] in (8, 9) and lines[2:] == [11, 15]
    for error in errors:
        assert str(error["line"]) in shown
        assert str(error["line"]) in error["message"]
    assert _state(version) == before
    assert QuizEvent.objects.count() == events
    assert Question.objects.filter(version=version).count() == len(BANK_KEYS)


def test_invalid_yaml_is_refused_with_its_line(editor_client, version):
    text = "guideline: sociale-media\nversion: 1\nquestions:\n  - key: [oops\n"

    response = editor_client.post(_url("import", version), {"bestand": upload("fout.yml", text)})

    assert response.status_code == 400
    (error,) = response.context["file_errors"]
    assert error["line"] is not None


def test_a_file_for_another_version_is_refused(editor_client, version):
    text = _changed_file(version).replace("version: 1", "version: 7")
    before = _state(version)

    response = editor_client.post(_url("import", version), {"bestand": upload("v7.yaml", text)})

    assert response.status_code == 400
    (error,) = response.context["file_errors"]
    assert error["line"] == 2
    assert _state(version) == before


def test_a_file_that_is_not_utf8_is_refused(editor_client, version):
    text = _changed_file(version).replace("Een collega", "Één collega").encode("latin-1")

    response = editor_client.post(_url("import", version), {"bestand": upload("bank.yaml", text)})

    assert response.status_code == 400
    (error,) = response.context["error_summary"]
    assert "UTF-8" in error["message"]
    assert error["target"] == "id_bestand"


def test_a_file_that_is_too_big_is_refused(editor_client, version):
    text = "# " + "x" * MAX_BANK_BYTES + "\n" + _changed_file(version)
    before = _state(version)

    response = editor_client.post(_url("import", version), {"bestand": upload("bank.yaml", text)})

    assert response.status_code == 400
    (error,) = response.context["error_summary"]
    assert "MB" in error["message"]
    assert _state(version) == before


def test_a_file_of_another_kind_is_refused(editor_client, version):
    response = editor_client.post(
        _url("import", version), {"bestand": upload("bank.txt", _changed_file(version))}
    )

    assert response.status_code == 400
    assert ".yaml" in response.context["error_summary"][0]["message"]


def test_json_is_accepted(editor_client, version):
    import json

    data = yaml.safe_load(_changed_file(version))

    response = editor_client.post(
        _url("import", version), {"bestand": upload("bank.json", json.dumps(data))}
    )

    assert response.status_code == 200
    assert "confirm_form" in response.context


def test_a_forged_or_foreign_token_is_refused(editor_client, editor, version, db):
    before = _state(version)
    other_version = published(number=2, guideline=version.guideline, tips=5)
    text = _changed_file(version)
    foreign = sign_upload(
        text=text, filename="x.yaml", version_pk=other_version.pk, user_pk=editor.pk
    )
    someone_else = sign_upload(text=text, filename="x.yaml", version_pk=version.pk, user_pk=0)

    for token in ["nep", foreign, someone_else, foreign[:-2] + "xx"]:
        response = editor_client.post(_url("import_confirm", version), {"upload": token})
        assert response.status_code == 302
        assert response["Location"] == _url("import", version)

    assert _state(version) == before


# --------------------------------------------------------------------------- statistics


@pytest.fixture
def answered(db, editor):
    version = published(tips=4)
    questions = hand_computed_bank(version)
    for answers in ANSWERS:
        make_attempt(
            version,
            {questions[key]: ticked for key, ticked in answers.items()},
            employee=EmployeeFactory(first_name="Geheime", last_name="Deelnemer"),
        )
    return version


def test_statistics_page_shows_aggregates_and_says_it_is_aggregate_only(editor_client, answered):
    response = editor_client.get(_url("statistics", answered))

    html = _text(response)
    page = parse(response)
    assert len(select(page, "h1")) == 1
    assert select(page, "#privacy-note")
    assert "Deelnemer" not in html and "Geheime" not in html
    row = text_of(page, "tr#stats-q1")
    assert "60%" in row  # facility
    assert "0,65" in row or "0.65" in row  # discrimination
    table = one(page, "table:has(tr#stats-q1)")
    assert select(table, "caption") and select(table, "th[scope=col]")
    assert select(table, "tr#stats-q1 th[scope=row]")


def test_statistics_sorting_sets_aria_sort_and_links(editor_client, answered):
    response = editor_client.get(_url("statistics", answered, sort="-facility"))

    page = parse(response)
    assert [s.key for s in response.context["questions"]] == ["q1", "q3", "q2"]
    assert [header.id for header in select(page, "[aria-sort]")] == ["sort-facility"]
    assert attribute(page, "th#sort-facility", "aria-sort") == "descending"
    assert attribute(page, "th#sort-facility", "scope") == "col"
    # The facility header now sorts ascending; the others sort by themselves.
    assert "sort=facility" in links(page, "th#sort-facility")[0]
    assert "sort=discrimination" in links(page, "th#sort-discrimination")[0]

    ascending = editor_client.get(_url("statistics", answered, sort="discrimination"))
    assert [s.key for s in ascending.context["questions"]] == ["q3", "q2", "q1"]
    assert attribute(parse(ascending), "th#sort-discrimination", "aria-sort") == "ascending"


@pytest.mark.parametrize("how", ["url", "format"])
def test_statistics_csv_has_a_bom_semicolons_and_no_names(editor_client, answered, how):
    if how == "url":
        response = editor_client.get(_url("statistics_csv", answered))
    else:
        response = editor_client.get(_url("statistics", answered, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4  # a header and three questions
    assert len(rows[0]) == len(rows[1]) + 3  # q1 has three options, the header four
    q1 = next(row for row in rows if row[0] == "q1")
    assert q1[5:9] == ["5", "3", "0,600", "0,645"]
    assert "Deelnemer" not in text


def test_statistics_for_a_version_without_attempts(editor_client, version):
    html = _text(editor_client.get(_url("statistics", version)))

    assert 'id="no-attempts"' in html


# --------------------------------------------------------------------------- queries


def _grow(editor, *, questions: int, attempts: int, number: int):
    from handbook.tests.factories import GuidelineFactory

    version = published(number=number, tips=6, guideline=GuidelineFactory())
    load_bank(version, editor, keys=[f"vraag-{n:02d}" for n in range(questions)])
    bank = list(Question.objects.filter(version=version).prefetch_related("options"))
    employee = EmployeeFactory()
    for index in range(attempts):
        make_attempt(
            version,
            {q: [1 if (index + n) % 2 == 0 else 2] for n, q in enumerate(bank[:3])},
            employee=employee,
        )
    return version


@pytest.mark.parametrize("name", ["bank", "statistics", "statistics_csv"])
def test_pages_cost_a_fixed_number_of_queries(editor_client, editor, name, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _grow(editor, questions=4, attempts=2, number=1)
    large = _grow(editor, questions=40, attempts=30, number=2)
    counts = []
    for version in (small, large):
        editor_client.get(_url(name, version))  # warm the session and permission caches
        with CaptureQueriesContext(connection) as context:
            response = editor_client.get(_url(name, version))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))

    assert counts[0] == counts[1], counts


def test_a_new_question_without_answers_shows_too_few(editor_client, answered):
    make_question(answered, "q4")

    page = parse(editor_client.get(_url("statistics", answered)))

    assert nl("Too few answers to judge") in text_of(page, "tr#stats-q4")


def test_without_any_version_the_pages_say_so(editor_client, db):
    from handbook.tests.factories import GuidelineFactory

    GuidelineFactory()

    for name in ("bank", "settings", "import", "statistics"):
        response = editor_client.get(_url(name))
        assert response.status_code == 200
        assert 'id="quiz-no-version"' in _text(response)
