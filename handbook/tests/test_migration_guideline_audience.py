"""Migration 0006_guideline_audience gives existing guidelines the audience "everyone"
(so the social-media guideline applies to all staff as before) and the English title of
their newest version; it can be reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("handbook", "0005_refuse_truncate_and_replace")]
AFTER = [("handbook", "0006_guideline_audience")]


def migrate(targets):
    """Migrate to ``targets``; returns the historical models there."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_guideline():
    """The social-media guideline with a draft, as stored before the migration."""
    try:
        apps = migrate(BEFORE)
        Guideline = apps.get_model("handbook", "Guideline")
        GuidelineVersion = apps.get_model("handbook", "GuidelineVersion")
        guideline = Guideline.objects.create(
            slug="sociale-media", title="Handreiking gebruik sociale media"
        )
        GuidelineVersion.objects.create(
            guideline=guideline,
            number=1,
            title="Handreiking gebruik sociale media",
            title_en="Guidance on the use of social media",
            introduction="Inleiding.",
        )
        yield guideline.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_existing_guideline_applies_to_everyone_after_the_migration(old_guideline):
    apps = migrate(AFTER)
    guideline = apps.get_model("handbook", "Guideline").objects.get(pk=old_guideline)
    assert guideline.audience == "everyone"
    assert guideline.title_en == "Guidance on the use of social media"
    assert not apps.get_model("handbook", "AudienceDepartment").objects.exists()
    assert not apps.get_model("handbook", "AudienceRole").objects.exists()


def test_the_migration_reverses_and_keeps_the_guideline(old_guideline):
    migrate(AFTER)
    apps = migrate(BEFORE)
    guideline = apps.get_model("handbook", "Guideline").objects.get(pk=old_guideline)
    assert guideline.title == "Handreiking gebruik sociale media"
