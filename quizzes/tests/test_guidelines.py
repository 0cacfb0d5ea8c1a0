"""The quiz per guideline: every page works on the guideline of its address
(/handreikingen/<guideline>/quiz/), an attempt belongs to its own guideline, an editor
of one guideline edits that guideline's quiz only, statistics and bank files never mix
two guidelines, and the addresses from before (/quiz/...) lead to the default one."""

from __future__ import annotations

import copy
import csv
import io

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from handbook import services as handbook_services
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, select, text_of
from quizzes import bank_io, services
from quizzes.models import Attempt, Question, QuizSettings
from quizzes.tests.conftest import client_for
from quizzes.tests.factories import (
    attempt_url,
    editor_url,
    post_data,
    quiz_url,
    quiz_version,
    right_answers,
    served_attempt,
    submitted_attempt,
)

PRIVACY = "privacy"


@pytest.fixture
def social_media(db):
    """The default guideline's version in force, with a bank of three questions."""
    return quiz_version(tips=3, questions_per_attempt=3)


@pytest.fixture
def privacy(db):
    """A second guideline's version in force, with a bank of two questions."""
    guideline = GuidelineFactory(slug=PRIVACY, title="Privacy", title_en="Privacy guideline")
    return quiz_version(guideline=guideline, tips=2, questions_per_attempt=2)


def _editor_of(guideline) -> Client:
    """A client for someone an administrator made editor of this guideline alone."""
    administrator = EmployeeFactory(administrator=True)
    editor = EmployeeFactory()
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=guideline)
    return client_for(editor), editor


# --------------------------------------------------------------------------- the old addresses


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/quiz/", "/handreikingen/sociale-media/quiz/"),
        ("/quiz/poging/12/", "/handreikingen/sociale-media/quiz/poging/12/"),
        ("/quiz/poging/12/uitslag/", "/handreikingen/sociale-media/quiz/poging/12/uitslag/"),
        ("/quiz/redactie/", "/handreikingen/sociale-media/quiz/redactie/"),
        (
            "/quiz/redactie/statistiek/csv/",
            "/handreikingen/sociale-media/quiz/redactie/statistiek/csv/",
        ),
    ],
)
def test_an_old_quiz_address_leads_to_the_same_page_of_the_default_guideline(
    client, social_media, privacy, old, new
):
    response = client.get(old)

    assert response.status_code == 302
    assert response["Location"] == new


def test_an_old_quiz_address_keeps_its_query_string(client, social_media):
    response = client.get("/quiz/redactie/statistiek/?versie=1&sort=-facility")

    assert response.status_code == 302
    assert response["Location"] == (
        "/handreikingen/sociale-media/quiz/redactie/statistiek/?versie=1&sort=-facility"
    )


def test_the_new_addresses_name_the_guideline(db):
    assert quiz_url("start") == f"/handreikingen/{DEFAULT_GUIDELINE_SLUG}/quiz/"
    assert editor_url("bank", guideline=PRIVACY) == "/handreikingen/privacy/quiz/redactie/"


def test_an_old_address_cannot_be_turned_into_a_redirect_elsewhere(client, social_media):
    response = client.get("/quiz//evil.example/")

    assert response.status_code == 302
    assert response["Location"].startswith("/handreikingen/sociale-media/quiz/")


# --------------------------------------------------------------------------- taking the quiz


def test_the_quiz_of_an_unknown_guideline_is_not_found(employee_client, social_media):
    assert employee_client.get(quiz_url("start", guideline="bestaat-niet")).status_code == 404


def test_the_start_page_is_about_the_guideline_of_its_address(
    employee_client, social_media, privacy
):
    page = parse(employee_client.get(quiz_url("start", guideline=PRIVACY)))

    assert select(page, "#start-form")
    assert select(page, f'form[action="{quiz_url("start", guideline=PRIVACY)}"]')


def test_starting_the_quiz_of_a_guideline_draws_from_its_own_bank(
    employee, employee_client, social_media, privacy
):
    response = employee_client.post(quiz_url("start", guideline=PRIVACY), {"purpose": "full"})

    attempt = Attempt.objects.get(employee=employee)
    assert attempt.version == privacy
    assert {item.question.version_id for item in attempt.served.all()} == {privacy.pk}
    assert response["Location"] == attempt_url(attempt)


def test_an_attempt_at_one_guideline_is_not_found_under_another(
    employee, employee_client, social_media, privacy
):
    attempt = served_attempt(employee=employee, version=privacy)

    response = employee_client.get(quiz_url("attempt", pk=attempt.pk))

    assert response.status_code == 404


def test_a_result_at_one_guideline_is_not_found_under_another(
    employee, employee_client, social_media, privacy
):
    attempt = submitted_attempt(employee=employee, version=privacy)

    response = employee_client.get(quiz_url("result", pk=attempt.pk))

    assert response.status_code == 404


def test_an_attempt_cannot_be_submitted_under_another_guideline(
    employee, employee_client, social_media, privacy
):
    attempt = served_attempt(employee=employee, version=privacy)

    response = employee_client.post(
        quiz_url("attempt", pk=attempt.pk), post_data(right_answers(attempt))
    )

    attempt.refresh_from_db()
    assert response.status_code == 404
    assert attempt.submitted_at is None


def test_an_attempt_is_found_under_its_own_guideline(employee, employee_client, privacy):
    attempt = served_attempt(employee=employee, version=privacy)

    assert employee_client.get(attempt_url(attempt)).status_code == 200


# --------------------------------------------------------------------------- quiz settings


def test_a_new_version_of_a_second_guideline_copies_its_own_quiz_settings(
    editor, social_media, privacy
):
    QuizSettings.objects.filter(version=social_media).update(pass_mark=90, attempts_per_day=9)
    QuizSettings.objects.filter(version=privacy).update(
        pass_mark=60, attempts_per_day=2, required_for_acknowledgement=False
    )

    draft = handbook_services.create_draft(guideline=privacy.guideline, actor=editor)

    copied = QuizSettings.objects.get(version=draft)
    assert (copied.pass_mark, copied.attempts_per_day, copied.required_for_acknowledgement) == (
        60,
        2,
        False,
    )


def test_a_version_based_on_another_guidelines_version_gets_neither_its_settings_nor_its_bank(
    social_media, privacy
):
    QuizSettings.objects.filter(version=social_media).update(pass_mark=95)
    odd = GuidelineVersionFactory(guideline=privacy.guideline, number=2, based_on=social_media)

    services.copy_settings(version=odd)
    services.ensure_bank(version=odd)

    assert not QuizSettings.objects.filter(version=odd).exists()
    assert not Question.objects.filter(version=odd).exists()


def test_saving_the_settings_of_one_guideline_leaves_the_other_alone(
    editor_client, social_media, privacy
):
    before = QuizSettings.objects.get(version=social_media).pass_mark
    data = {
        "questions_per_attempt": 2,
        "pass_mark": 50,
        "minutes_per_attempt": 30,
        "attempts_per_day": 3,
        "shuffle_options": "on",
        "required_for_acknowledgement": "on",
        "versie": 1,
    }

    response = editor_client.post(editor_url("settings", guideline=PRIVACY), data)

    assert response.status_code == 302
    assert QuizSettings.objects.get(version=privacy).pass_mark == 50
    assert QuizSettings.objects.get(version=social_media).pass_mark == before


# --------------------------------------------------------------------------- editors' rights

EDITOR_PAGES = ["bank", "settings", "import", "export", "statistics", "statistics_csv"]


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_the_editor_of_a_guideline_may_open_its_quiz_pages(social_media, privacy, name):
    client, _editor = _editor_of(privacy.guideline)

    assert client.get(editor_url(name, guideline=PRIVACY)).status_code == 200


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_the_editor_of_a_guideline_may_not_open_another_guidelines_quiz_pages(
    social_media, privacy, name
):
    client, _editor = _editor_of(privacy.guideline)

    assert client.get(editor_url(name)).status_code == 403


def test_the_editor_of_a_guideline_may_not_import_into_another_guidelines_bank(
    social_media, privacy
):
    client, editor = _editor_of(privacy.guideline)
    before = _bank(social_media)
    token_for_a = _upload_token(social_media, editor)

    response = client.post(editor_url("import_confirm"), {"upload": token_for_a, "versie": 1})

    assert response.status_code == 403
    assert _bank(social_media) == before


def test_the_editor_of_a_guideline_may_not_change_another_guidelines_settings(
    social_media, privacy
):
    _client, editor = _editor_of(privacy.guideline)

    with pytest.raises(PermissionDenied):
        services.update_settings(version=social_media, actor=editor, pass_mark=10)

    assert QuizSettings.objects.get(version=social_media).pass_mark != 10


def test_the_editor_of_a_guideline_may_change_its_settings_through_the_service(privacy):
    _client, editor = _editor_of(privacy.guideline)

    services.update_settings(version=privacy, actor=editor, pass_mark=70)

    assert QuizSettings.objects.get(version=privacy).pass_mark == 70


def test_an_unknown_guideline_has_no_editor_pages(editor_client, social_media):
    assert editor_client.get(editor_url("bank", guideline="bestaat-niet")).status_code == 404


def test_the_editor_pages_name_their_guideline(editor_client, social_media, privacy):
    page = parse(editor_client.get(editor_url("bank", guideline=PRIVACY)))

    assert "Privacy" in text_of(page, "#quiz-guideline")


def test_a_version_number_of_another_guideline_is_not_found(editor_client, social_media, privacy):
    handbook_services.create_draft(guideline=social_media.guideline, actor=None)

    response = editor_client.get(editor_url("bank", guideline=PRIVACY) + "?versie=2")

    assert response.status_code == 404


# --------------------------------------------------------------------------- statistics


@pytest.fixture
def _small_groups_shown(settings):
    """Two people's figures shown: the guidelines apart is what is tested here (small
    groups hidden: campaigns/tests/test_small_groups.py)."""
    settings.CAMPAIGN_MIN_GROUP_SIZE = 1


def _answered(version, *, attempts: int, right: bool):
    for _ in range(attempts):
        submitted_attempt(version=version, right=right)


def test_the_statistics_page_counts_the_attempts_of_its_guideline_only(
    editor_client, social_media, privacy, _small_groups_shown
):
    _answered(social_media, attempts=3, right=True)
    _answered(privacy, attempts=2, right=False)

    page = parse(editor_client.get(editor_url("statistics", guideline=PRIVACY)))

    assert text_of(page, "#summary-attempts") == "2"
    assert text_of(page, "#summary-passed").startswith("0 ")
    keys = {row.attributes["id"] for row in select(page, "tr[id^=stats-]")}
    assert keys == {f"stats-{q.key}" for q in privacy.questions.all()}


def test_the_statistics_csv_counts_the_answers_of_its_guideline_only(
    editor_client, social_media, privacy, _small_groups_shown
):
    _answered(social_media, attempts=3, right=True)
    _answered(privacy, attempts=2, right=False)

    response = editor_client.get(editor_url("statistics_csv", guideline=PRIVACY))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    assert sorted(row[0] for row in rows) == sorted(q.key for q in privacy.questions.all())
    assert {(row[5], row[6]) for row in rows} == {("2", "0")}
    assert "privacy" in response["Content-Disposition"]


# --------------------------------------------------------------------------- bank files


def _bank(version) -> list[tuple]:
    return list(
        Question.objects.filter(version=version)
        .order_by("key")
        .values_list("key", "is_active", "situation", "updated_at")
    )


def _bank_file(version, keys) -> str:
    data = yaml.safe_load(bank_io.export_bank(version))
    template = data["questions"][0]
    data["questions"] = [{**copy.deepcopy(template), "key": key} for key in keys]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _upload_token(version, user) -> str:
    from quizzes.forms.editor import sign_upload

    text = _bank_file(version, ["nieuwe-vraag"])
    return sign_upload(text=text, filename="bank.yaml", version_pk=version.pk, user_pk=user.pk)


def test_importing_into_one_guidelines_bank_leaves_the_other_alone(editor, social_media, privacy):
    before = _bank(social_media)
    bank = bank_io.parse_bank(_bank_file(privacy, ["nieuw-een", "nieuw-twee"]))

    result = services.import_bank(version=privacy, bank=bank, actor=editor)

    assert sorted(result.created) == ["nieuw-een", "nieuw-twee"]
    assert _bank(social_media) == before
    active = Question.objects.filter(version=privacy, is_active=True)
    assert sorted(active.values_list("key", flat=True)) == ["nieuw-een", "nieuw-twee"]


def test_the_import_command_puts_a_file_into_the_bank_of_the_guideline_it_names(
    tmp_path, social_media, privacy
):
    before = _bank(social_media)
    path = tmp_path / "privacy-v1.yaml"
    path.write_text(_bank_file(privacy, ["per-opdracht"]), encoding="utf-8")

    call_command("import_quiz_bank", str(path), stdout=io.StringIO())

    assert _bank(social_media) == before
    assert list(
        Question.objects.filter(version=privacy, is_active=True).values_list("key", flat=True)
    ) == ["per-opdracht"]


def test_a_bank_file_of_another_guideline_is_refused_whole(editor_client, social_media, privacy):
    before = (_bank(social_media), _bank(privacy))
    text = _bank_file(social_media, ["nieuwe-vraag"])
    upload = io.BytesIO(text.encode())
    upload.name = "bank.yaml"

    response = editor_client.post(
        editor_url("import", guideline=PRIVACY), {"bestand": upload, "versie": 1}
    )

    assert response.status_code == 400
    assert (_bank(social_media), _bank(privacy)) == before


def test_an_upload_checked_for_one_guideline_cannot_be_confirmed_into_another(
    editor, editor_client, social_media, privacy
):
    before = (_bank(social_media), _bank(privacy))
    token = _upload_token(social_media, editor)

    response = editor_client.post(
        editor_url("import_confirm", guideline=PRIVACY), {"upload": token, "versie": 1}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(editor_url("import", guideline=PRIVACY))
    assert (_bank(social_media), _bank(privacy)) == before


def test_the_export_is_the_bank_of_the_guideline_of_the_address(
    editor_client, social_media, privacy
):
    response = editor_client.get(editor_url("export", guideline=PRIVACY))

    data = yaml.safe_load(response.content)
    assert data["guideline"] == PRIVACY
    assert sorted(q["key"] for q in data["questions"]) == sorted(
        privacy.questions.values_list("key", flat=True)
    )


def test_reverse_of_every_quiz_name_needs_the_guideline():
    from django.urls import NoReverseMatch

    for name in ("quizzes:start", "quiz_editor:bank"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
