"""Migration 0009_entry_format_2: entries recorded before it are format 1 and verify as
they were hashed; the ledger's triggers (and campaigns', on the content table) are all
still there after it, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from acknowledgements import triggers
from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign, signed_in_format_1
from campaigns.triggers import v1 as campaign_triggers
from people.tests.factories import EmployeeFactory
from portal.triggers import missing_triggers, names

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("acknowledgements", "0008_refuse_truncate_and_replace")]
AFTER = [("acknowledgements", "0009_entry_format_2")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def old_entries():
    """Two signatures as the code before format 2 recorded them; the latest migrations
    again afterwards."""
    employees = [EmployeeFactory(), EmployeeFactory()]
    version = ready_to_sign(employees[0])
    records = [signed_in_format_1(employees[0], version)]
    records.append(signed_in_format_1(employees[1], ready_to_sign(employees[1], version)))
    try:
        yield records
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _missing_triggers() -> list[tuple[str, str]]:
    """The triggers as they stand after 0009 (campaigns' from before yearly rounds: the
    campaigns migration that replaces them depends on a later ledger migration)."""
    vendor = connection.vendor
    expected = {
        **triggers.expected_triggers(vendor),
        **names(triggers.evidence_triggers(vendor, triggers.tables(), per_round=False)),
        **campaign_triggers.expected_triggers(vendor),
    }
    return missing_triggers(connection, expected)


def test_entries_recorded_before_the_migration_are_format_1_and_still_verify(old_entries):
    migrate(BEFORE)
    migrate(AFTER)

    formats = list(
        LedgerEntry.objects.order_by("sequence").values_list("format_version", flat=True)
    )
    assert formats == [1, 1]
    assert verify_chain().ok


def test_every_trigger_is_on_after_the_migration_and_after_reversing_it(old_entries):
    migrate(BEFORE)
    assert _missing_triggers() == []

    migrate(AFTER)
    assert _missing_triggers() == []
