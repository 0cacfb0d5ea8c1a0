from django.db import migrations, models

from acknowledgements import triggers

# Django's own name for the field's index (db_index=True).
CAMPAIGN_INDEX = "acknowledgements_acknowledgement_campaign_id_987ac117"


class Migration(migrations.Migration):
    """Entry format 2: a signature's content names the campaign (round) it answers, and
    each entry says which format its content was hashed in. Existing entries are format
    1 and keep their hashes (acknowledgements.ledger).

    SQLite makes a table anew to add a NOT NULL column, or to drop an indexed one, and
    the new table has none of the triggers on the old. So: the entry table's new column
    is added between taking the ledger's triggers off and putting them back; the
    content's column is added plainly and indexed apart, so that neither way makes the
    content table anew (campaigns' progress triggers are on it too)."""

    dependencies = [
        ("acknowledgements", "0008_refuse_truncate_and_replace"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="acknowledgement",
                    name="campaign_id",
                    field=models.PositiveBigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="campaign"
                    ),
                ),
            ],
            database_operations=[
                migrations.AddField(
                    model_name="acknowledgement",
                    name="campaign_id",
                    field=models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name="campaign"
                    ),
                ),
                migrations.RunSQL(
                    f'CREATE INDEX "{CAMPAIGN_INDEX}" '
                    'ON "acknowledgements_acknowledgement" ("campaign_id")',
                    f'DROP INDEX "{CAMPAIGN_INDEX}"',
                    elidable=False,
                ),
            ],
        ),
        *triggers.ledger_tables_remade(
            [
                migrations.AddField(
                    model_name="ledgerentry",
                    name="format_version",
                    field=models.PositiveSmallIntegerField(
                        default=1, verbose_name="format version"
                    ),
                    preserve_default=False,
                ),
            ]
        ),
    ]
