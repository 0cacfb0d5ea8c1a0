"""Tampered, repeated, late and foreign submissions: a clear error page, the fitting
status, and nothing stored or changed."""

import datetime

import pytest
from django.utils import timezone

from handbook.tests.utils import nl
from portal.testing.html import attribute, parse, select
from quizzes.models import Answer, Attempt
from quizzes.tests.conftest import client_for
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


@pytest.fixture
def version(db):
    return quiz_version(tips=3, questions_per_attempt=3)


@pytest.fixture
def attempt(employee, version):
    return served_attempt(employee=employee, version=version)


def _state() -> tuple:
    """Everything a submission could change."""
    return (
        list(
            Attempt.objects.order_by("pk").values_list(
                "pk", "submitted_at", "correct_count", "passed"
            )
        ),
        list(Answer.objects.order_by("pk").values_list("pk", "served_id", "is_correct")),
        list(Answer.chosen.through.objects.order_by("pk").values_list("answer_id", "option_id")),
    )


def _submit(client, attempt, data):
    return client.post(attempt_url(attempt), data)


def _assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status
    page = parse(response)
    assert [element.attributes["data-code"] for element in select(page, "[data-code]")] == [code]
    assert attribute(page, "html", "lang") == "nl"


def test_an_answer_to_a_question_that_was_not_served_is_refused(employee_client, attempt, version):
    stranger = QuestionFactory(version=version, tips=[1])
    answers = right_answers(attempt)
    answers[stranger.pk] = [stranger.options.first().pk]
    before = _state()

    response = _submit(employee_client, attempt, post_data(answers))

    _assert_refused(response, 400, "invalid")
    assert nl("The answers name a question that was not part of this attempt.") in (
        response.content.decode()
    )
    assert _state() == before


def test_an_option_of_another_question_is_refused(employee_client, attempt):
    answers = right_answers(attempt)
    first, second = list(attempt.served.order_by("position"))[:2]
    answers[first.question_id] = [second.option_order[0]]
    before = _state()

    response = _submit(employee_client, attempt, post_data(answers))

    _assert_refused(response, 400, "invalid")
    assert _state() == before


def test_an_option_of_an_unserved_question_is_refused(employee_client, attempt, version):
    stranger = QuestionFactory(version=version, tips=[1])
    answers = right_answers(attempt)
    first = attempt.served.get(position=1)
    answers[first.question_id] = [stranger.options.first().pk]
    before = _state()

    response = _submit(employee_client, attempt, post_data(answers))

    _assert_refused(response, 400, "invalid")
    assert _state() == before


def test_two_options_for_a_single_answer_question_are_refused(employee_client, attempt):
    answers = right_answers(attempt)
    first = attempt.served.get(position=1)
    answers[first.question_id] = first.option_order[:2]
    before = _state()

    response = _submit(employee_client, attempt, post_data(answers))

    _assert_refused(response, 400, "invalid")
    assert _state() == before


def test_a_value_that_is_not_a_number_is_refused(employee_client, attempt):
    data = post_data(right_answers(attempt))
    first = attempt.served.get(position=1)
    data[f"question-{first.question_id}"] = ["1 OR 1=1"]
    before = _state()

    response = _submit(employee_client, attempt, data)

    _assert_refused(response, 400, "invalid")
    assert _state() == before


def test_a_field_name_that_is_not_a_question_number_is_refused(employee_client, attempt):
    data = post_data(right_answers(attempt))
    data["question-abc"] = ["1"]
    before = _state()

    response = _submit(employee_client, attempt, data)

    _assert_refused(response, 400, "invalid")
    assert _state() == before


def test_submitting_someone_elses_attempt_is_not_found_and_changes_nothing(other_employee, attempt):
    before = _state()

    response = _submit(client_for(other_employee), attempt, post_data(right_answers(attempt)))

    assert response.status_code == 404
    assert 'data-code="not_found"' in response.content.decode()
    assert _state() == before


def test_someone_elses_attempt_page_is_not_found(other_employee, attempt):
    response = client_for(other_employee).get(attempt_url(attempt))

    assert response.status_code == 404
    assert attempt.served.first().question.situation not in response.content.decode()


def test_someone_elses_result_page_is_not_found(other_employee, employee, version):
    attempt = submitted_attempt(employee=employee, version=version)

    response = client_for(other_employee).get(attempt_url(attempt, "result"))

    assert response.status_code == 404
    assert 'id="score"' not in response.content.decode()


def test_a_manager_cannot_see_a_reports_result(version):
    from people.tests.factories import EmployeeFactory

    manager = EmployeeFactory()
    report = EmployeeFactory(manager=manager)
    attempt = submitted_attempt(employee=report, version=version)

    response = client_for(manager).get(attempt_url(attempt, "result"))

    assert response.status_code == 404


def test_an_attempt_that_does_not_exist_is_not_found(employee_client, db):
    response = employee_client.get(quiz_url("attempt", pk=999999))

    assert response.status_code == 404


def test_a_second_submission_is_refused_with_409_and_changes_nothing(employee_client, attempt):
    _submit(employee_client, attempt, post_data(right_answers(attempt)))
    before = _state()

    response = _submit(employee_client, attempt, post_data(wrong_answers(attempt)))

    _assert_refused(response, 409, "already_submitted")
    assert 'id="see-result"' in response.content.decode()
    assert _state() == before


def test_submitting_an_expired_attempt_is_refused_with_410_and_changes_nothing(
    employee_client, attempt
):
    Attempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    before = _state()

    response = _submit(employee_client, attempt, post_data(right_answers(attempt)))

    _assert_refused(response, 410, "expired")
    assert _state() == before


def test_opening_an_expired_attempt_says_the_time_is_up(employee_client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = employee_client.get(attempt_url(attempt))

    _assert_refused(response, 410, "expired")


def test_the_error_page_is_in_english_for_an_english_employee(english_employee, version):
    attempt = served_attempt(employee=english_employee, version=version)
    client = client_for(english_employee)
    _submit(client, attempt, post_data(right_answers(attempt)))

    response = _submit(client, attempt, post_data(right_answers(attempt)))

    assert response.status_code == 409
    assert "This attempt has already been submitted." in response.content.decode()
    assert attribute(parse(response), "html", "lang") == "en"
