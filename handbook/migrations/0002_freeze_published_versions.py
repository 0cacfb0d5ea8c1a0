from django.db import migrations

from handbook import triggers


class Migration(migrations.Migration):
    """Make the database refuse changes to published versions and their tips."""

    dependencies = [
        ("handbook", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(triggers.install, triggers.uninstall, elidable=False),
    ]
