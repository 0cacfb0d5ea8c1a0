import pytest
from django.db import IntegrityError, connection, transaction

from handbook.models import GuidelineVersion, Tip, VersionFrozen
from handbook.tests.factories import retire_at_once


@pytest.mark.django_db
def test_published_version_refuses_change_through_save(version_one):
    version_one.title = "Iets anders"

    with pytest.raises(VersionFrozen):
        version_one.save()


@pytest.mark.django_db
def test_published_version_refuses_delete_through_the_model(version_one):
    with pytest.raises(VersionFrozen):
        version_one.delete()


@pytest.mark.django_db
def test_published_version_refuses_change_through_queryset_update(version_one):
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.filter(pk=version_one.pk).update(title="Iets anders")

    version_one.refresh_from_db()
    assert version_one.title == "Handreiking gebruik sociale media"


@pytest.mark.django_db
def test_published_version_refuses_change_through_raw_sql(version_one):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handbook_guidelineversion SET introduction = %s WHERE id = %s",
            ["Gewijzigd", version_one.pk],
        )

    version_one.refresh_from_db()
    assert version_one.introduction.startswith("Sociale media")


@pytest.mark.django_db
def test_published_version_refuses_delete_through_raw_sql(version_one):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM handbook_guidelineversion WHERE id = %s", [version_one.pk])

    assert GuidelineVersion.objects.filter(pk=version_one.pk).exists()


@pytest.mark.django_db
def test_published_version_refuses_a_new_tip(version_one):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.create(version=version_one, number=12, text="Nog een tip.")

    assert version_one.tips.count() == 11


@pytest.mark.django_db
def test_published_version_refuses_a_changed_tip(version_one):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(version=version_one, number=1).update(text="Anders.")

    assert (
        version_one.tips.get(number=1).text == "Je bent zelf verantwoordelijk voor wat je plaatst."
    )


@pytest.mark.django_db
def test_published_version_refuses_a_changed_tip_through_raw_sql(version_one):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handbook_tip SET text = %s WHERE version_id = %s", ["Anders.", version_one.pk]
        )

    assert version_one.tips.get(number=1).text.startswith("Je bent zelf")


@pytest.mark.django_db
def test_published_version_refuses_a_removed_tip(version_one):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(version=version_one, number=1).delete()

    assert version_one.tips.count() == 11


@pytest.mark.django_db
def test_retiring_a_published_version_is_allowed(version_one, editor):
    retired = retire_at_once(version_one, editor)

    assert retired.status == GuidelineVersion.Status.RETIRED
    assert retired.retired_by == editor
    assert retired.content_hash == version_one.content_hash


@pytest.mark.django_db
def test_a_retired_version_cannot_change_any_more(version_one, editor):
    retire_at_once(version_one, editor)

    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.filter(pk=version_one.pk).update(status="published")
