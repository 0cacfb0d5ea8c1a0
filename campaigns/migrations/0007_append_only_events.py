from django.db import migrations

from campaigns import triggers


class Migration(migrations.Migration):
    """Make the campaign events append-only in the database (see campaigns.triggers,
    event_triggers)."""

    dependencies = [
        ("campaigns", "0006_exemption_reasons_out_of_events"),
    ]

    operations = [
        migrations.RunPython(triggers.EVENTS.install, triggers.EVENTS.uninstall, elidable=False),
    ]
