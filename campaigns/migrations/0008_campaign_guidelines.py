"""A campaign covers one or more guidelines (CampaignGuideline), and an assignment is
per campaign x employee x guideline (Assignment.guideline, filled from its version).

Existing campaigns cover their version's guideline; the onboarding rule covers the
guidelines its assignments are about, or the default guideline when it has none.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from campaigns.triggers import v1 as triggers

DEFAULT_GUIDELINE_SLUG = "sociale-media"


def fill(apps, schema_editor):
    Assignment = apps.get_model("campaigns", "Assignment")
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignGuideline = apps.get_model("campaigns", "CampaignGuideline")
    Guideline = apps.get_model("handbook", "Guideline")
    GuidelineVersion = apps.get_model("handbook", "GuidelineVersion")
    Assignment.objects.update(
        guideline_id=Subquery(
            GuidelineVersion.objects.filter(pk=OuterRef("version_id")).values("guideline_id")[:1]
        )
    )
    for campaign in Campaign.objects.all():
        if campaign.version_id is not None:
            CampaignGuideline.objects.create(
                campaign=campaign,
                guideline_id=GuidelineVersion.objects.get(pk=campaign.version_id).guideline_id,
                version_id=campaign.version_id,
            )
            continue
        guideline_ids = set(
            Assignment.objects.filter(campaign=campaign).values_list("guideline_id", flat=True)
        )
        if not guideline_ids:
            default = (
                Guideline.objects.filter(slug=DEFAULT_GUIDELINE_SLUG).first()
                or Guideline.objects.order_by("title", "pk").first()
            )
            guideline_ids = {default.pk} if default else set()
        for guideline_id in sorted(guideline_ids):
            CampaignGuideline.objects.create(campaign=campaign, guideline_id=guideline_id)


# SQLite rebuilds the assignments table below, and refuses to while triggers on other
# tables name it: they come off first and go back on after. PostgreSQL alters in place.
def progress_triggers_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        triggers.uninstall(apps, schema_editor)


def progress_triggers_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        triggers.install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_append_only_events"),
        ("handbook", "0006_guideline_audience"),
    ]

    operations = [
        migrations.RunPython(progress_triggers_off, progress_triggers_on, elidable=False),
        migrations.CreateModel(
            name="CampaignGuideline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "due_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Onboarding only. Empty: the standard number of days.",
                        null=True,
                        verbose_name="days after the start date",
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subjects",
                        to="campaigns.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "guideline",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="handbook.guideline",
                        verbose_name="guideline",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="handbook.guidelineversion",
                        verbose_name="guideline version",
                    ),
                ),
            ],
            options={
                "verbose_name": "guideline of a campaign",
                "verbose_name_plural": "guidelines of a campaign",
                "ordering": ["campaign", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "guideline"),
                        name="campaigns_guideline_once_per_campaign",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="assignment",
            name="guideline",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="handbook.guideline",
                verbose_name="guideline",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="assignment",
            name="guideline",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="handbook.guideline",
                verbose_name="guideline",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="assignment",
            name="campaigns_one_assignment_per_campaign",
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(
                fields=("campaign", "employee", "guideline"),
                name="campaigns_one_assignment_per_guideline",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["campaign", "guideline", "due_date"], name="campaigns_a_campaig_3bcef6_idx"
            ),
        ),
        migrations.RunPython(progress_triggers_on, progress_triggers_off, elidable=False),
    ]
