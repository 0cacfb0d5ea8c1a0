import pytest
from django.contrib import admin
from django.test import RequestFactory

from handbook import services
from handbook.admin import GuidelineVersionAdmin, HandbookEventAdmin, TipInline
from handbook.models import GuidelineVersion, HandbookEvent
from handbook.tests.factories import retire_at_once
from people.tests.factories import EmployeeFactory


@pytest.fixture
def superuser_request(db):
    request = RequestFactory().get("/beheer/")
    request.user = EmployeeFactory(is_staff=True, is_superuser=True)
    return request


def _version_admin():
    return GuidelineVersionAdmin(GuidelineVersion, admin.site)


@pytest.mark.django_db
def test_a_published_version_cannot_be_changed_or_deleted_in_the_admin(
    superuser_request, version_one
):
    model_admin = _version_admin()

    assert not model_admin.has_change_permission(superuser_request, version_one)
    assert not model_admin.has_delete_permission(superuser_request, version_one)
    assert model_admin.has_view_permission(superuser_request, version_one)


@pytest.mark.django_db
def test_tips_of_a_published_version_are_read_only_in_the_admin(superuser_request, version_one):
    inline = TipInline(GuidelineVersion, admin.site)

    assert not inline.has_add_permission(superuser_request, version_one)
    assert not inline.has_change_permission(superuser_request, version_one)
    assert not inline.has_delete_permission(superuser_request, version_one)


@pytest.mark.django_db
def test_a_retired_version_is_read_only_in_the_admin(superuser_request, version_one, editor):
    retired = retire_at_once(version_one, editor)

    assert not _version_admin().has_change_permission(superuser_request, retired)


@pytest.mark.django_db
def test_a_draft_can_be_corrected_in_the_admin(superuser_request, version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    assert _version_admin().has_change_permission(superuser_request, draft)
    assert TipInline(GuidelineVersion, admin.site).has_change_permission(superuser_request, draft)


@pytest.mark.django_db
def test_handbook_events_cannot_be_added_changed_or_deleted(superuser_request, version_one):
    event_admin = HandbookEventAdmin(HandbookEvent, admin.site)
    event = HandbookEvent.objects.first()

    assert not event_admin.has_add_permission(superuser_request)
    assert not event_admin.has_change_permission(superuser_request, event)
    assert not event_admin.has_delete_permission(superuser_request, event)


@pytest.mark.django_db
def test_admin_change_page_of_a_published_version_shows_it_read_only(client, version_one):
    client.force_login(EmployeeFactory(is_staff=True, is_superuser=True))

    response = client.get(f"/beheer/handbook/guidelineversion/{version_one.pk}/change/")

    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["guideline", "guidelineversion", "handbookevent"])
def test_admin_lists_open_for_a_superuser(client, version_one, model):
    client.force_login(EmployeeFactory(is_staff=True, is_superuser=True))

    response = client.get(f"/beheer/handbook/{model}/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_draft_corrected_in_the_admin_counts_as_that_persons_change(version_one, editor):
    admin_user = EmployeeFactory(is_staff=True, is_superuser=True)
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    services.record_admin_change(draft=draft, actor=admin_user)

    draft.refresh_from_db()
    assert draft.last_edited_by == admin_user
    assert HandbookEvent.objects.filter(
        kind=HandbookEvent.Kind.DRAFT_CHANGED, details__via="admin"
    ).exists()
