"""Database triggers that make the ledger append-only.

- A ledger entry is never changed or removed.
- An acknowledgement (an entry's content) is never changed; it may only be removed once
  an ERASURE entry in the chain refers to its entry (retention, erasure). The chain
  still verifies: the entry keeps the content's digest.

Used by migrations 0002 and 0005; changing this module means a new migration.
"""

from django.db import migrations

from portal.db import run_vendor_sql

ENTRY_TABLE = "acknowledgements_ledgerentry"
CONTENT_TABLE = "acknowledgements_acknowledgement"
MESSAGE = "acknowledgements: the ledger is append-only"
_ERASED = (
    f"EXISTS (SELECT 1 FROM {ENTRY_TABLE} e "
    "WHERE e.kind = 'erasure' AND e.refers_to_id = OLD.entry_id)"
)


def sqlite_forward() -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON {ENTRY_TABLE} BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON {ENTRY_TABLE} BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_content_no_update BEFORE UPDATE ON {CONTENT_TABLE} "
        f"BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_content_delete_only_erased BEFORE DELETE ON {CONTENT_TABLE} "
        f"FOR EACH ROW WHEN NOT {_ERASED} BEGIN {abort} END;",
    ]


def sqlite_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name};"
        for name in (
            "ledger_entry_no_update",
            "ledger_entry_no_delete",
            "ledger_content_no_update",
            "ledger_content_delete_only_erased",
        )
    ]


def postgresql_forward() -> list[str]:
    # ERRCODE 23000 makes Django raise IntegrityError, as SQLite's RAISE(ABORT) does.
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
        BEGIN {raise_} END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON {ENTRY_TABLE}
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();""",
        f"""CREATE FUNCTION ledger_content_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND {_ERASED} THEN RETURN OLD; END IF;
            {raise_}
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER ledger_content_append_only BEFORE UPDATE OR DELETE ON {CONTENT_TABLE}
        FOR EACH ROW EXECUTE FUNCTION ledger_content_append_only();""",
    ]


def postgresql_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ledger_content_append_only ON {CONTENT_TABLE};",
        "DROP FUNCTION IF EXISTS ledger_content_append_only();",
        f"DROP TRIGGER IF EXISTS ledger_entry_append_only ON {ENTRY_TABLE};",
        "DROP FUNCTION IF EXISTS ledger_entry_append_only();",
    ]


def entry_table_remade(operations: list) -> list:
    """``operations`` on the entry table, between taking its triggers off and putting
    them back on SQLite: SQLite changes a constraint or an index of a column by making
    the table anew (Django's schema editor), and the new table has no triggers."""

    def off(apps, schema_editor):
        run_vendor_sql(schema_editor, sqlite=sqlite_backward, postgresql=list)

    def on(apps, schema_editor):
        run_vendor_sql(schema_editor, sqlite=sqlite_forward, postgresql=list)

    return [
        migrations.RunPython(off, on, elidable=False),
        *operations,
        migrations.RunPython(on, off, elidable=False),
    ]


def install(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_forward, postgresql=postgresql_forward)


def uninstall(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_backward, postgresql=postgresql_backward)
