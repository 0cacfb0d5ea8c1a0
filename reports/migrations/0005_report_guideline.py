"""Reports name their guideline: a report made before this was on one guideline (its
campaign's version or its own version), so it gets that guideline; a campaign report
without one is from now on a report on all the campaign's guidelines, combined."""

import django.db.models.deletion
from django.db import migrations, models


def name_the_guideline(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    GuidelineVersion = apps.get_model("handbook", "GuidelineVersion")
    CampaignGuideline = apps.get_model("campaigns", "CampaignGuideline")
    guideline_of_version = dict(GuidelineVersion.objects.values_list("pk", "guideline_id"))
    # Until now a campaign covered one guideline (campaigns 0008 made it its first).
    guideline_of_campaign = dict(
        CampaignGuideline.objects.order_by("-pk").values_list("campaign_id", "guideline_id")
    )
    reports = Report.objects.filter(kind="compliance", guideline__isnull=True)
    for report in reports.only("pk", "version_id", "campaign_id").iterator():
        if report.version_id:
            guideline_id = guideline_of_version.get(report.version_id)
        else:
            guideline_id = guideline_of_campaign.get(report.campaign_id)
        if guideline_id is not None:
            Report.objects.filter(pk=report.pk).update(guideline_id=guideline_id)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_campaign_guidelines"),
        ("handbook", "0006_guideline_audience"),
        ("reports", "0004_report_ledger_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="guideline",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a campaign: all its guidelines, combined.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="handbook.guideline",
                verbose_name="guideline",
            ),
        ),
        # Backwards: the column goes, and with it what this filled in.
        migrations.RunPython(name_the_guideline, migrations.RunPython.noop, elidable=True),
    ]
