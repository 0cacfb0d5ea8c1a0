"""Old answers are removed; scores and pass/fail stay."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes.models import Answer, Attempt, QuizEvent
from quizzes.services import prune_answers
from quizzes.tests.conftest import client_for
from quizzes.tests.factories import (
    attempt_url,
    quiz_version,
    submitted_attempt,
)


@pytest.fixture
def attempts(db, settings):
    settings.QUIZ_ANSWER_RETENTION_DAYS = 30
    version = quiz_version(tips=3)
    now = timezone.now()
    old = submitted_attempt(version=version, submitted_at=now - datetime.timedelta(days=31))
    recent = submitted_attempt(version=version, submitted_at=now - datetime.timedelta(days=29))
    return old, recent


def test_answers_older_than_the_retention_period_are_deleted(attempts):
    old, recent = attempts

    removed = prune_answers()

    assert removed == 3
    assert not Answer.objects.filter(served__attempt=old).exists()
    assert not Answer.chosen.through.objects.filter(answer__served__attempt=old).exists()
    assert Answer.objects.filter(served__attempt=recent).count() == 3


def test_the_score_and_result_stay(attempts):
    old, _recent = attempts

    prune_answers()

    kept = Attempt.objects.get(pk=old.pk)
    assert (kept.correct_count, kept.question_count, kept.passed) == (3, 3, True)
    assert kept.served.count() == 3


def test_pruning_logs_a_quiz_event_with_the_count(attempts):
    prune_answers()

    event = QuizEvent.objects.get()
    assert event.kind == QuizEvent.Kind.ANSWERS_PRUNED
    assert event.details["count"] == 3
    assert event.details["retention_days"] == 30


def test_a_dry_run_counts_and_deletes_nothing(attempts):
    out = io.StringIO()

    call_command("prune_quiz_answers", "--dry-run", stdout=out)

    assert "3 answers" in out.getvalue()
    assert Answer.objects.count() == 6
    assert not QuizEvent.objects.exists()


def test_the_command_deletes_in_bulk_with_a_fixed_number_of_queries(
    attempts, django_assert_max_num_queries
):
    version = attempts[0].version
    for _ in range(5):
        submitted_attempt(
            version=version, submitted_at=timezone.now() - datetime.timedelta(days=40)
        )

    with django_assert_max_num_queries(12):
        call_command("prune_quiz_answers", stdout=io.StringIO())

    assert Answer.objects.count() == 3


def test_the_result_page_says_the_answers_were_removed(attempts):
    old, _recent = attempts
    prune_answers()

    response = client_for(old.employee).get(attempt_url(old, "result"))

    assert response.status_code == 200
    assert 'id="answers-removed"' in response.content.decode()
    assert 'id="score"' in response.content.decode()


def test_a_run_with_nothing_to_remove_is_logged_too(db):
    assert prune_answers() == 0

    assert QuizEvent.objects.get().details["count"] == 0
