from django.db import migrations

from quizzes import triggers


class Migration(migrations.Migration):
    """Make the quiz events append-only in the database (see quizzes.triggers)."""

    dependencies = [
        ("quizzes", "0002_quizevent"),
    ]

    operations = [
        migrations.RunPython(triggers.EVENTS.install, triggers.EVENTS.uninstall, elidable=False),
    ]
