"""A campaign's version goes: what a campaign asks for is in its guidelines
(CampaignGuideline, filled by 0008 for every campaign made before), each with its own
version. Going back puts the first guideline's version on each campaign again."""

from django.db import migrations, models


def refill(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignGuideline = apps.get_model("campaigns", "CampaignGuideline")
    for campaign in Campaign.objects.filter(kind="campaign"):
        first = (
            CampaignGuideline.objects.filter(campaign=campaign, version__isnull=False)
            .order_by("pk")
            .first()
        )
        if first is not None:
            Campaign.objects.filter(pk=campaign.pk).update(version_id=first.version_id)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0009_onboarding_changed_event"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="campaign",
            name="campaigns_campaign_has_version_and_deadline",
        ),
        migrations.RunPython(migrations.RunPython.noop, refill, elidable=False),
        migrations.RemoveField(
            model_name="campaign",
            name="version",
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "onboarding"), ("deadline__isnull", False), _connector="OR"
                ),
                name="campaigns_campaign_has_a_deadline",
            ),
        ),
    ]
