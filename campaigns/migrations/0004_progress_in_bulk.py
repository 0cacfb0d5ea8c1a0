from django.db import migrations

from campaigns.triggers import v1 as progress


class Migration(migrations.Migration):
    """PostgreSQL: the assignment insert trigger stands aside while assignments are
    inserted in bulk; their facts are then filled in one statement (campaigns.triggers)."""

    dependencies = [
        ("campaigns", "0003_campaign_figures"),
    ]

    operations = [
        migrations.RunPython(progress.make_bulk_aware, progress.unmake_bulk_aware, elidable=False),
    ]
