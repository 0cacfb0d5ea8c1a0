"""Every quiz page costs a fixed number of queries, however many questions it shows."""

import pytest

from portal.testing.html import parse, select
from quizzes.tests.factories import (
    QuestionFactory,
    attempt_url,
    quiz_url,
    quiz_version,
    served_attempt,
    submitted_attempt,
)

# Six of each are the layout's: session, user, the user's groups, "is a manager?", and
# the two permission look-ups of the menu.
START_QUERIES = 15  # may they take the changes quiz? (2026-11); an open yearly round (issue 20)
ATTEMPT_QUERIES = 10
RESULT_QUERIES = 15  # one fewer since issue 19: the guideline comes with the attempt


def _version(questions: int):
    version = quiz_version(tips=5, per_tip=questions // 5, questions_per_attempt=questions)
    # One question with more than one right answer and two tips, to cover every case.
    QuestionFactory(version=version, multiple_answers=True, tips=[1, 2], is_active=False)
    return version


@pytest.mark.parametrize("questions", [5, 10])
def test_the_start_page_costs_a_fixed_number_of_queries(
    employee, employee_client, django_assert_num_queries, questions
):
    version = _version(questions)
    for _ in range(questions):
        submitted_attempt(employee=employee, version=version, right=False)
    employee_client.get(quiz_url("start"))

    with django_assert_num_queries(START_QUERIES):
        response = employee_client.get(quiz_url("start"))

    assert response.status_code == 200


@pytest.mark.parametrize("questions", [5, 10])
def test_the_attempt_page_costs_a_fixed_number_of_queries(
    employee, employee_client, django_assert_num_queries, questions
):
    version = _version(questions)
    attempt = served_attempt(employee=employee, questions=list(version.questions.all()))
    url = attempt_url(attempt)

    with django_assert_num_queries(ATTEMPT_QUERIES):
        response = employee_client.get(url)

    assert response.status_code == 200
    assert len(select(parse(response), "form fieldset.quiz-question")) == questions + 1


@pytest.mark.parametrize("questions", [5, 10])
def test_the_result_page_costs_a_fixed_number_of_queries(
    employee, employee_client, django_assert_num_queries, questions
):
    version = _version(questions)
    attempt = submitted_attempt(
        employee=employee, questions=list(version.questions.all()), right=False
    )
    url = attempt_url(attempt, "result")

    with django_assert_num_queries(RESULT_QUERIES):
        response = employee_client.get(url)

    assert response.status_code == 200
    assert len(select(parse(response), "section.quiz-feedback")) == questions + 1


@pytest.mark.parametrize("questions", [5, 10])
def test_starting_and_submitting_cost_a_fixed_number_of_queries(
    employee, employee_client, django_assert_max_num_queries, questions
):
    from quizzes.models import Attempt
    from quizzes.tests.factories import post_data, right_answers

    _version(questions)
    with django_assert_max_num_queries(20):
        employee_client.post(quiz_url("start"), {"purpose": "full"})
    attempt = Attempt.objects.get(employee=employee)
    data = post_data(right_answers(attempt))

    with django_assert_max_num_queries(20):
        response = employee_client.post(attempt_url(attempt), data)

    assert response.status_code == 302
