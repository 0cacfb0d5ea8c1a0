"""The yearly round in a real browser (issue 20): an employee who signed version 1 in
last year's round opens the portal during this year's "Jaarlijkse herbevestiging", where
everyone signs again. The home page and My overview ask them to sign again; they read
every tip again, pass the quiz again and sign, all by keyboard, see a receipt naming
the round, and find both years' signatures in My overview. Every page passes axe-core
(WCAG 2.1 AA).

The version is small and known: three tips, two questions per tip (so the second quiz
can be drawn from questions the first one did not ask), options in bank order; the test
reads the right answers from the database.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from acknowledgements.models import Acknowledgement, TipRead
from campaigns.services import round_start
from e2e.helpers import (
    login_by_keyboard,
    path_of,
    press_and_follow,
    tab_to,
    type_into,
    visit,
)
from quizzes.models import Attempt

pytestmark = pytest.mark.e2e

LAST_YEAR = "Jaarlijkse bevestiging 2025"
THIS_YEAR = "Jaarlijkse herbevestiging 2026"
GUIDELINE = {"guideline": "sociale-media"}


@pytest.fixture
def version(transactional_db):
    from campaigns.tests.hr_support import day
    from quizzes.tests.factories import quiz_version

    return quiz_version(
        tips=3,
        per_tip=2,
        questions_per_attempt=3,
        shuffle_options=False,
        effective_date=day(-500),
    )


@pytest.fixture
def last_year(employee, version) -> Acknowledgement:
    """2025: a round for who has not signed; the employee read, passed and signed then
    (what they read and answered moved back to that day, as it happened)."""
    from acknowledgements.tests.factories import ready_to_sign, signed
    from campaigns import services
    from campaigns.tests.hr_support import at, day, launched
    from quizzes.tests.factories import submitted_attempt

    campaign = launched(
        version, name=LAST_YEAR, start_date=day(-400), deadline=day(-370), now=at(-400)
    )
    # Last year's quiz asked three of the six questions.
    ready_to_sign(employee, version, passed=None)
    submitted_attempt(
        employee=employee, version=version, questions=version.questions.order_by("pk")[:3]
    )
    record = signed(employee, version, now=at(-390))
    TipRead.objects.filter(employee=employee).update(
        first_opened_at=at(-390), last_opened_at=at(-390)
    )
    Attempt.objects.filter(employee=employee).update(started_at=at(-390), submitted_at=at(-390))
    services.close_campaign(campaign=campaign, by=None)
    return record


@pytest.fixture
def this_year(version, last_year):
    """2026: the round where everyone signs again, started five days ago."""
    from campaigns.models import Campaign
    from campaigns.tests.hr_support import day, launched

    return launched(
        version,
        name=THIS_YEAR,
        signing=Campaign.Signing.AGAIN,
        start_date=day(-5),
        deadline=day(25),
    )


def _choose_by_keyboard(page, option) -> None:
    """Tick a right answer with the keyboard: Space on a checkbox; in a group of radio
    buttons, Tab into the group, Space, then the arrow keys to the right one."""
    answer = page.locator(f"#option-{option.pk}")
    if answer.get_attribute("type") != "radio":
        tab_to(page, answer, max_presses=80)
        page.keyboard.press("Space")
        return
    group = page.locator(f"input[name='{answer.get_attribute('name')}']")
    tab_to(page, group.first, max_presses=80)
    page.keyboard.press("Space")
    for _ in range(group.count()):
        if answer.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(answer).to_be_checked()


def _pass_the_quiz_again(page, employee, *, asked_before: set[int]) -> None:
    visit(page, reverse("quizzes:start", kwargs=GUIDELINE))
    expect(page.locator("#quiz-passed")).to_have_count(0)  # last year's pass does not count
    tab_to(page, "#start-quiz")
    press_and_follow(page, "Enter")
    attempt = Attempt.objects.filter(employee=employee).latest("pk")
    served = list(attempt.served.select_related("question"))
    # The bank has six questions: none of last year's three is asked again.
    assert {s.question_id for s in served}.isdisjoint(asked_before)
    for item in served:
        for option in item.question.options.filter(is_correct=True):
            _choose_by_keyboard(page, option)
    tab_to(page, "#submit-attempt", max_presses=80)
    press_and_follow(page, "Enter")
    expect(page.locator("#result-summary")).to_have_attribute("data-passed", "true")


def test_employee_who_signed_last_year_signs_again_in_the_yearly_round(
    page, live_server, employee, version, last_year, this_year
):
    asked_last_year = set(
        Attempt.objects.get(employee=employee).served.values_list("question_id", flat=True)
    )
    login_by_keyboard(page, live_server, employee)

    # The home page: this year's round is due, although version 1 was signed last year.
    assignment = this_year.assignments.get(employee=employee)
    expect(page.locator(f"#home-due #due-{assignment.pk}")).to_be_visible()
    home_guideline = page.locator("#home-guideline-sociale-media")
    expect(home_guideline.locator(".home-round")).to_contain_text(THIS_YEAR)
    expect(home_guideline.locator(".home-signed")).to_have_count(0)

    # My overview asks to sign again, for the round, and lists last year's signature.
    tab_to(page, "#home-overview")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("acknowledgements:overview")
    asked = page.locator("#guideline-sociale-media")
    expect(asked).to_have_attribute("data-signed", "false")
    expect(asked.locator(".asked-round")).to_contain_text(THIS_YEAR)
    code_last_year = last_year.entry.verification_code
    expect(page.locator(f"#record-{code_last_year}")).to_contain_text(LAST_YEAR)

    # The signing page says this is the round, and that everything counts from its start.
    tab_to(page, asked.locator("a.sign-link"))
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("signing:sign", kwargs=GUIDELINE)
    expect(page.locator("#signing-round")).to_contain_text(THIS_YEAR)
    expect(page.locator("#unread-tips li")).to_have_count(3)
    expect(page.locator("#quiz-missing")).to_be_visible()
    expect(page.locator("#sign-form")).to_have_count(0)

    # Read every tip again, by keyboard: the first from the list, then "next" to the end.
    tab_to(page, page.locator("#unread-tips a").first)
    press_and_follow(page, "Enter")
    for number in (2, 3):
        tab_to(page, "#next-tip")
        press_and_follow(page, "Enter")
        assert path_of(page) == reverse("handbook:current_tip", kwargs={**GUIDELINE, "tip": number})
    read_again = TipRead.objects.filter(
        employee=employee, last_opened_at__gte=round_start(campaign=this_year)
    )
    assert read_again.count() == 3

    _pass_the_quiz_again(page, employee, asked_before=asked_last_year)

    # Sign by keyboard.
    visit(page, reverse("signing:sign", kwargs=GUIDELINE))
    expect(page.locator("#signing-round")).to_contain_text(THIS_YEAR)
    type_into(page, "#id_typed_name", employee.full_name)
    tab_to(page, "#id_confirmed")
    page.keyboard.press("Space")
    expect(page.locator("#id_confirmed")).to_be_checked()
    tab_to(page, "#sign-button")
    press_and_follow(page, "Enter")

    # The receipt names the round; the ledger holds a second signature of version 1.
    record = Acknowledgement.objects.select_related("entry").get(
        employee=employee, campaign_id=this_year.pk
    )
    code = record.entry.verification_code
    assert code != code_last_year
    assert record.version_id == last_year.version_id
    assert path_of(page) == reverse("acknowledgements:receipt", args=[code])
    expect(page.locator("#verification-code")).to_have_text(code)
    expect(page.locator("#record-round")).to_have_text(THIS_YEAR)

    # My overview: done, and both years' signatures with the round each was for.
    visit(page, reverse("acknowledgements:overview"))
    expect(page.locator("#guideline-sociale-media")).to_have_attribute("data-signed", "true")
    expect(page.locator("#records-table tbody tr")).to_have_count(2)
    for row_code, round_name in ((code, THIS_YEAR), (code_last_year, LAST_YEAR)):
        row = page.locator(f"#record-{row_code}")
        expect(row).to_contain_text(round_name)
        certificate = reverse("acknowledgements:certificate", args=[row_code])
        expect(row.locator(f'a[href="{certificate}"]')).to_have_count(1)

    # Nothing is due any more.
    visit(page, reverse("home"))
    expect(page.locator(f"#due-{assignment.pk}")).to_have_count(0)
    home_guideline = page.locator("#home-guideline-sociale-media")
    expect(home_guideline.locator(".home-round")).to_have_count(0)
    expect(home_guideline.locator(".home-signed")).to_be_visible()
