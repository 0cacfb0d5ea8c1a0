"""A yearly round asks for a new signature of a version signed before: one
acknowledgement per employee and version outside a round, one per employee, version and
round inside one; SQLite's refusal to replace a stored signature follows the same key."""

from django.conf import settings
from django.db import migrations, models

from acknowledgements import triggers


class Migration(migrations.Migration):
    dependencies = [
        ("acknowledgements", "0009_entry_format_2"),
        ("handbook", "0006_guideline_audience"),
        ("quizzes", "0003_append_only_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            triggers.uninstall_evidence_0008, triggers.install_evidence_0008, elidable=False
        ),
        migrations.RemoveConstraint(
            model_name="acknowledgement",
            name="acknowledgements_one_per_employee_and_version",
        ),
        migrations.AddField(
            model_name="tipread",
            name="last_opened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last opened at"),
        ),
        migrations.AddConstraint(
            model_name="acknowledgement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("campaign_id__isnull", True), ("kind", "acknowledgement")),
                fields=("employee", "version"),
                name="acknowledgements_one_per_employee_and_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="acknowledgement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("campaign_id__isnull", False), ("kind", "acknowledgement")),
                fields=("employee", "version", "campaign_id"),
                name="acknowledgements_one_per_employee_version_and_round",
            ),
        ),
        migrations.RunPython(
            triggers.install_evidence,
            triggers.uninstall_evidence,
            elidable=False,
        ),
    ]
