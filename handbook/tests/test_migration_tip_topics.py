"""Migration 0008_tip_topics adds a tip's topic without making the tips' table anew (its
freeze triggers and campaigns' progress triggers stay right), puts the freeze triggers
on again so that a published tip may change its topic and nothing else, and reverses."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("handbook", "0007_tip_removals_marked")]
AFTER = [("handbook", "0008_tip_topics")]


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def columns() -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(cursor, "handbook_tip")
        }


def update(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def published_tip():
    """A published version's tip, as stored before the migration."""
    try:
        apps = migrate(BEFORE)
        Guideline = apps.get_model("handbook", "Guideline")
        GuidelineVersion = apps.get_model("handbook", "GuidelineVersion")
        Tip = apps.get_model("handbook", "Tip")
        guideline = Guideline.objects.create(slug="sociale-media", title="Handreiking")
        version = GuidelineVersion.objects.create(
            guideline=guideline, number=1, title="Handreiking", introduction="Inleiding."
        )
        tip = Tip.objects.create(version=version, number=1, text="Wees zorgvuldig.")
        GuidelineVersion.objects.filter(pk=version.pk).update(
            status="published",
            content_hash="a" * 64,
            published_at=timezone.now(),
            effective_date=timezone.localdate(),
        )
        yield tip.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_after_the_migration_a_published_tip_changes_its_topic_and_nothing_else(published_tip):
    apps = migrate(AFTER)

    update("UPDATE handbook_tip SET topic = %s WHERE id = %s", ["Zorg", published_tip])
    with pytest.raises(IntegrityError):
        update("UPDATE handbook_tip SET text = %s WHERE id = %s", ["Anders.", published_tip])

    tip = apps.get_model("handbook", "Tip").objects.get(pk=published_tip)
    assert (tip.topic, tip.topic_en, tip.text) == ("Zorg", "", "Wees zorgvuldig.")


def test_the_migration_reverses_and_the_tip_is_frozen_whole_again(published_tip):
    migrate(AFTER)
    apps = migrate(BEFORE)

    assert {"topic", "topic_en"}.isdisjoint(columns())
    with pytest.raises(IntegrityError):
        update("UPDATE handbook_tip SET text = %s WHERE id = %s", ["Anders.", published_tip])
    assert apps.get_model("handbook", "Tip").objects.get(pk=published_tip).text == (
        "Wees zorgvuldig."
    )
