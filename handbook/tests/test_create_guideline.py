"""Creating a guideline (handbook.services.guidelines.create_guideline): its fields, its
audience and its first draft, for editors only, with a unique short name, logged; and a
new version keeps the quiz settings of the one before."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from handbook import services
from handbook.models import Guideline, GuidelineVersion, HandbookEvent
from handbook.services.guidelines import DepartmentInAudience, create_guideline
from handbook.tests.factories import GuidelineFactory, published_version
from people.roles import Role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.models import QuizSettings
from quizzes.selectors import quiz_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return EmployeeFactory(editor=True)


def _create(actor, **fields):
    values = {
        "slug": "privacy",
        "title": "Privacyregels",
        "title_en": "Privacy rules",
        "introduction": "Zo gaan we om met persoonsgegevens.",
        "introduction_en": "How we handle personal data.",
    }
    return create_guideline(actor=actor, **{**values, **fields})


def test_an_editor_creates_a_guideline_with_its_fields(editor):
    owner = EmployeeFactory()
    guideline = _create(editor, owner=owner, review_date=datetime.date(2027, 6, 1))
    stored = Guideline.objects.get(slug="privacy")
    assert (stored.pk, stored.title, stored.title_en, stored.owner, stored.review_date) == (
        guideline.pk,
        "Privacyregels",
        "Privacy rules",
        owner,
        datetime.date(2027, 6, 1),
    )
    assert stored.audience == Guideline.Audience.EVERYONE
    assert stored.title_in("en") == "Privacy rules"


def test_the_new_guideline_starts_with_draft_version_one_holding_the_introduction(editor):
    guideline = _create(editor)
    draft = guideline.versions.get()
    assert (draft.number, draft.status, draft.title, draft.title_en) == (
        1,
        GuidelineVersion.Status.DRAFT,
        "Privacyregels",
        "Privacy rules",
    )
    assert draft.introduction == "Zo gaan we om met persoonsgegevens."
    assert draft.introduction_en == "How we handle personal data."
    assert (draft.created_by, draft.based_on) == (editor, None)


def test_creating_a_guideline_is_logged_without_free_text(editor):
    department = DepartmentFactory()
    guideline = _create(
        editor,
        audience=Guideline.Audience.DEPARTMENTS,
        departments=[DepartmentInAudience(department, include_subdepartments=False)],
    )
    events = list(
        HandbookEvent.objects.filter(guideline=guideline)
        .order_by("pk")
        .values_list("kind", "actor", "version_number", "details")
    )
    assert events[0] == (
        HandbookEvent.Kind.GUIDELINE_CREATED,
        editor.pk,
        1,
        {
            "slug": "privacy",
            "audience": "departments",
            "departments": [[department.pk, False]],
            "roles": [],
        },
    )
    assert events[1][:3] == (HandbookEvent.Kind.DRAFT_CREATED, editor.pk, 1)


def test_a_guideline_for_chosen_roles_stores_them(editor):
    guideline = _create(editor, audience=Guideline.Audience.ROLES, roles=[Role.HR, Role.MANAGER])
    assert guideline.audience == Guideline.Audience.ROLES
    assert set(guideline.audience_roles.values_list("role", flat=True)) == {"hr", "manager"}


def test_an_employee_may_not_create_a_guideline():
    with pytest.raises(PermissionDenied):
        _create(EmployeeFactory())
    assert not Guideline.objects.filter(slug="privacy").exists()


def test_a_duplicate_short_name_is_refused_with_a_dutch_message(editor):
    GuidelineFactory(slug="privacy")
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _create(editor)
    assert refused.value.message_dict["slug"] == ["Er is al een handreiking met deze korte naam."]
    assert Guideline.objects.filter(slug="privacy").count() == 1


def test_a_short_name_differing_only_in_capitals_counts_as_a_duplicate(editor):
    GuidelineFactory(slug="privacy")
    with pytest.raises(ValidationError) as refused:
        _create(editor, slug="Privacy")
    assert "slug" in refused.value.message_dict


@pytest.mark.parametrize("slug", ["", "privacy regels", "privacy/../x", "-privacy", "ü"])
def test_a_malformed_short_name_is_refused(editor, slug):
    with pytest.raises(ValidationError) as refused:
        _create(editor, slug=slug)
    assert "slug" in refused.value.message_dict
    assert not Guideline.objects.exists()


def test_a_missing_title_is_refused(editor):
    with pytest.raises(ValidationError) as refused:
        _create(editor, title="   ")
    assert "title" in refused.value.message_dict


def test_a_departments_audience_without_departments_is_refused_and_nothing_is_made(editor):
    with pytest.raises(ValidationError):
        _create(editor, audience=Guideline.Audience.DEPARTMENTS)
    assert not Guideline.objects.exists()
    assert not HandbookEvent.objects.exists()


def test_a_new_draft_keeps_the_quiz_settings_of_the_version_before(editor):
    version = published_version(GuidelineFactory(slug="privacy"))
    QuizSettings.objects.create(version=version, required_for_acknowledgement=False, pass_mark=65)
    draft = services.create_draft(guideline=version.guideline, actor=editor)
    copied = quiz_settings(version=draft)
    assert copied.pk is not None
    assert (copied.required_for_acknowledgement, copied.pass_mark) == (False, 65)


def test_a_new_draft_after_a_version_without_settings_uses_the_defaults(editor):
    version = published_version(GuidelineFactory(slug="privacy"))
    draft = services.create_draft(guideline=version.guideline, actor=editor)
    assert not QuizSettings.objects.filter(version=draft).exists()
