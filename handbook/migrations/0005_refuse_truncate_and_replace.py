from django.db import migrations

from handbook import triggers


class Migration(migrations.Migration):
    """Close the ways around the freeze of published versions (TRUNCATE on PostgreSQL,
    REPLACE on SQLite) and make the handbook's audit trail append-only (see
    handbook.triggers, evidence_triggers)."""

    dependencies = [
        ("handbook", "0004_no_free_text_in_events"),
    ]

    operations = [
        migrations.RunPython(
            triggers.install_evidence, triggers.uninstall_evidence, elidable=False
        ),
    ]
