from django.db import migrations

from reports import triggers


class Migration(migrations.Migration):
    """Make the report events append-only in the database (see reports.triggers)."""

    dependencies = [
        ("reports", "0002_heartbeat"),
    ]

    operations = [
        migrations.RunPython(triggers.EVENTS.install, triggers.EVENTS.uninstall, elidable=False),
    ]
