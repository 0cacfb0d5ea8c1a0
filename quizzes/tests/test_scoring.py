"""Scoring on the server: single and multiple answers, the pass mark, once only."""

import pytest

from quizzes.models import Answer, Attempt
from quizzes.services import AlreadySubmitted, Unanswered, submit_attempt
from quizzes.tests.factories import (
    QuestionFactory,
    quiz_version,
    right_options,
    served_attempt,
    submitted_attempt,
    wrong_option,
)


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


def test_a_single_answer_question_is_right_with_the_right_option(version):
    question = QuestionFactory(version=version, options=[False, True, False])

    attempt = submitted_attempt(
        version=version,
        questions=[question],
        answers={question: right_options(question)},
    )

    answer = Answer.objects.get(served__attempt=attempt)
    assert answer.is_correct is True
    assert list(answer.chosen.all()) == right_options(question)


def test_a_single_answer_question_is_wrong_with_a_wrong_option(version):
    question = QuestionFactory(version=version, options=[False, True, False])

    attempt = submitted_attempt(
        version=version, questions=[question], answers={question: [wrong_option(question)]}
    )

    assert Answer.objects.get(served__attempt=attempt).is_correct is False


def test_a_multiple_answer_question_is_right_with_exactly_the_right_options(version):
    question = QuestionFactory(version=version, multiple_answers=True)

    attempt = submitted_attempt(
        version=version, questions=[question], answers={question: right_options(question)}
    )

    assert Answer.objects.get(served__attempt=attempt).is_correct is True


def test_a_multiple_answer_question_is_wrong_with_only_some_right_options(version):
    question = QuestionFactory(version=version, multiple_answers=True)

    attempt = submitted_attempt(
        version=version, questions=[question], answers={question: right_options(question)[:1]}
    )

    assert Answer.objects.get(served__attempt=attempt).is_correct is False


def test_a_multiple_answer_question_is_wrong_with_a_wrong_option_added(version):
    question = QuestionFactory(version=version, multiple_answers=True)
    chosen = [*right_options(question), wrong_option(question)]

    attempt = submitted_attempt(version=version, questions=[question], answers={question: chosen})

    answer = Answer.objects.get(served__attempt=attempt)
    assert answer.is_correct is False
    assert answer.chosen.count() == 3


def test_the_score_counts_the_right_answers_and_passes_at_the_pass_mark(version):
    questions = [QuestionFactory(version=version) for _ in range(5)]

    attempt = submitted_attempt(version=version, questions=questions, right=questions[:4])

    assert (attempt.correct_count, attempt.question_count) == (4, 5)
    assert attempt.score_percent == 80
    assert attempt.passed is True


def test_below_the_pass_mark_the_attempt_fails(version):
    questions = [QuestionFactory(version=version) for _ in range(5)]

    attempt = submitted_attempt(version=version, questions=questions, right=questions[:3])

    assert attempt.correct_count == 3
    assert attempt.passed is False


def test_the_pass_mark_is_the_one_frozen_in_the_attempt(version):
    questions = [QuestionFactory(version=version) for _ in range(4)]

    attempt = submitted_attempt(
        version=version, questions=questions, right=questions[:3], pass_mark=75
    )

    assert attempt.passed is True


def test_unanswered_questions_are_refused_and_nothing_is_scored(version):
    questions = [QuestionFactory(version=version) for _ in range(3)]
    attempt = served_attempt(version=version, questions=questions)

    with pytest.raises(Unanswered) as caught:
        submit_attempt(
            employee=attempt.employee,
            attempt_id=attempt.pk,
            answers={questions[1].pk: [right_options(questions[1])[0].pk]},
        )

    assert caught.value.positions == [1, 3]
    assert not Answer.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_an_attempt_is_scored_once(version):
    attempt = submitted_attempt(version=version)
    answers = {
        served.question_id: [wrong_option(served.question).pk]
        for served in attempt.served.select_related("question")
    }

    with pytest.raises(AlreadySubmitted):
        submit_attempt(employee=attempt.employee, attempt_id=attempt.pk, answers=answers)

    attempt.refresh_from_db()
    assert attempt.correct_count == attempt.question_count
    assert Answer.objects.filter(served__attempt=attempt, is_correct=True).count() == 2
