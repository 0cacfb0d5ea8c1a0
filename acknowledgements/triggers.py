"""Database triggers that make the ledger append-only.

- A ledger entry is never changed or removed.
- An acknowledgement (an entry's content) is never changed; it may only be removed once
  an ERASURE entry in the chain refers to its entry (retention, erasure). The chain
  still verifies: the entry keeps the content's digest.

Used by migrations 0002 and 0005 (with their historical models' tables); changing the
SQL means a new migration. The system check acknowledgements.E001 (portal.triggers)
fails when one of them is missing.
"""

from typing import Any, NamedTuple

from django.db import migrations

from portal.db import run_vendor_sql
from portal.triggers import db_tables

MESSAGE = "acknowledgements: the ledger is append-only"
INSTALLED_BY = ("acknowledgements", "0002_append_only_ledger")


class Tables(NamedTuple):
    entries: str
    contents: str


def tables(apps: Any = None) -> Tables:
    """The ledger's tables: of a migration's historical ``apps``, or the installed ones."""
    return Tables(
        *db_tables(apps, "acknowledgements.LedgerEntry", "acknowledgements.Acknowledgement")
    )


def _erased(db: Tables) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {db.entries} e "
        "WHERE e.kind = 'erasure' AND e.refers_to_id = OLD.entry_id)"
    )


def sqlite_triggers(db: Tables) -> dict[str, str]:
    """The triggers on SQLite: name: table."""
    return {
        "ledger_entry_no_update": db.entries,
        "ledger_entry_no_delete": db.entries,
        "ledger_content_no_update": db.contents,
        "ledger_content_delete_only_erased": db.contents,
    }


def postgresql_triggers(db: Tables) -> dict[str, str]:
    """The triggers on PostgreSQL (each with its function of the same name): name: table."""
    return {"ledger_entry_append_only": db.entries, "ledger_content_append_only": db.contents}


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    by_vendor = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}
    return by_vendor[vendor](tables()) if vendor in by_vendor else {}


def sqlite_forward(db: Tables) -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON {db.entries} BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON {db.entries} BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_content_no_update BEFORE UPDATE ON {db.contents} "
        f"BEGIN {abort} END;",
        f"CREATE TRIGGER ledger_content_delete_only_erased BEFORE DELETE ON {db.contents} "
        f"FOR EACH ROW WHEN NOT {_erased(db)} BEGIN {abort} END;",
    ]


def sqlite_backward(db: Tables) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_triggers(db)]


def postgresql_forward(db: Tables) -> list[str]:
    # ERRCODE 23000 makes Django raise IntegrityError, as SQLite's RAISE(ABORT) does.
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
        BEGIN {raise_} END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON {db.entries}
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();""",
        f"""CREATE FUNCTION ledger_content_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND {_erased(db)} THEN RETURN OLD; END IF;
            {raise_}
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER ledger_content_append_only BEFORE UPDATE OR DELETE ON {db.contents}
        FOR EACH ROW EXECUTE FUNCTION ledger_content_append_only();""",
    ]


def postgresql_backward(db: Tables) -> list[str]:
    statements = []
    for name, table in reversed(postgresql_triggers(db).items()):
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    return statements


def entry_table_remade(operations: list) -> list:
    """``operations`` on the entry table, between taking its triggers off and putting
    them back on SQLite: SQLite changes a constraint or an index of a column by making
    the table anew (Django's schema editor), and the new table has no triggers."""

    def off(apps, schema_editor):
        db = tables(apps)
        run_vendor_sql(schema_editor, sqlite=lambda: sqlite_backward(db), postgresql=list)

    def on(apps, schema_editor):
        db = tables(apps)
        run_vendor_sql(schema_editor, sqlite=lambda: sqlite_forward(db), postgresql=list)

    return [
        migrations.RunPython(off, on, elidable=False),
        *operations,
        migrations.RunPython(on, off, elidable=False),
    ]


def install(apps, schema_editor) -> None:
    """Put the triggers on (a migration's RunPython; ``apps`` None: the installed models)."""
    db = tables(apps)
    run_vendor_sql(
        schema_editor, sqlite=lambda: sqlite_forward(db), postgresql=lambda: postgresql_forward(db)
    )


def uninstall(apps, schema_editor) -> None:
    db = tables(apps)
    run_vendor_sql(
        schema_editor,
        sqlite=lambda: sqlite_backward(db),
        postgresql=lambda: postgresql_backward(db),
    )
