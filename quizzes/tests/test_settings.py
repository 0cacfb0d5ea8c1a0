"""Quiz settings per version: defaults, changes, and their audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.tests.factories import EmployeeFactory
from quizzes.models import QuizEvent, QuizSettings
from quizzes.services import settings_for, update_settings
from quizzes.tests.factories import quiz_version


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


def test_settings_for_creates_the_defaults_once(version):
    first = settings_for(version=version)
    second = settings_for(version=version)

    assert first == second
    assert (first.questions_per_attempt, first.pass_mark, first.attempts_per_day) == (10, 80, 3)
    assert QuizSettings.objects.count() == 1


def test_update_settings_changes_the_values_and_logs_old_and_new(version, editor):
    update_settings(version=version, actor=editor, pass_mark=70, questions_per_attempt=10)

    assert settings_for(version=version).pass_mark == 70
    event = QuizEvent.objects.get()
    assert event.kind == QuizEvent.Kind.SETTINGS_CHANGED
    assert event.actor == editor
    assert event.details == {"changes": {"pass_mark": [80, 70]}}


def test_update_settings_without_a_change_logs_nothing(version, editor):
    update_settings(version=version, actor=editor, pass_mark=80)

    assert not QuizEvent.objects.exists()


def test_update_settings_refuses_an_invalid_value(version, editor):
    with pytest.raises(ValidationError):
        update_settings(version=version, actor=editor, pass_mark=150)

    assert settings_for(version=version).pass_mark == 80
    assert not QuizEvent.objects.exists()


def test_update_settings_requires_the_permission(version):
    with pytest.raises(PermissionDenied):
        update_settings(version=version, actor=EmployeeFactory(), pass_mark=50)


def test_update_settings_refuses_unknown_fields(version, editor):
    with pytest.raises(TypeError):
        update_settings(version=version, actor=editor, colour="blue")
