"""Database triggers that make the ledger append-only.

- A ledger entry is never changed or removed.
- An acknowledgement (an entry's content) is never changed; it may only be removed once
  an ERASURE entry in the chain refers to its entry (retention, erasure). The chain
  still verifies: the entry keeps the content's digest.

Used by migrations 0002 and 0005 (with their historical models' tables); changing the
SQL means a new migration. The system check acknowledgements.E001 (portal.triggers)
fails when one of them is missing.

Migration 0008 closes the ways around those row triggers (``evidence_triggers``):
- PostgreSQL: TRUNCATE of the entries, the contents or the head (statement triggers:
  row triggers do not fire on TRUNCATE, also not on another table's TRUNCATE CASCADE).
- SQLite: an insert that would replace a stored entry, content or head (INSERT OR
  REPLACE deletes the old row without firing delete triggers; an upsert updates it):
  refused when a row with the same key (any unique one) is there.
- The head (``LedgerHead``) only moves forward: its sequence never decreases, at the
  same sequence its hash stays, and it is never deleted.
"""

from typing import Any, NamedTuple

from django.db import migrations

from portal.db import run_vendor_sql
from portal.triggers import (
    Trigger,
    TriggerSet,
    db_tables,
    names,
    postgresql_no_truncate,
    postgresql_raise,
    put_on,
    same_row,
    sqlite_abort,
    sqlite_no_replace,
    take_off,
)

MESSAGE = "acknowledgements: the ledger is append-only"
HEAD_MESSAGE = "acknowledgements: the ledger head only moves forward"
INSTALLED_BY = ("acknowledgements", "0002_append_only_ledger")


class Tables(NamedTuple):
    entries: str
    contents: str
    head: str


def tables(apps: Any = None) -> Tables:
    """The ledger's tables: of a migration's historical ``apps``, or the installed ones."""
    return Tables(
        *db_tables(
            apps,
            "acknowledgements.LedgerEntry",
            "acknowledgements.Acknowledgement",
            "acknowledgements.LedgerHead",
        )
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


def ledger_tables_remade(operations: list) -> list:
    """``operations`` that make a ledger table anew on SQLite (adding a NOT NULL column,
    say), between taking off and putting back every ledger trigger there: migration
    0002's and 0008's (``entry_table_remade`` is 0005's, from before 0008)."""

    def off(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            db = tables(apps)
            take_off(schema_editor, lambda vendor: evidence_triggers(vendor, db, per_round=False))
            run_vendor_sql(schema_editor, sqlite=lambda: sqlite_backward(db), postgresql=list)

    def on(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            db = tables(apps)
            run_vendor_sql(schema_editor, sqlite=lambda: sqlite_forward(db), postgresql=list)
            put_on(schema_editor, lambda vendor: evidence_triggers(vendor, db, per_round=False))

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


# The head may change only to a later entry (or stay as it is): never back, never to
# another hash at the same place, never to another row.
_HEAD_FORWARD = (
    "NEW.id = OLD.id AND (NEW.sequence > OLD.sequence "
    "OR (NEW.sequence = OLD.sequence AND NEW.record_hash = OLD.record_hash))"
)


def evidence_triggers(vendor: str, db: Tables, *, per_round: bool = True) -> list[Trigger]:
    """Migration 0008's triggers (see the module's docstring); from migration 0010 on
    (``per_round``), a signature replaces only one of the same round, as the unique
    constraints allow one per employee, version and round (``IS``: NULL equals NULL)."""
    if vendor == "sqlite":
        one_signature = (
            "NEW.kind = 'acknowledgement' AND o.kind = 'acknowledgement' "
            "AND o.employee_id = NEW.employee_id AND o.version_id = NEW.version_id"
        )
        if per_round:
            one_signature += " AND o.campaign_id IS NEW.campaign_id"
        head_abort = sqlite_abort(HEAD_MESSAGE)
        return [
            sqlite_no_replace(
                "ledger_entry_no_replace",
                db.entries,
                MESSAGE,
                when=same_row(db.entries, ["id", "sequence", "verification_code"]),
            ),
            sqlite_no_replace(
                "ledger_content_no_replace",
                db.contents,
                MESSAGE,
                when=same_row(db.contents, ["entry_id", one_signature]),
            ),
            sqlite_no_replace(
                "ledger_head_no_replace", db.head, HEAD_MESSAGE, when=same_row(db.head, ["id"])
            ),
            Trigger(
                "ledger_head_forward",
                db.head,
                [
                    f"CREATE TRIGGER ledger_head_forward BEFORE UPDATE ON {db.head} "
                    f"FOR EACH ROW WHEN NOT ({_HEAD_FORWARD}) BEGIN {head_abort} END;"
                ],
                ["DROP TRIGGER IF EXISTS ledger_head_forward;"],
            ),
            Trigger(
                "ledger_head_no_delete",
                db.head,
                [
                    f"CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON {db.head} "
                    f"BEGIN {head_abort} END;"
                ],
                ["DROP TRIGGER IF EXISTS ledger_head_no_delete;"],
            ),
        ]
    if vendor == "postgresql":
        head_raise = postgresql_raise(HEAD_MESSAGE)
        return [
            postgresql_no_truncate("ledger_entry_no_truncate", db.entries, MESSAGE),
            postgresql_no_truncate("ledger_content_no_truncate", db.contents, MESSAGE),
            postgresql_no_truncate("ledger_head_no_truncate", db.head, HEAD_MESSAGE),
            Trigger(
                "ledger_head_forward",
                db.head,
                [
                    f"""CREATE FUNCTION ledger_head_forward() RETURNS trigger AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' OR NOT ({_HEAD_FORWARD}) THEN {head_raise} END IF;
                        RETURN NEW;
                    END $$ LANGUAGE plpgsql;""",
                    f"""CREATE TRIGGER ledger_head_forward BEFORE UPDATE OR DELETE ON {db.head}
                    FOR EACH ROW EXECUTE FUNCTION ledger_head_forward();""",
                ],
                [
                    f"DROP TRIGGER IF EXISTS ledger_head_forward ON {db.head};",
                    "DROP FUNCTION IF EXISTS ledger_head_forward();",
                ],
            ),
        ]
    return []  # pragma: no cover - only SQLite and PostgreSQL are supported


EVIDENCE = TriggerSet(
    ("acknowledgements", "0008_refuse_truncate_and_replace"),
    lambda vendor: names(evidence_triggers(vendor, tables())),
)


def install_evidence(apps, schema_editor) -> None:
    """Put the evidence triggers on as they are now (``apps`` None: the installed
    models): migration 0010's, with the signature per round."""
    db = tables(apps)
    put_on(schema_editor, lambda vendor: evidence_triggers(vendor, db))


def uninstall_evidence(apps, schema_editor) -> None:
    db = tables(apps)
    take_off(schema_editor, lambda vendor: evidence_triggers(vendor, db))


def install_evidence_0008(apps, schema_editor) -> None:
    """Migration 0008's triggers as 0008 made them (one signature per version)."""
    db = tables(apps)
    put_on(schema_editor, lambda vendor: evidence_triggers(vendor, db, per_round=False))


def uninstall_evidence_0008(apps, schema_editor) -> None:
    db = tables(apps)
    take_off(schema_editor, lambda vendor: evidence_triggers(vendor, db, per_round=False))
