"""The daily limit on attempts, an open attempt picked up again, and expiry."""

import datetime

import pytest
from django.utils import timezone

from people.tests.factories import EmployeeFactory
from quizzes.models import Answer, Attempt
from quizzes.selectors import attempts_left_today, has_passed, latest_attempts
from quizzes.services import (
    AttemptExpired,
    DailyLimitReached,
    start_attempt,
    submit_attempt,
)
from quizzes.tests.factories import quiz_version, right_answers, submitted_attempt, wrong_answers


@pytest.fixture
def version(db):
    return quiz_version(tips=2, attempts_per_day=2, minutes_per_attempt=30)


@pytest.fixture
def employee(db):
    return EmployeeFactory()


def _fail(employee, version, **kwargs):
    attempt = start_attempt(employee=employee, version=version, **kwargs)
    return submit_attempt(
        employee=employee, attempt_id=attempt.pk, answers=wrong_answers(attempt), **kwargs
    )


def test_attempts_left_today_counts_down(version, employee):
    assert attempts_left_today(employee=employee, version=version) == 2

    _fail(employee, version)

    assert attempts_left_today(employee=employee, version=version) == 1


def test_no_attempt_can_start_beyond_the_daily_limit(version, employee):
    _fail(employee, version)
    _fail(employee, version)

    with pytest.raises(DailyLimitReached):
        start_attempt(employee=employee, version=version)

    assert Attempt.objects.count() == 2


def test_the_limit_starts_again_the_next_day(version, employee):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    _fail(employee, version, now=yesterday)
    _fail(employee, version, now=yesterday)

    assert attempts_left_today(employee=employee, version=version) == 2
    start_attempt(employee=employee, version=version)


def test_the_limit_is_per_employee(version, employee):
    _fail(employee, version)
    _fail(employee, version)

    assert attempts_left_today(employee=EmployeeFactory(), version=version) == 2


def test_starting_twice_returns_the_open_attempt(version, employee):
    first = start_attempt(employee=employee, version=version)

    second = start_attempt(employee=employee, version=version)

    assert second == first
    assert Attempt.objects.count() == 1


def test_an_expired_attempt_cannot_be_submitted_and_nothing_is_stored(version, employee):
    attempt = start_attempt(employee=employee, version=version)
    later = timezone.now() + datetime.timedelta(minutes=31)

    with pytest.raises(AttemptExpired):
        submit_attempt(
            employee=employee, attempt_id=attempt.pk, answers=right_answers(attempt), now=later
        )

    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.correct_count is None
    assert not Answer.objects.exists()


def test_an_expired_attempt_is_not_picked_up_again(version, employee):
    earlier = timezone.now() - datetime.timedelta(minutes=31)
    expired = start_attempt(employee=employee, version=version, now=earlier)

    fresh = start_attempt(employee=employee, version=version)

    assert fresh != expired


def test_has_passed_is_true_after_a_passed_attempt_only(version, employee):
    submitted_attempt(employee=employee, version=version, right=False)
    assert has_passed(employee=employee, version=version) is False

    submitted_attempt(employee=employee, version=version, right=True)

    assert has_passed(employee=employee, version=version) is True
    assert has_passed(employee=employee, version=version, purpose=Attempt.Purpose.CHANGES) is False


def test_latest_attempts_are_the_employees_own_newest_first(version, employee):
    older = submitted_attempt(
        employee=employee, version=version, submitted_at=timezone.now() - datetime.timedelta(1)
    )
    newer = submitted_attempt(employee=employee, version=version)
    submitted_attempt(version=version)  # someone else's

    assert list(latest_attempts(employee=employee, version=version)) == [newer, older]
