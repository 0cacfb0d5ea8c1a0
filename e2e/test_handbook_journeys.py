"""Handbook journeys in a real browser: read in Dutch and English, draft, publish, diff,
retire (two editors).

Every page on the way passes axe-core (WCAG 2.1 A and AA).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import (
    click_and_follow,
    login,
    path_of,
    press_and_follow,
    tab_to,
    visit,
)
from e2e.totp import activate_totp
from handbook.models import GuidelineVersion

pytestmark = pytest.mark.e2e

TIP_3_START = "Ga af op je beoordelingsvermogen en eigen logica."
TIP_3_ENGLISH_START = "Rely on your own judgement and common sense."


@pytest.fixture
def reader_page(employee_page, version_one):
    return employee_page


def test_employee_reads_the_current_version_in_dutch(reader_page):
    page = reader_page
    visit(page, reverse("handbook:current", kwargs={"guideline": "sociale-media"}))

    expect(page.locator("h1")).to_have_text("Handreiking gebruik sociale media")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("section[id^='tip-']")).to_have_count(11)
    expect(page.locator("#content-hash")).to_contain_text(
        GuidelineVersion.objects.get(number=1).content_hash
    )

    click_and_follow(page, page.locator("#tip-3 a").first)
    assert path_of(page) == reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 3}
    )
    expect(page.locator("main")).to_contain_text(TIP_3_START)


def test_employee_walks_through_the_tips_with_the_keyboard(reader_page):
    page = reader_page
    visit(page, reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1}))

    tab_to(page, "#next-tip")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}
    )
    expect(page.locator(".tip-nav a[aria-current='page']")).to_have_text(re.compile(r"^Tip 2\b"))

    tab_to(page, "#previous-tip")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1}
    )


def test_employee_reads_the_english_translation_marked_as_such(reader_page):
    page = reader_page
    visit(page, reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 3}))

    click_and_follow(page, page.locator("form[action='/taal/'] button[value='en']"))

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#translation-notice")).to_be_visible()
    expect(page.locator("main")).to_contain_text(TIP_3_ENGLISH_START)

    click_and_follow(page, page.locator("#show-dutch"))
    dutch = page.locator("[lang='nl']").filter(has_text=TIP_3_START)
    expect(dutch.first).to_be_visible()


def test_a_checkbox_in_the_draft_editor_has_its_label_on_one_line_beside_the_box(
    editor_page, editor_with_totp, version_one
):
    from handbook.services import create_draft

    editor, _secret = editor_with_totp
    create_draft(guideline=version_one.guideline, actor=editor)
    visit(editor_page, reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}))

    box = editor_page.locator("#id_requires_reacknowledgement").bounding_box()
    label = editor_page.locator("label[for='id_requires_reacknowledgement']").bounding_box()
    assert label["x"] >= box["x"] + box["width"]
    assert label["height"] < 2 * box["height"], "the label wraps a letter a line"


def test_editor_drafts_another_editor_publishes_and_the_diff_shows_the_change(
    page, live_server, editor_with_totp, version_one
):
    author, author_secret = editor_with_totp
    login(page, live_server, author, totp_secret=author_secret)

    # The author starts a draft from version 1 and corrects tip 2's language slip.
    visit(page, reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
    click_and_follow(page, "#create-draft")
    assert path_of(page) == reverse(
        "handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}
    )
    tip_2 = page.locator("textarea[name='tips-1-text']")
    tip_2.fill(tip_2.input_value().replace("Houdt het professioneel", "Houd het professioneel"))
    page.locator("input[name='tips-1-change'][value='editorial']").check()
    page.locator("[name='change_summary']").fill("Taalfout in tip 2 verbeterd.")
    page.locator("input[name='effective_date']").fill(timezone.localdate().isoformat())
    click_and_follow(page, "#save-draft")
    assert path_of(page) == reverse(
        "handbook:version", kwargs={"guideline": "sociale-media", "number": 2}
    )
    expect(page.locator("#draft-banner")).to_be_visible()

    # Four-eyes: the author cannot publish their own change.
    visit(page, reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2}))
    expect(page.locator("#publish-blockers")).to_be_visible()
    expect(page.locator("#publish-button")).to_have_count(0)

    # Another editor checks and publishes.
    click_and_follow(page, page.locator("form[action='/account/logout/'] button"))
    reviewer = _second_editor()
    login(page, live_server, reviewer, totp_secret=activate_totp(reviewer))
    visit(page, reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2}))
    expect(page.locator("#publish-blockers")).to_have_count(0)
    click_and_follow(page, "#publish-button")

    version = GuidelineVersion.objects.get(number=2)
    assert version.status == GuidelineVersion.Status.PUBLISHED
    assert version.published_by == reviewer
    visit(page, reverse("handbook:current", kwargs={"guideline": "sociale-media"}))
    expect(page.locator("#tip-2")).to_contain_text("Houd het professioneel")

    # The diff shows the word that changed, also to screen readers.
    visit(page, reverse("handbook:diff", kwargs={"guideline": "sociale-media"}) + "?van=1&naar=2")
    changed = page.locator("#diff-tip-2")
    expect(changed).to_have_attribute("data-status", "editorial")
    expect(changed.locator("del")).to_contain_text("Houdt")
    expect(changed.locator("ins")).to_contain_text("Houd")
    expect(changed.locator("del .visually-hidden").first).to_be_attached()
    expect(page.locator("#diff-tip-1")).to_have_attribute("data-status", "unchanged")


def test_a_changed_tip_without_a_mark_is_refused_and_nothing_is_saved(editor_page, version_one):
    page = editor_page
    visit(page, reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
    click_and_follow(page, "#create-draft")
    tip_5 = page.locator("textarea[name='tips-4-text']")
    tip_5.fill(tip_5.input_value() + " Extra zin.")
    page.locator("input[name='tips-4-change'][value='unchanged']").check()

    click_and_follow(page, "#save-draft")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    draft = GuidelineVersion.objects.get(number=2)
    assert "Extra zin." not in draft.tips.get(number=5).text


def test_history_print_view_and_empty_diff_choice_pass_axe(reader_page):
    page = reader_page
    visit(page, reverse("handbook:history", kwargs={"guideline": "sociale-media"}))
    expect(page.locator("tr#version-row-1")).to_be_visible()
    visit(page, reverse("handbook:print", kwargs={"guideline": "sociale-media", "number": 1}))
    expect(page.locator("h1")).to_contain_text("Handreiking gebruik sociale media")
    visit(page, reverse("handbook:diff", kwargs={"guideline": "sociale-media"}))


def _second_editor():
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Ruud",
        last_name="de Redacteur",
        email="ruud.deredacteur@voorbeeldstad.nl",
        editor=True,
    )


def test_two_editors_retire_a_version_once_its_successor_is_in_force(
    page, live_server, editor_with_totp, version_one
):
    from handbook.tests.factories import published_version

    author, author_secret = editor_with_totp
    login(page, live_server, author, totp_secret=author_secret)

    # Version 1 is the only version in force: it cannot be retired.
    visit(page, reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": 1}))
    expect(page.locator("#retire-blockers")).to_be_visible()
    expect(page.locator("#retire-form")).to_have_count(0)

    # Once version 2 is in force, the author asks, with a reason, and cannot confirm.
    published_version(version_one.guideline, number=2, effective_date=timezone.localdate())
    visit(page, reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": 1}))
    page.locator("textarea[name='reason']").fill("Vervangen door versie 2.")
    click_and_follow(page, "#retire-button")
    expect(page.locator("#retirement-reason")).to_contain_text("Vervangen door versie 2.")
    expect(page.locator("#confirm-retirement-button")).to_have_count(0)
    expect(page.locator("#confirm-by-another")).to_be_visible()

    # Another editor reads the reason and confirms.
    click_and_follow(page, page.locator("form[action='/account/logout/'] button"))
    reviewer = _second_editor()
    login(page, live_server, reviewer, totp_secret=activate_totp(reviewer))
    visit(page, reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": 1}))
    click_and_follow(page, "#confirm-retirement-button")

    assert path_of(page) == reverse("handbook:history", kwargs={"guideline": "sociale-media"})
    expect(page.locator("tr#version-row-1")).to_have_attribute("data-state", "retired")
    version = GuidelineVersion.objects.get(number=1)
    assert (version.status, version.retired_by) == (GuidelineVersion.Status.RETIRED, reviewer)
