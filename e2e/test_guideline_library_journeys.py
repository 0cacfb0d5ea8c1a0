"""The guidelines as a library in a real browser: an editor creates a second guideline
with its audience, imports its text from a file after a preview, and staff find the
guidelines on the list page.

Every page on the way passes axe-core (WCAG 2.1 A and AA).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import click_and_follow, path_of, press_and_follow, tab_to, type_into, visit
from handbook.models import Guideline

pytestmark = pytest.mark.e2e

TEXT = """---
guideline: privacy
title:
  nl: Privacyhandreiking
  en: Privacy guide
---

# Nederlands

Zo gaan we om met persoonsgegevens.

## 1

Deel geen dossiers via je eigen mail.

## 2

Vergrendel je scherm als je wegloopt.
"""


def test_editor_creates_a_guideline_and_imports_its_text_by_keyboard(
    editor_page, version_one, tmp_path
):
    page = editor_page
    visit(page, reverse("handbook:library"))
    tab_to(page, "#create-guideline")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("handbook:create_guideline")

    type_into(page, "#id_title", "Privacyhandreiking")
    type_into(page, "#id_slug", "privacy")
    page.locator("input[name='audience'][value='roles']").check()
    page.locator("input[name='roles'][value='employee']").check()
    tab_to(page, "#create-guideline-button")
    press_and_follow(page, "Enter")

    editor_url = reverse("handbook:editor", kwargs={"guideline": "privacy"})
    assert path_of(page) == editor_url
    guideline = Guideline.objects.get(slug="privacy")
    assert guideline.audience == Guideline.Audience.ROLES

    click_and_follow(page, "#import-link")
    text_file = tmp_path / "privacy.md"
    text_file.write_text(TEXT, encoding="utf-8")
    page.locator("#id_bestand").set_input_files(str(text_file))
    click_and_follow(page, "#upload-button")
    expect(page.locator("#import-tips tbody tr")).to_have_count(2)
    assert guideline.versions.get().tips.count() == 0  # nothing imported yet

    tab_to(page, "#confirm-import")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("handbook:edit", kwargs={"guideline": "privacy", "number": 1})
    expect(page.locator("textarea[name='tips-1-text']")).to_have_value(
        "Vergrendel je scherm als je wegloopt."
    )


def test_a_malformed_file_is_refused_with_its_lines_on_an_accessible_page(
    editor_page, version_one, tmp_path
):
    from handbook import services

    page = editor_page
    services.create_draft(guideline=version_one.guideline, actor=None)
    visit(page, reverse("handbook:import", kwargs={"guideline": "sociale-media"}))
    text_file = tmp_path / "kapot.md"
    text_file.write_text("---\ntitel: x\n---\n\n## 2\n\nTip.\n", encoding="utf-8")
    page.locator("#id_bestand").set_input_files(str(text_file))
    click_and_follow(page, "#upload-button")

    expect(page.locator("#file-errors li").first).to_contain_text("Regel")
    expect(page.locator("#confirm-form")).to_have_count(0)


def test_staff_find_the_guidelines_on_the_list_page(employee_page, version_one):
    page = employee_page
    visit(page, reverse("home"))

    click_and_follow(page, page.locator(f"nav a[href='{reverse('handbook:list')}']"))

    expect(page.locator("#guidelines-mine #guideline-sociale-media")).to_be_visible()
    click_and_follow(page, page.locator("#guideline-sociale-media a"))
    assert path_of(page) == reverse("handbook:current", kwargs={"guideline": "sociale-media"})
