"""Exemptions need a second HR person's approval (issue 21): a request (reason, by,
when) changes nothing until someone else approves or refuses it with a note. The
exemptions made before were in force at once: they become approved (requested when they
were exempted, decided by nobody). Reversed, the requests that never took effect
(waiting or refused) are removed, as the earlier table cannot hold them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def requested_when_exempted(apps, schema_editor):
    Exemption = apps.get_model("campaigns", "Exemption")
    Exemption.objects.filter(requested_at__isnull=True).update(requested_at=F("exempted_at"))


def remove_requests_not_in_force(apps, schema_editor):
    Exemption = apps.get_model("campaigns", "Exemption")
    Exemption.objects.filter(exempted_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0012_yearly_round"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="exemption",
            options={
                "ordering": ["-requested_at", "-pk"],
                "verbose_name": "exemption",
                "verbose_name_plural": "exemptions",
            },
        ),
        migrations.AddField(
            model_name="exemption",
            name="decided_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="approved or refused at"
            ),
        ),
        migrations.AddField(
            model_name="exemption",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved or refused by",
            ),
        ),
        migrations.AddField(
            model_name="exemption",
            name="decision",
            field=models.CharField(
                choices=[
                    ("requested", "Waiting for approval"),
                    ("approved", "Approved"),
                    ("refused", "Refused"),
                ],
                default="approved",
                max_length=16,
                verbose_name="decision",
            ),
        ),
        migrations.AlterField(
            model_name="exemption",
            name="decision",
            field=models.CharField(
                choices=[
                    ("requested", "Waiting for approval"),
                    ("approved", "Approved"),
                    ("refused", "Refused"),
                ],
                default="requested",
                max_length=16,
                verbose_name="decision",
            ),
        ),
        migrations.AddField(
            model_name="exemption",
            name="decision_note",
            field=models.TextField(blank=True, verbose_name="note with the decision"),
        ),
        migrations.AddField(
            model_name="exemption",
            name="requested_at",
            field=models.DateTimeField(null=True, verbose_name="requested at"),
        ),
        migrations.RunPython(requested_when_exempted, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exemption",
            name="requested_at",
            field=models.DateTimeField(verbose_name="requested at"),
        ),
        migrations.AlterField(
            model_name="campaignevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Campaign set up"),
                    ("launched", "Campaign launched"),
                    ("closed", "Campaign closed"),
                    ("joined", "Employees added to a running campaign"),
                    ("onboarding", "New employees assigned"),
                    ("exemption_requested", "Exemption requested"),
                    ("exempted", "Employee exempted"),
                    ("exemption_refused", "Exemption refused"),
                    ("exemption_lifted", "Exemption lifted"),
                    ("reminder_retried", "Failed reminder tried again"),
                    ("schedule_changed", "Reminder schedule changed"),
                    ("onboarding_changed", "Guidelines of the onboarding changed"),
                ],
                max_length=32,
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="exemption",
            name="exempted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="exempted at"),
        ),
        migrations.RunPython(migrations.RunPython.noop, remove_requests_not_in_force),
        migrations.AlterField(
            model_name="exemption",
            name="exempted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        migrations.AddConstraint(
            model_name="exemption",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_by__isnull", True),
                    ("exempted_by__isnull", True),
                    models.Q(("decided_by", models.F("exempted_by")), _negated=True),
                    _connector="OR",
                ),
                name="campaigns_exemption_four_eyes",
            ),
        ),
        migrations.AddConstraint(
            model_name="exemption",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "approved"), ("exempted_at__isnull", False)),
                    models.Q(
                        models.Q(("decision", "approved"), _negated=True),
                        ("exempted_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="campaigns_exemption_in_force_only_approved",
            ),
        ),
        migrations.AddConstraint(
            model_name="exemption",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "requested"), ("decided_at__isnull", True)),
                    models.Q(("decision", "refused"), ("decided_at__isnull", False)),
                    ("decision", "approved"),
                    _connector="OR",
                ),
                name="campaigns_exemption_decided_at",
            ),
        ),
        migrations.AddConstraint(
            model_name="exemption",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("decision__in", ["requested", "approved"]), ("lifted_at__isnull", True)
                ),
                fields=("assignment",),
                name="campaigns_one_open_exemption",
            ),
        ),
    ]
