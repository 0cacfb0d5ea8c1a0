from django.db import migrations, models

from handbook import triggers
from portal.db import run_vendor_sql

COLUMNS = ("topic", "topic_en")


def add_columns(apps, schema_editor) -> None:
    """ALTER TABLE ADD COLUMN, never the whole table made anew (SQLite's way for a column
    with a default): campaigns' progress triggers name the tips' table, and the new
    table would have none of the handbook's triggers either."""
    add = [
        f'ALTER TABLE "handbook_tip" ADD COLUMN "{c}" varchar(80) DEFAULT \'\' NOT NULL'
        for c in COLUMNS
    ]
    drop_default = [f'ALTER TABLE "handbook_tip" ALTER COLUMN "{c}" DROP DEFAULT' for c in COLUMNS]
    run_vendor_sql(schema_editor, sqlite=lambda: add, postgresql=lambda: add + drop_default)


def drop_columns(apps, schema_editor) -> None:
    drop = [f'ALTER TABLE "handbook_tip" DROP COLUMN "{c}"' for c in COLUMNS]
    run_vendor_sql(schema_editor, sqlite=lambda: drop, postgresql=lambda: drop)


class Migration(migrations.Migration):
    """A tip's topic: a label shown with its number, outside the signed and hashed text,
    that editors may change after publishing. The freeze triggers are put on again with
    the tips' columns: every column of a published version's tip stays frozen but the
    topic (handbook.triggers.TOPIC_COLUMNS)."""

    dependencies = [
        ("handbook", "0007_tip_removals_marked"),
    ]

    operations = [
        migrations.RunPython(triggers.take_off_all, triggers.put_on_all, elidable=False),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="tip",
                    name="topic",
                    field=models.CharField(
                        blank=True,
                        help_text=(
                            "A few words on what the tip is about. Not part of the signed text."
                        ),
                        max_length=80,
                        verbose_name="topic",
                    ),
                ),
                migrations.AddField(
                    model_name="tip",
                    name="topic_en",
                    field=models.CharField(
                        blank=True, max_length=80, verbose_name="topic (English)"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(add_columns, drop_columns, elidable=False),
            ],
        ),
        migrations.AlterField(
            model_name="handbookevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("draft_created", "Draft created"),
                    ("draft_changed", "Draft changed"),
                    ("draft_discarded", "Draft discarded"),
                    ("published", "Published"),
                    ("retired", "Retired"),
                    ("retirement_requested", "Retirement requested"),
                    ("retirement_cancelled", "Retirement request cancelled"),
                    ("review_reminder_sent", "Review reminder sent"),
                    ("guideline_created", "Guideline created"),
                    ("audience_changed", "Audience changed"),
                    ("topics_changed", "Tip topics changed"),
                ],
                max_length=32,
                verbose_name="event",
            ),
        ),
        migrations.RunPython(triggers.put_on_all, triggers.take_off_all, elidable=False),
    ]
