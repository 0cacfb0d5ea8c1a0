"""The quiz in the admin site: attempts and events read-only, questions with options."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from people.tests.factories import EmployeeFactory
from quizzes.admin import AttemptAdmin, QuizEventAdmin
from quizzes.models import Attempt, QuizEvent
from quizzes.services import prune_answers
from quizzes.tests.factories import quiz_version, submitted_attempt


@pytest.fixture
def superuser(db, settings):
    settings.PORTAL_MFA_REQUIRED = False
    return EmployeeFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_request(superuser):
    request = RequestFactory().get("/beheer/")
    request.user = superuser
    return request


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_attempts_cannot_be_added_changed_or_deleted_in_the_admin(superuser_request):
    model_admin = AttemptAdmin(Attempt, admin.site)
    attempt = submitted_attempt()

    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request, attempt)
    assert not model_admin.has_delete_permission(superuser_request, attempt)
    assert model_admin.has_view_permission(superuser_request, attempt)


def test_quiz_events_cannot_be_added_changed_or_deleted_in_the_admin(superuser_request):
    model_admin = QuizEventAdmin(QuizEvent, admin.site)
    prune_answers()
    event = QuizEvent.objects.get()

    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request, event)
    assert not model_admin.has_delete_permission(superuser_request, event)


def test_an_attempt_page_in_the_admin_shows_the_score_not_the_answers(admin_client):
    attempt = submitted_attempt()
    question = attempt.served.first().question

    response = admin_client.get(reverse("admin:quizzes_attempt_change", args=[attempt.pk]))

    assert response.status_code == 200
    assert f"{question.key}: optie 1" not in response.content.decode()


def test_the_question_admin_offers_only_the_tips_of_the_questions_version(admin_client):
    version = quiz_version(tips=2)
    other = quiz_version(tips=3, number=2, guideline=version.guideline)
    question = version.questions.first()

    response = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))

    field = response.context["adminform"].form.fields["tips"]
    assert set(field.queryset) == set(version.tips.all())
    assert not set(field.queryset) & set(other.tips.all())


def test_the_question_list_and_add_pages_open(admin_client):
    quiz_version(tips=2)

    assert admin_client.get(reverse("admin:quizzes_question_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:quizzes_question_add")).status_code == 200
    assert admin_client.get(reverse("admin:quizzes_attempt_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:quizzes_quizevent_changelist")).status_code == 200
