from django.db import migrations

from portal.db import run_vendor_sql

# An assignment row is updated by the progress triggers (campaigns.triggers) as its
# employee reads, passes the quiz and signs. On a full page each update writes the new
# row elsewhere and a new entry in each of the table's eight indexes; with room left on
# the page, PostgreSQL keeps it there and writes no index entry (a HOT update).
FILLFACTOR = 80
TABLE = "campaigns_assignment"


def leave_room(apps, schema_editor) -> None:
    run_vendor_sql(
        schema_editor,
        sqlite=list,
        postgresql=lambda: [f"ALTER TABLE {TABLE} SET (fillfactor = {FILLFACTOR});"],
    )


def fill_pages(apps, schema_editor) -> None:
    run_vendor_sql(
        schema_editor, sqlite=list, postgresql=lambda: [f"ALTER TABLE {TABLE} RESET (fillfactor);"]
    )


class Migration(migrations.Migration):
    """PostgreSQL: pages of assignments are filled to 80 %, so that the progress
    triggers' updates stay on their page. Pages written before keep what they hold until
    the table is rewritten (VACUUM FULL); each campaign's launch writes new ones."""

    dependencies = [
        ("campaigns", "0004_progress_in_bulk"),
    ]

    operations = [
        migrations.RunPython(leave_room, fill_pages, elidable=False),
    ]
