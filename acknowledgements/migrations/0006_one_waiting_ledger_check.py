from django.db import migrations, models


def fail_all_but_the_newest_waiting(apps, schema_editor) -> None:
    """Before the constraint: of several waiting checks (a double click before it
    existed), the newest keeps waiting; the others end as failed, as lost ones do."""
    LedgerCheck = apps.get_model("acknowledgements", "LedgerCheck")
    waiting = LedgerCheck.objects.filter(state="queued").order_by("-requested_at", "-pk")
    newest = waiting.first()
    if newest is not None:
        waiting.exclude(pk=newest.pk).update(state="failed", finished_at=newest.requested_at)


class Migration(migrations.Migration):
    """One waiting ledger check at a time, also when two people ask at the same moment
    (acknowledgements.services.ledger_checks.request_check)."""

    dependencies = [
        ("acknowledgements", "0005_fewer_ledger_indexes"),
    ]

    operations = [
        migrations.RunPython(
            fail_all_but_the_newest_waiting, migrations.RunPython.noop, elidable=False
        ),
        migrations.AddConstraint(
            model_name="ledgercheck",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "queued")),
                fields=("state",),
                name="ack_one_waiting_check",
            ),
        ),
    ]
