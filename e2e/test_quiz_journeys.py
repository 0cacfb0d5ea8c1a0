"""The quiz in a real browser, by keyboard only: fail, read the feedback, retake, pass.

Every page on the way passes axe-core (WCAG 2.1 A and AA). The bank is small and known:
three questions (the second with more than one right answer), all three served, options
shuffled; the test reads the served order and the right answers from the database.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from e2e.helpers import login_by_keyboard, path_of, press_and_follow, tab_to, visit
from quizzes.models import Attempt, AttemptQuestion
from quizzes.tests.factories import attempt_url, quiz_url

pytestmark = pytest.mark.e2e


@pytest.fixture
def quiz(transactional_db):
    from quizzes.tests.factories import quiz_version

    return quiz_version(
        tips=3,
        multiple=[2],
        questions_per_attempt=3,
        attempts_per_day=3,
        shuffle_options=True,
    )


def _latest_attempt(employee) -> Attempt:
    return Attempt.objects.filter(employee=employee).order_by("-pk").first()


def _served(attempt) -> list[AttemptQuestion]:
    return list(
        attempt.served.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )


def _right_ids(served: AttemptQuestion) -> set[int]:
    return {option.pk for option in served.question.options.all() if option.is_correct}


def _choose_radio(page: Page, served: AttemptQuestion, option_id: int) -> None:
    """Tab into the radio group (it has no choice yet) and pick with the arrow keys."""
    order = served.option_order
    tab_to(page, f"#option-{order[0]}")
    index = order.index(option_id)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#option-{option_id}")).to_be_checked()


def _tick(page: Page, option_id: int) -> None:
    tab_to(page, f"#option-{option_id}")
    page.keyboard.press("Space")
    expect(page.locator(f"#option-{option_id}")).to_be_checked()


def _answer(page: Page, served: AttemptQuestion, *, right: bool) -> None:
    wanted = _right_ids(served)
    if served.question.multiple_answers:
        # Wrong: only one of the right options ticked.
        ticks = [o for o in served.option_order if o in wanted]
        for option_id in ticks if right else ticks[:1]:
            _tick(page, option_id)
        return
    if right:
        choice = next(iter(wanted))
    else:
        choice = next(o for o in served.option_order if o not in wanted)
    _choose_radio(page, served, choice)


def _submit(page: Page) -> None:
    tab_to(page, "#submit-attempt")
    press_and_follow(page, "Enter")


def test_employee_fails_reviews_the_feedback_retakes_and_passes_by_keyboard(
    page, live_server, employee, quiz
):
    login_by_keyboard(page, live_server, employee)
    visit(page, quiz_url("start"))
    expect(page.locator("#quiz-rules")).to_contain_text("3")

    # First attempt: start it, answer every question wrong, submit.
    tab_to(page, "#start-quiz")
    press_and_follow(page, "Enter")
    attempt = _latest_attempt(employee)
    assert path_of(page) == attempt_url(attempt)
    served = _served(attempt)
    assert len(served) == 3
    multiple = next(s for s in served if s.question.multiple_answers)
    hint = page.locator(f"#question-{multiple.position}-hint")
    expect(hint).to_be_visible()
    expect(page.locator(f"#question-{multiple.position}")).to_have_attribute(
        "aria-describedby", f"question-{multiple.position}-hint"
    )
    for item in served:
        _answer(page, item, right=False)
    _submit(page)

    # The result: not passed, and per question the answer, the right one, why, the tip.
    assert path_of(page) == attempt_url(attempt, "result")
    expect(page.locator("#result-summary")).to_have_attribute("data-passed", "false")
    expect(page.locator("#score")).to_contain_text("0")
    first = served[0]
    feedback = page.locator(f"#feedback-{first.position}")
    expect(feedback).to_have_attribute("data-correct", "false")
    right_text = next(o.text for o in first.question.options.all() if o.is_correct)
    expect(feedback.locator(".right-answer")).to_contain_text(right_text)
    expect(feedback.locator(".quiz-explanations li")).to_have_count(len(first.option_order))
    tip_link = feedback.locator(".tip-link").first
    expect(tip_link).to_have_attribute(
        "href",
        reverse(
            "handbook:tip",
            kwargs={
                "guideline": "sociale-media",
                "number": quiz.number,
                "tip": first.question.tips.get().number,
            },
        ),
    )

    # Read the tip the first question is about, then come back to the result.
    tab_to(page, tip_link)
    press_and_follow(page, "Enter")
    expect(page.locator("h1")).to_contain_text(str(first.question.tips.get().number))
    visit(page, attempt_url(attempt, "result"))

    # Retake: forget one question first, and the error summary says which.
    tab_to(page, "#retake-quiz")
    press_and_follow(page, "Enter")
    retake = _latest_attempt(employee)
    assert retake.pk != attempt.pk
    served = _served(retake)
    for item in served[:-1]:
        _answer(page, item, right=True)
    _submit(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(1)
    retake.refresh_from_db()
    assert retake.submitted_at is None
    for item in served[:-1]:  # the answers given are kept
        for option_id in _right_ids(item):
            expect(page.locator(f"#option-{option_id}")).to_be_checked()
    _answer(page, served[-1], right=True)
    _submit(page)

    assert path_of(page) == attempt_url(retake, "result")
    expect(page.locator("#result-summary")).to_have_attribute("data-passed", "true")
    expect(page.locator("#retake-quiz")).to_have_count(0)
    retake.refresh_from_db()
    assert (retake.correct_count, retake.passed) == (3, True)

    # The start page lists both attempts.
    tab_to(page, "#back-to-quiz")
    press_and_follow(page, "Enter")
    expect(page.locator("#attempts-table tbody tr")).to_have_count(2)
    expect(page.locator("#quiz-passed")).to_be_visible()
