from django.db import migrations

from acknowledgements import triggers


class Migration(migrations.Migration):
    """Close the ways around the ledger's row triggers: TRUNCATE on PostgreSQL, REPLACE
    and upserts over stored rows on SQLite; the head only moves forward (see
    acknowledgements.triggers, evidence_triggers)."""

    dependencies = [
        ("acknowledgements", "0007_heartbeat"),
    ]

    operations = [
        migrations.RunPython(
            triggers.install_evidence_0008, triggers.uninstall_evidence_0008, elidable=False
        ),
    ]
