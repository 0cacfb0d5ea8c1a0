from django.db import migrations

from acknowledgements import triggers


class Migration(migrations.Migration):
    """Make the database refuse any change to the ledger (see acknowledgements.triggers)."""

    dependencies = [
        ("acknowledgements", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(triggers.install, triggers.uninstall, elidable=False),
    ]
