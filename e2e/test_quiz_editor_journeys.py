"""The communications editor's quiz pages in a real browser: the bank, export, import of
a changed file (preview, then confirm), settings and statistics.

Every page on the way passes axe-core (WCAG 2.1 A and AA).
"""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.helpers import click_and_follow, path_of, press_and_follow, tab_to, visit
from quizzes import services
from quizzes.models import Question, QuizSettings
from quizzes.tests.factories import editor_url, submitted_attempt

pytestmark = pytest.mark.e2e


def _question(key: str, tips: list[int]) -> dict:
    return {
        "key": key,
        "tips": tips,
        "multiple_answers": False,
        "active": True,
        "situation": {
            "nl": "Een inwoner vraagt in een reactie naar je privéadres.",
            "en": "A resident asks for your home address in a comment.",
        },
        "question": {"nl": "Wat doe je?", "en": "What do you do?"},
        "options": [
            {
                "text": {"nl": f"Antwoord {n}", "en": f"Answer {n}"},
                "correct": n == 1,
                "explanation": {"nl": f"Uitleg {n}", "en": f"Explanation {n}"},
            }
            for n in (1, 2, 3)
        ],
    }


@pytest.fixture
def bank(version_one):
    """Version 1 with the customer's question bank (as `make run` loads it) and a few
    finished attempts (by five people: fewer are too few to show, portal.suppression)."""
    call_command("load_quiz_bank", verbosity=0, stdout=io.StringIO())
    questions = list(Question.objects.filter(version=version_one).order_by("position")[:5])
    for index in range(5):
        submitted_attempt(
            version=version_one,
            questions=questions,
            right=[q for n, q in enumerate(questions) if (index + n) % 3],
            pass_mark=60,
        )
    return version_one


def test_editor_exports_changes_and_imports_the_bank(editor_page, bank, tmp_path):
    page = editor_page
    visit(page, editor_url("bank"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#question-table tbody tr")).to_have_count(25)  # the first page
    keys = list(Question.objects.filter(version=bank).values_list("key", flat=True))

    # Export: a YAML file that reads back.
    with page.expect_download() as download_info:
        page.locator("#nav-export").click()
    download = download_info.value
    assert download.suggested_filename == "vragenbank-sociale-media-v1.yaml"
    download.save_as(tmp_path / "export.yaml")
    exported = (tmp_path / "export.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(exported)
    assert sorted(q["key"] for q in data["questions"]) == sorted(keys)

    # Change the first question, drop the last one, add a new one.
    changed_key = data["questions"][0]["key"]
    dropped_key = data["questions"][-1]["key"]
    data["questions"][0]["situation"]["nl"] += " Wat nu?"
    data["questions"] = data["questions"][:-1] + [_question("nieuwe-vraag", [5])]
    changed = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")

    click_and_follow(page, "#nav-import")
    assert path_of(page) == editor_url("import")
    page.locator("#id_bestand").set_input_files(
        files=[{"name": "vragenbank.yaml", "mimeType": "application/yaml", "buffer": changed}]
    )
    click_and_follow(page, "#upload-button")

    # The preview says what will happen; nothing has changed yet.
    expect(page.locator("#outcome-created")).to_contain_text("nieuwe-vraag")
    expect(page.locator("#outcome-updated")).to_contain_text(changed_key)
    expect(page.locator("#outcome-deactivated")).to_contain_text(dropped_key)
    assert not Question.objects.filter(key="nieuwe-vraag").exists()

    click_and_follow(page, "#confirm-import")

    assert path_of(page) == editor_url("bank")
    expect(page.locator(".portal-messages")).to_be_visible()
    assert Question.objects.get(version=bank, key="nieuwe-vraag").is_active
    assert not Question.objects.get(version=bank, key=dropped_key).is_active
    assert Question.objects.get(version=bank, key=changed_key).situation.endswith("Wat nu?")

    # The new question is found by searching.
    page.locator("#id_zoek").fill("nieuwe-vraag")
    click_and_follow(page, "#filter-submit")
    expect(page.locator("#question-nieuwe-vraag")).to_be_visible()


def test_a_malformed_file_is_refused_with_its_lines(editor_page, bank):
    page = editor_page
    visit(page, editor_url("import"))
    broken = b"guideline: sociale-media\nversion: 1\nquestions:\n  - key: zonder tekst\n"
    page.locator("#id_bestand").set_input_files(
        files=[{"name": "kapot.yaml", "mimeType": "application/yaml", "buffer": broken}]
    )

    click_and_follow(page, "#upload-button")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("li[data-line='4']").first).to_be_visible()
    assert Question.objects.filter(version=bank).count() == 40


def test_editor_changes_the_settings_and_a_bad_pass_mark_is_refused(editor_page, bank):
    page = editor_page
    visit(page, editor_url("settings"))
    page.locator("#id_pass_mark").fill("101")

    click_and_follow(page, "#save-settings")

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a[href='#id_pass_mark']")).to_be_visible()
    assert services.settings_for(version=bank).pass_mark == 80

    page.locator("#id_pass_mark").fill("70")
    click_and_follow(page, "#save-settings")

    assert QuizSettings.objects.get(version=bank).pass_mark == 70


def test_editor_reads_and_sorts_the_statistics(editor_page, bank):
    page = editor_page
    visit(page, editor_url("bank"))

    click_and_follow(page, "#nav-statistics")

    expect(page.locator("#privacy-note")).to_be_visible()
    expect(page.locator("#statistics-table tbody tr")).to_have_count(40)
    expect(page.locator("#summary-attempts")).to_have_text("5")

    # Sort by facility with the keyboard, then the other way round.
    tab_to(page, "#sort-facility a")
    press_and_follow(page, "Enter")
    expect(page.locator("#sort-facility")).to_have_attribute("aria-sort", "ascending")
    click_and_follow(page, "#sort-facility a")
    expect(page.locator("#sort-facility")).to_have_attribute("aria-sort", "descending")
