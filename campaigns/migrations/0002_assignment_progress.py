from django.db import migrations, models

from campaigns.services.progress import fact_columns
from campaigns.triggers import v1 as progress


def fill(apps, schema_editor):
    """Existing assignments get their facts once; the triggers keep them from now on."""
    models_by_name = {
        "Acknowledgement": apps.get_model("acknowledgements", "Acknowledgement"),
        "TipRead": apps.get_model("acknowledgements", "TipRead"),
        "Tip": apps.get_model("handbook", "Tip"),
        "Attempt": apps.get_model("quizzes", "Attempt"),
    }
    Assignment = apps.get_model("campaigns", "Assignment")
    Assignment.objects.using(schema_editor.connection.alias).update(
        **fact_columns(models=models_by_name)
    )


class Migration(migrations.Migration):
    """Progress facts on the assignment, kept by the database (see campaigns.triggers)."""

    dependencies = [
        ("campaigns", "0001_initial"),
        ("acknowledgements", "0003_notification"),
        ("quizzes", "0002_quizevent"),
        ("handbook", "0002_freeze_published_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="signed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="quiz_passed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="quiz passed at"
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="read_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="everything read at"
            ),
        ),
        migrations.RunPython(progress.install, progress.uninstall, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
