from django.db import migrations

from security import triggers


class Migration(migrations.Migration):
    """The database refuses to rewrite a security event (see security.triggers)."""

    dependencies = [
        ("security", "0002_privileged_change_refused"),
    ]

    operations = [
        migrations.RunPython(triggers.install, triggers.uninstall, elidable=False),
    ]
