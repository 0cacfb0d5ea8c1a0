"""The ledger's entries are indexed only where a lookup or a rule needs it: each index
on a random key costs every signature a write to a random page, under the ledger's
lock."""

import pytest
from django.db import connection

from acknowledgements.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _indexed_columns(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] or details["unique"] or details["primary_key"]
    )


def test_a_ledger_entry_is_indexed_by_its_key_number_version_code_and_what_it_refers_to():
    # No index on the record hash (nothing looks an entry up by it) and one on the
    # verification code (unique=True would add a LIKE index beside it on PostgreSQL).
    assert _indexed_columns(LedgerEntry._meta.db_table) == [
        ("id",),
        ("refers_to_id",),
        ("sequence",),
        ("verification_code",),
        ("version_id",),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="A partial index's definition.")
def test_only_entries_that_refer_to_another_are_in_the_refers_to_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [LedgerEntry._meta.db_table, "%refers_to_id%"],
        )
        [(definition,)] = cursor.fetchall()

    assert definition.endswith("WHERE (refers_to_id IS NOT NULL)")
