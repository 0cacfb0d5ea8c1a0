"""Many guidelines in a real browser, the whole story of issue 19:

1. an editor creates a second guideline (the integrity code) through the pages and
   imports its text; a colleague editor publishes it (four-eyes);
2. HR sets the onboarding of new employees to ask both guidelines, each after its own
   number of days;
3. a new employee sees both on the home page, the nearest due date first, does the
   social-media guideline (tips, quiz, signature), and then sees only the other open;
4. the reminder: one mail to that employee, naming the guideline still open and not the
   signed one; a colleague who did nothing gets one mail naming both.

The create form, the publishing and HR's settings are done by keyboard only (Tab,
typing, Space, Enter; every focused control shows its focus). Every page on the way
passes axe-core (WCAG 2.1 A and AA) through the ``page`` fixtures.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from e2e.helpers import (
    click_and_follow,
    login_by_keyboard,
    path_of,
    press_and_follow,
    read_pass_and_sign,
    tab_to,
    type_into,
    visit,
)
from e2e.totp import activate_totp

pytestmark = pytest.mark.e2e

SLUG = "gedragscode"
TITLE = "Gedragscode integriteit"
TITLE_EN = "Code of conduct"
SOCIAL_SLUG = "sociale-media"
SOCIAL_TITLE = "Handreiking gebruik sociale media"
# The onboarding's days after the start date: social media first, the code later.
SOCIAL_DAYS, CODE_DAYS = 10, 15
# The day the reminders go: the social-media guideline is due in 1 day (the "2 days
# before" step), the code in 6 (the "7 days before" step): both steps are due at once.
REMINDER_DAY = 9

TEXT = f"""---
guideline: {SLUG}
title:
  nl: {TITLE}
  en: {TITLE_EN}
---

# Nederlands

Zo werken we eerlijk en zorgvuldig voor de inwoners.

## 1

Neem geen geschenken aan die meer waard zijn dan 50 euro.

## 2

Meld een mogelijk belangenconflict bij je leidinggevende.

# English

This is how we work honestly and carefully for our residents.

## 1

Do not accept gifts worth more than 50 euros.

## 2

Report a possible conflict of interest to your manager.
"""


def _day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _dutch_date(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "DATE_FORMAT")


@pytest.fixture
def social_media(transactional_db):
    """The social-media guideline in force, with a quiz (three tips, three questions, in
    bank order), and the standing onboarding rule that asks new employees only that
    guideline: the portal as it was before the second guideline."""
    from campaigns import services as campaign_services
    from quizzes.tests.factories import quiz_version

    version = quiz_version(tips=3, questions_per_attempt=3, shuffle_options=False)
    rule = campaign_services.onboarding_rule()
    assert list(rule.subjects.values_list("guideline__slug", flat=True)) == [SOCIAL_SLUG]
    return version


@pytest.fixture
def colleague_editor(transactional_db):
    """A second editor (with an authenticator app) who checks and publishes: (employee,
    secret)."""
    from people.tests.factories import EmployeeFactory

    colleague = EmployeeFactory(
        first_name="Cor", last_name="Collega", email="cor.collega@voorbeeldstad.nl", editor=True
    )
    return colleague, activate_totp(colleague)


@pytest.fixture
def newcomers(transactional_db):
    """Two employees who start today: Nina, who will sign one guideline, and Otto, who
    does nothing."""
    from people.tests.factories import EmployeeFactory

    today = timezone.localdate()
    nina = EmployeeFactory(
        first_name="Nina",
        last_name="Nieuwkoop",
        email="nina.nieuwkoop@voorbeeldstad.nl",
        start_date=today,
    )
    otto = EmployeeFactory(
        first_name="Otto", last_name="Olde", email="otto.olde@voorbeeldstad.nl", start_date=today
    )
    return nina, otto


def _log_out_by_keyboard(page) -> None:
    tab_to(page, page.locator(f"header form[action='{reverse('account_logout')}'] button"))
    press_and_follow(page, "Enter")


# --------------------------------------------------------------------------- the steps


def an_editor_creates_the_guideline_by_keyboard_and_imports_its_text(page, editor, tmp_path):
    from handbook.models import Guideline

    tab_to(page, f"header nav a[href='{reverse('handbook:library')}']")
    press_and_follow(page, "Enter")
    tab_to(page, "#create-guideline")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("handbook:create_guideline")

    type_into(page, "#id_title", TITLE)
    type_into(page, "#id_title_en", TITLE_EN)
    type_into(page, "#id_slug", SLUG)
    # Everyone is the audience unless the editor chooses otherwise.
    expect(page.locator("input[name='audience'][value='everyone']")).to_be_checked()
    type_into(page, "#id_introduction", "Zo werken we eerlijk en zorgvuldig.")
    tab_to(page, "#create-guideline-button")
    press_and_follow(page, "Enter")

    assert path_of(page) == reverse("handbook:editor", kwargs={"guideline": SLUG})
    guideline = Guideline.objects.get(slug=SLUG)
    assert (guideline.title, guideline.title_en) == (TITLE, TITLE_EN)
    assert guideline.audience == Guideline.Audience.EVERYONE

    # The text from a file: a preview first, then the import.
    click_and_follow(page, "#import-link")
    text_file = tmp_path / f"{SLUG}.md"
    text_file.write_text(TEXT, encoding="utf-8")
    page.locator("#id_bestand").set_input_files(str(text_file))
    click_and_follow(page, "#upload-button")
    expect(page.locator("#import-tips tbody tr")).to_have_count(2)
    tab_to(page, "#confirm-import")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("handbook:edit", kwargs={"guideline": SLUG, "number": 1})
    expect(page.locator("textarea[name='tips-1-text']")).to_have_value(
        "Meld een mogelijk belangenconflict bij je leidinggevende."
    )

    # Ready for publication: it goes into force today.
    page.locator("input[name='effective_date']").fill(timezone.localdate().isoformat())
    click_and_follow(page, "#save-draft")
    assert path_of(page) == reverse("handbook:version", kwargs={"guideline": SLUG, "number": 1})
    expect(page.locator("#draft-banner")).to_be_visible()

    # Four-eyes: the author may not publish it.
    visit(page, reverse("handbook:editor", kwargs={"guideline": SLUG}))
    click_and_follow(page, "#publish-draft")
    assert path_of(page) == reverse("handbook:publish", kwargs={"guideline": SLUG, "number": 1})
    expect(page.locator("#publish-blockers")).to_be_visible()
    expect(page.locator("#publish-button")).to_have_count(0)


def a_colleague_publishes_it_by_keyboard(page, live_server, colleague, secret):
    from handbook.models import GuidelineVersion

    login_by_keyboard(page, live_server, colleague, totp_secret=secret)
    tab_to(page, f"header nav a[href='{reverse('handbook:library')}']")
    press_and_follow(page, "Enter")
    tab_to(page, f"#library-{SLUG} th a")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("handbook:editor", kwargs={"guideline": SLUG})
    tab_to(page, "#publish-draft")
    press_and_follow(page, "Enter")
    expect(page.locator("#publish-blockers")).to_have_count(0)
    tab_to(page, "#publish-button", max_presses=80)
    press_and_follow(page, "Enter")

    version = GuidelineVersion.objects.get(guideline__slug=SLUG, number=1)
    assert version.status == GuidelineVersion.Status.PUBLISHED
    assert version.published_by == colleague
    assert version.tips.count() == 2

    # Staff can read it now, on its own pages.
    visit(page, reverse("handbook:current", kwargs={"guideline": SLUG}))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Meld een mogelijk belangenconflict")


def hr_sets_the_onboarding_to_both_guidelines_by_keyboard(page, live_server, hr, secret):
    from campaigns.services import onboarding_rule
    from handbook.models import Guideline

    login_by_keyboard(page, live_server, hr, totp_secret=secret)
    tab_to(page, f"header nav a[href='{reverse('campaigns:list')}']")
    press_and_follow(page, "Enter")
    tab_to(page, "#onboarding-rule")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("campaigns:onboarding")
    expect(page.locator("#onboarding-guidelines tbody tr")).to_have_count(1)
    tab_to(page, "#change-onboarding-guidelines")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("campaigns:onboarding_guidelines")

    # The social-media guideline is asked already, the new one not yet.
    social = Guideline.objects.get(slug=SOCIAL_SLUG)
    code = Guideline.objects.get(slug=SLUG)
    expect(page.locator(f"#id_ask_{social.pk}")).to_be_checked()
    expect(page.locator(f"#id_ask_{code.pk}")).not_to_be_checked()
    days = {social.pk: SOCIAL_DAYS, code.pk: CODE_DAYS}
    # Forward through the form, one guideline's group after the other, as it is shown.
    for name in page.locator("main form input[name^='ask_']").evaluate_all(
        "boxes => boxes.map(box => box.name)"
    ):
        pk = int(name.removeprefix("ask_"))
        if pk == code.pk:
            tab_to(page, f"#id_ask_{pk}")
            page.keyboard.press("Space")
            expect(page.locator(f"#id_ask_{pk}")).to_be_checked()
        type_into(page, f"#id_days_{pk}", str(days[pk]))
    tab_to(page, "#save-onboarding-guidelines")
    press_and_follow(page, "Enter")

    assert path_of(page) == reverse("campaigns:onboarding")
    rows = page.locator("#onboarding-guidelines tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=TITLE).locator("td")).to_contain_text(str(CODE_DAYS))
    expect(rows.filter(has_text=SOCIAL_TITLE).locator("td")).to_contain_text(str(SOCIAL_DAYS))
    rule = onboarding_rule()
    assert dict(rule.subjects.values_list("guideline__slug", "due_days")) == {
        SOCIAL_SLUG: SOCIAL_DAYS,
        SLUG: CODE_DAYS,
    }


def the_employee_sees_both_signs_one_and_sees_the_other_open(page, live_server, employee):
    from acknowledgements.models import Acknowledgement
    from campaigns.models import Assignment

    login_by_keyboard(page, live_server, employee)
    assert path_of(page) == reverse("home")
    due = page.locator("#home-due li[id^='due-']")
    expect(due).to_have_count(2)
    # The nearest due date first, each under its guideline's title.
    expect(due.nth(0)).to_contain_text(SOCIAL_TITLE)
    expect(due.nth(0)).to_contain_text(_dutch_date(_day(SOCIAL_DAYS)))
    expect(due.nth(1)).to_contain_text(TITLE)
    expect(due.nth(1)).to_contain_text(_dutch_date(_day(CODE_DAYS)))

    tab_to(page, due.nth(0).get_by_role("link"), max_presses=60)
    press_and_follow(page, "Enter")
    read_pass_and_sign(page, employee)
    signed = Acknowledgement.objects.get(employee=employee)
    assert signed.version.guideline.slug == SOCIAL_SLUG

    visit(page, reverse("home"))
    expect(due).to_have_count(1)
    expect(due.first).to_contain_text(TITLE)
    expect(due.first).not_to_contain_text(SOCIAL_TITLE)
    still_open = Assignment.objects.get(employee=employee, signed_at__isnull=True)
    assert still_open.guideline.slug == SLUG


def _mail_text(message) -> str:
    html = "".join(content for content, _mimetype in message.alternatives)
    return f"{message.subject}\n{message.body}\n{html}"


def the_reminder_lists_only_what_is_open(employee, idle_colleague):
    mail.outbox.clear()
    call_command("run_campaigns", date=_day(REMINDER_DAY).isoformat(), stdout=io.StringIO())
    to_employee = [m for m in mail.outbox if m.to == [employee.email]]
    to_colleague = [m for m in mail.outbox if m.to == [idle_colleague.email]]

    # The employee who signed the social-media guideline: one mail, for the code only.
    assert len(to_employee) == 1, [m.subject for m in to_employee]
    text = _mail_text(to_employee[0])
    assert TITLE in text, text
    assert reverse("handbook:current", kwargs={"guideline": SLUG}) in text, text
    # Neither in its subject nor in its text may the mail name the signed guideline.
    assert "sociale media" not in text.lower(), f"the mail names the signed guideline:\n{text}"
    assert reverse("handbook:current", kwargs={"guideline": SOCIAL_SLUG}) not in text, text

    # The colleague who did nothing: both guidelines in one mail, never a mail for each.
    assert len(to_colleague) == 1, (
        f"one reminder mail per person expected, got {len(to_colleague)}: "
        f"{[m.subject for m in to_colleague]}"
    )
    text = _mail_text(to_colleague[0])
    assert TITLE in text and SOCIAL_TITLE in text, text


# --------------------------------------------------------------------------- the journey


def test_a_second_guideline_is_made_asked_of_newcomers_done_and_reminded_of(
    page,
    second_page,
    live_server,
    editor_with_totp,
    colleague_editor,
    hr_with_totp,
    social_media,
    newcomers,
    tmp_path,
):
    editor, editor_secret = editor_with_totp
    login_by_keyboard(page, live_server, editor, totp_secret=editor_secret)
    an_editor_creates_the_guideline_by_keyboard_and_imports_its_text(page, editor, tmp_path)

    colleague, colleague_secret = colleague_editor
    a_colleague_publishes_it_by_keyboard(second_page, live_server, colleague, colleague_secret)

    _log_out_by_keyboard(page)
    hr, hr_secret = hr_with_totp
    hr_sets_the_onboarding_to_both_guidelines_by_keyboard(page, live_server, hr, hr_secret)

    # The periodic command gives the newcomers their assignments; nothing is due yet.
    mail.outbox.clear()
    call_command("run_campaigns", stdout=io.StringIO())
    assert mail.outbox == []
    nina, otto = newcomers
    _log_out_by_keyboard(page)
    the_employee_sees_both_signs_one_and_sees_the_other_open(page, live_server, nina)

    the_reminder_lists_only_what_is_open(nina, otto)
