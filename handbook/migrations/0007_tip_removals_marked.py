from django.db import migrations, models

from handbook import triggers


def published_before_marks(apps, schema_editor) -> None:
    """Versions published (or retired) before removals were marked keep what they asked
    when they were published: a removed tip asked nobody to sign again. NULL says so
    (GuidelineVersion.removal_is_material); drafts get the new rule."""
    GuidelineVersion = apps.get_model("handbook", "GuidelineVersion")
    GuidelineVersion.objects.exclude(status="draft").update(editorial_removals=None)


class Migration(migrations.Migration):
    """A removed tip is a change in meaning unless the editor marks it otherwise: the
    marks are a column of the version, frozen with it, so the freeze triggers are put on
    again with that column (handbook.triggers.frozen_version_columns)."""

    dependencies = [
        ("handbook", "0006_guideline_audience"),
    ]

    operations = [
        migrations.RunPython(triggers.take_off_all, triggers.put_on_all, elidable=False),
        migrations.AddField(
            model_name="guidelineversion",
            name="editorial_removals",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    "Tips of the previous version that this version leaves out, and that the "
                    "editor marked as not a change in meaning (for example: merged into another "
                    "tip), with the editor's note, by lineage. Any other removed tip is a change "
                    "in meaning."
                ),
                null=True,
                verbose_name="removed tips that are not a change in meaning",
            ),
        ),
        migrations.RunPython(published_before_marks, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(triggers.put_on_all, triggers.take_off_all, elidable=False),
    ]
