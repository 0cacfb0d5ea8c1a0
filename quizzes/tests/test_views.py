"""The quiz pages: start, attempt, result; in Dutch and in English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from handbook.tests.factories import GuidelineFactory, published_version
from handbook.tests.utils import nl
from portal.testing.html import attribute, error_summary, one, parse, select, text, text_of
from quizzes.models import Attempt
from quizzes.tests.factories import (
    QuestionFactory,
    attempt_url,
    post_data,
    quiz_url,
    quiz_version,
    right_answers,
    served_attempt,
    submitted_attempt,
    wrong_answers,
)

START = quiz_url("start")


def _html(response) -> str:
    return response.content.decode()


def _attempt_url(attempt) -> str:
    return attempt_url(attempt)


def _result_url(attempt) -> str:
    return attempt_url(attempt, "result")


@pytest.fixture
def version(db):
    return quiz_version(tips=3, questions_per_attempt=3, attempts_per_day=3, pass_mark=80)


# --------------------------------------------------------------------------- start page


@pytest.mark.django_db
def test_the_quiz_pages_require_login(client, version):
    response = client.get(START)

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_the_start_page_explains_the_settings_in_plain_words(employee_client, version):
    response = employee_client.get(START)

    html = _html(response)
    assert response.status_code == 200
    assert (
        nl("You pass with at least %(mark)s%% right: %(needed)s of %(total)s.")
        % {
            "mark": 80,
            "needed": 3,
            "total": 3,
        }
        in html
    )
    assert 'id="start-quiz"' in html
    assert 'id="no-attempts"' in html


def test_the_start_page_lists_the_employees_own_attempts_with_score(
    employee, employee_client, version
):
    mine = submitted_attempt(employee=employee, version=version, right=False)
    other = submitted_attempt(version=version)

    html = _html(employee_client.get(START))

    assert f'id="attempt-row-{mine.pk}"' in html
    assert f'id="attempt-row-{other.pk}"' not in html
    assert nl("Not passed") in html
    assert _result_url(mine) in html


def test_the_start_page_without_a_bank_says_the_quiz_is_not_ready(employee_client, db):
    published_version(GuidelineFactory(), effective_date=timezone.localdate())

    response = employee_client.get(START)

    assert response.status_code == 200
    assert 'data-reason="no_bank"' in _html(response)
    assert 'id="start-quiz"' not in _html(response)


def test_the_start_page_without_a_current_version_says_so(employee_client, db):
    published_version(GuidelineFactory(), effective_date=datetime.date(2999, 1, 1))

    response = employee_client.get(START)

    assert 'data-reason="no_current"' in _html(response)


def test_the_quiz_of_a_guideline_that_does_not_exist_is_not_found(employee_client):
    response = employee_client.get(START)

    assert response.status_code == 404


def test_the_start_page_without_attempts_left_has_no_start_button(
    employee, employee_client, version
):
    for _ in range(3):
        submitted_attempt(employee=employee, version=version, right=False)

    html = _html(employee_client.get(START))

    assert 'id="start-quiz"' not in html
    assert nl("You have no attempts left today. You can try again tomorrow.") in html


def test_pressing_start_makes_an_attempt_and_opens_it(employee, employee_client, version):
    response = employee_client.post(START, {"purpose": "full"})

    attempt = Attempt.objects.get(employee=employee)
    assert response.status_code == 302
    assert response["Location"] == _attempt_url(attempt)
    assert attempt.question_count == 3
    assert attempt.language == "nl"


def test_start_beyond_the_daily_limit_is_refused_with_429(employee, employee_client, version):
    for _ in range(3):
        submitted_attempt(employee=employee, version=version, right=False)

    response = employee_client.post(START, {"purpose": "full"})

    assert response.status_code == 429
    assert 'data-code="daily_limit"' in _html(response)
    assert Attempt.objects.filter(employee=employee).count() == 3


def test_the_changes_quiz_cannot_be_started_without_a_passed_earlier_version(
    employee, employee_client, version
):
    response = employee_client.post(START, {"purpose": "changes"})

    assert response.status_code == 400
    assert not Attempt.objects.filter(employee=employee).exists()


def test_an_unknown_purpose_is_refused(employee, employee_client, version):
    response = employee_client.post(START, {"purpose": "alles-goed"})

    assert response.status_code == 400
    assert not Attempt.objects.exists()


# --------------------------------------------------------------------------- attempt page


def test_the_attempt_page_shows_each_question_as_a_fieldset_with_a_legend(
    employee, employee_client, version
):
    multiple = QuestionFactory(version=version, multiple_answers=True, tips=[1])
    attempt = served_attempt(
        employee=employee, questions=[*version.questions.exclude(pk=multiple.pk), multiple]
    )

    page = parse(employee_client.get(_attempt_url(attempt)))

    questions = select(page, "form fieldset")
    assert len(questions) == 4
    assert all(len(select(question, "legend")) == 1 for question in questions)
    assert len(select(page, "input[type=radio]")) == 9
    assert len(select(page, "fieldset#question-4 input[type=checkbox]")) == 4
    assert text_of(page, "fieldset#question-4 p#question-4-hint") == nl(
        "Choose all correct answers."
    )
    assert attribute(page, "fieldset#question-4", "aria-describedby") == "question-4-hint"


def test_the_options_are_shown_in_the_order_served(employee, employee_client, version):
    question = version.questions.first()
    attempt = served_attempt(employee=employee, questions=[question])
    served = attempt.served.get()
    served.option_order = list(reversed(served.option_order))
    served.save()

    html = _html(employee_client.get(_attempt_url(attempt)))

    positions = [html.index(f'id="option-{pk}"') for pk in served.option_order]
    assert positions == sorted(positions)


def test_a_submitted_attempt_page_leads_to_the_result(employee, employee_client, version):
    attempt = submitted_attempt(employee=employee, version=version)

    response = employee_client.get(_attempt_url(attempt))

    assert response.status_code == 302
    assert response["Location"] == _result_url(attempt)


def test_submitting_all_answers_scores_and_shows_the_result(employee, employee_client, version):
    attempt = served_attempt(employee=employee, version=version)

    response = employee_client.post(_attempt_url(attempt), post_data(right_answers(attempt)))

    assert response.status_code == 302
    assert response["Location"] == _result_url(attempt)
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.passed) == (3, True)


def test_unanswered_questions_are_listed_and_the_chosen_answers_kept(
    employee, employee_client, version
):
    attempt = served_attempt(employee=employee, version=version)
    answers = right_answers(attempt)
    first = attempt.served.get(position=1)
    chosen = {first.question_id: answers[first.question_id]}

    response = employee_client.post(_attempt_url(attempt), post_data(chosen))

    page = parse(response)
    assert response.status_code == 400
    problems = [message for _target, message in error_summary(page)]
    assert len(problems) == 2
    assert problems[0].startswith(nl("Question %(number)s has no answer") % {"number": 2})
    assert problems[1].startswith(nl("Question %(number)s has no answer") % {"number": 3})
    kept = one(page, f'input[value="{chosen[first.question_id][0]}"]')
    assert "checked" in kept.attributes
    assert "question-2-error" in attribute(page, "#question-2", "aria-describedby").split()
    assert select(page, "#question-2 #question-2-error")
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# --------------------------------------------------------------------------- result page


def test_the_result_shows_score_answers_right_answers_explanations_and_tip_links(
    employee, employee_client, version
):
    questions = list(version.questions.order_by("position"))
    attempt = submitted_attempt(employee=employee, version=version, right=questions[:1])

    response = employee_client.get(_result_url(attempt))
    html = _html(response)

    assert nl("You did not pass this time.") in html
    feedback = select(parse(response), ".quiz-feedback")
    marks = [section.attributes["data-correct"] for section in feedback]
    assert marks == ["true", "false", "false"]
    second = questions[1]
    assert f"{second.key}: optie 2" in html  # the wrong answer chosen
    assert f"{second.key}: uitleg 1" in html  # why
    tip = second.tips.get()
    assert (
        reverse(
            "handbook:tip",
            kwargs={"guideline": "sociale-media", "number": version.number, "tip": tip.number},
        )
        in html
    )
    assert 'id="retake-quiz"' in html


def test_a_passed_result_has_no_retake_button(employee, employee_client, version):
    attempt = submitted_attempt(employee=employee, version=version, right=True)

    html = _html(employee_client.get(_result_url(attempt)))

    assert nl("You passed.") in html
    assert 'id="retake-quiz"' not in html


def test_an_unsubmitted_attempt_has_no_result_yet(employee, employee_client, version):
    attempt = served_attempt(employee=employee, version=version)

    response = employee_client.get(_result_url(attempt))

    assert response.status_code == 302
    assert response["Location"] == _attempt_url(attempt)


def test_a_retake_from_the_result_page_starts_a_new_attempt(employee, employee_client, version):
    attempt = submitted_attempt(employee=employee, version=version, right=False)

    response = employee_client.post(START, {"purpose": attempt.purpose})

    new = Attempt.objects.exclude(pk=attempt.pk).get(employee=employee)
    assert response["Location"] == _attempt_url(new)


# --------------------------------------------------------------------------- languages


def test_the_attempt_page_shows_english_content_in_english(
    english_employee, english_client, version
):
    attempt = served_attempt(employee=english_employee, version=version)
    question = attempt.served.first().question

    response = english_client.get(_attempt_url(attempt))
    html = _html(response)
    page = parse(response)

    assert attribute(page, "html", "lang") == "en"
    assert question.situation_en in html
    assert question.situation not in html
    labels = [
        (label.attributes["lang"], text(label)) for label in select(page, "fieldset label[for]")
    ]
    assert ("en", f"{question.key}: option 1") in labels
    assert "Question 1 of 3" in html


def test_english_falls_back_to_dutch_where_there_is_no_translation(
    english_employee, english_client, version
):
    question = version.questions.first()
    question.situation_en = ""
    question.save()
    attempt = served_attempt(employee=english_employee, questions=[question])

    page = parse(english_client.get(_attempt_url(attempt)))

    situation = select(page, "fieldset legend span[lang]")[0]
    assert (situation.attributes["lang"], text(situation)) == ("nl", question.situation)


def test_the_result_page_in_english(english_employee, english_client, version):
    attempt = submitted_attempt(employee=english_employee, version=version, right=True)

    html = _html(english_client.get(_result_url(attempt)))

    assert "You passed." in html
    assert "You answered 3 of 3 questions right (100%). You needed 80%." in html
    assert "explanation 1" in html


def test_the_start_page_in_english(english_client, version):
    html = _html(english_client.get(START))

    assert "You pass with at least 80% right: 3 of 3." in html
    assert "Start the quiz" in html


def test_the_start_page_in_dutch_uses_the_dutch_translation(employee_client, version):
    response = employee_client.get(START)

    assert attribute(parse(response), "html", "lang") == "nl"
    assert nl("Start the quiz") in _html(response)


def test_the_changes_quiz_is_offered_to_who_signed_the_previous_version(employee, employee_client):
    from acknowledgements.tests.factories import read_all_tips, signed
    from handbook.models import Tip

    first = quiz_version(tips=2, effective_date=datetime.date(2026, 1, 1))
    submitted_attempt(employee=employee, version=first, right=True)
    read_all_tips(employee, first)
    signed(employee, first)
    lineages = [t.lineage for t in first.tips.order_by("number")]
    second = published_version(
        first.guideline,
        number=2,
        tips=["Tip 1.", "Tip 2, anders."],
        based_on=first,
        lineages=lineages,
        changes=[Tip.Change.UNCHANGED, Tip.Change.MATERIAL],
        effective_date=timezone.localdate(),
    )

    html = _html(employee_client.get(START))  # copies version 1's bank on the way

    assert second.questions.count() == 2
    assert 'id="start-changes-quiz"' in html
    response = employee_client.post(START, {"purpose": "changes"})
    attempt = Attempt.objects.get(employee=employee, version=second)
    assert response["Location"] == _attempt_url(attempt)
    assert attempt.purpose == Attempt.Purpose.CHANGES
    assert list(attempt.served.values_list("question__key", flat=True)) == ["tip2-1"]


def test_wrong_answers_helper_fails_the_attempt(employee, employee_client, version):
    attempt = served_attempt(employee=employee, version=version)

    employee_client.post(_attempt_url(attempt), post_data(wrong_answers(attempt)))

    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.passed) == (0, False)
