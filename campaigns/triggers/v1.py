"""The progress triggers as migrations 0002 to 0011 installed them (before yearly
rounds; the current ones: campaigns.triggers). Kept for those migrations.

An assignment's progress facts, kept on the assignment by the database itself.

The status of an assignment follows from facts elsewhere: the employee's
acknowledgement of the version (the ledger), a passed quiz attempt for it, and the tips
of it they opened. Looking those up per assignment costs several index probes per row:
fine for a team, far too slow for a dashboard over 100,000 assignments. So each
assignment carries three timestamps, and the database keeps them right with triggers on
the tables that hold the facts:

- ``signed_at``: when the employee signed the version (their acknowledgement), or NULL;
- ``quiz_passed_at``: their first passed attempt at the version's quiz, or NULL;
- ``read_at``: when they had opened every tip of the version (the last first opening),
  or NULL.

Triggers rather than service code, so that no path can leave them stale: the signing
and quiz services, an import, a bulk load with COPY, the retention run, an erasure, the
admin. A new assignment gets its facts on insert. The status itself stays a rule in one
place (campaigns.selectors.with_status), now over these columns.

Used by migration 0002; changing the SQL means a new migration. ``refresh`` recomputes
the columns with the same rules from Python (a repair, and the tests' check that the
triggers and the rules agree).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from portal.db import run_vendor_sql
from portal.triggers import db_tables

INSTALLED_BY = ("campaigns", "0002_assignment_progress")
ACKNOWLEDGEMENT_KIND = "acknowledgement"
# PostgreSQL: set (SET LOCAL) while assignments are inserted in bulk, whose facts are then
# filled in one statement (fill_in_bulk) instead of three lookups per row.
BULK_SETTING = "campaigns.progress_in_bulk"


class Tables(NamedTuple):
    assignments: str
    acknowledgements: str
    attempts: str
    reads: str
    tips: str


def tables(apps: Any = None) -> Tables:
    """The tables: of a migration's historical ``apps``, or the installed ones."""
    return Tables(
        *db_tables(
            apps,
            "campaigns.Assignment",
            "acknowledgements.Acknowledgement",
            "quizzes.Attempt",
            "acknowledgements.TipRead",
            "handbook.Tip",
        )
    )


def _signed(db: Tables, e: str, v: str) -> str:
    return (
        f"(SELECT MIN(k.signed_at) FROM {db.acknowledgements} k WHERE k.employee_id = {e} "
        f"AND k.version_id = {v} AND k.kind = '{ACKNOWLEDGEMENT_KIND}')"
    )


def _passed(db: Tables, e: str, v: str) -> str:
    # A passed attempt was submitted (a check constraint on the attempt says so).
    return (
        f"(SELECT MIN(q.submitted_at) FROM {db.attempts} q WHERE q.employee_id = {e} "
        f"AND q.version_id = {v} AND q.passed)"
    )


def read_fact(db: Tables, e: str, v: str) -> str:
    # Every tip opened; a version without tips is never "read" (as before: at least 1).
    reads = (
        f"FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id "
        f"WHERE r.employee_id = {e} AND t.version_id = {v}"
    )
    tips = f"(SELECT COUNT(*) FROM {db.tips} t2 WHERE t2.version_id = {v})"
    return (
        f"(CASE WHEN (SELECT COUNT(*) {reads}) >= COALESCE(NULLIF({tips}, 0), 1) "
        f"THEN (SELECT MAX(r.first_opened_at) {reads}) END)"
    )


def _tip_version(db: Tables, tip: str) -> str:
    return f"(SELECT t3.version_id FROM {db.tips} t3 WHERE t3.id = {tip})"


def sqlite_triggers(db: Tables) -> dict[str, str]:
    """The triggers on SQLite: name: table."""
    return {
        "campaigns_assignment_progress": db.assignments,
        "campaigns_signed_insert": db.acknowledgements,
        "campaigns_signed_delete": db.acknowledgements,
        "campaigns_quiz_insert": db.attempts,
        "campaigns_quiz_update": db.attempts,
        "campaigns_quiz_delete": db.attempts,
        "campaigns_read_insert": db.reads,
        "campaigns_read_delete": db.reads,
    }


def postgresql_triggers(db: Tables) -> dict[str, str]:
    """The triggers on PostgreSQL (each with its function of the same name): name: table."""
    return {
        "campaigns_assignment_progress": db.assignments,
        "campaigns_signed_changed": db.acknowledgements,
        "campaigns_quiz_changed": db.attempts,
        "campaigns_read_changed": db.reads,
    }


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    by_vendor = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}
    return by_vendor[vendor](tables()) if vendor in by_vendor else {}


def sqlite_forward(db: Tables) -> list[str]:
    def update(column: str, value: str, e: str, v: str) -> str:
        return (
            f"UPDATE {db.assignments} SET {column} = {value} "
            f"WHERE employee_id = {e} AND version_id = {v};"
        )

    kind = f"kind = '{ACKNOWLEDGEMENT_KIND}'"
    return [
        f"""CREATE TRIGGER campaigns_assignment_progress AFTER INSERT ON {db.assignments}
        BEGIN UPDATE {db.assignments} SET
            signed_at = {_signed(db, "NEW.employee_id", "NEW.version_id")},
            quiz_passed_at = {_passed(db, "NEW.employee_id", "NEW.version_id")},
            read_at = {read_fact(db, "NEW.employee_id", "NEW.version_id")}
        WHERE id = NEW.id; END;""",
        f"""CREATE TRIGGER campaigns_signed_insert AFTER INSERT ON {db.acknowledgements}
        WHEN NEW.{kind} BEGIN
        {update("signed_at", _signed(db, "NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_signed_delete AFTER DELETE ON {db.acknowledgements}
        WHEN OLD.{kind} BEGIN
        {update("signed_at", _signed(db, "OLD.employee_id", "OLD.version_id"), "OLD.employee_id", "OLD.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_insert AFTER INSERT ON {db.attempts} BEGIN
        {update("quiz_passed_at", _passed(db, "NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_update AFTER UPDATE OF passed, submitted_at
        ON {db.attempts} BEGIN
        {update("quiz_passed_at", _passed(db, "NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_delete AFTER DELETE ON {db.attempts} BEGIN
        {update("quiz_passed_at", _passed(db, "OLD.employee_id", "OLD.version_id"), "OLD.employee_id", "OLD.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_read_insert AFTER INSERT ON {db.reads} BEGIN
        {update("read_at", read_fact(db, "NEW.employee_id", _tip_version(db, "NEW.tip_id")), "NEW.employee_id", _tip_version(db, "NEW.tip_id"))}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_read_delete AFTER DELETE ON {db.reads} BEGIN
        {update("read_at", read_fact(db, "OLD.employee_id", _tip_version(db, "OLD.tip_id")), "OLD.employee_id", _tip_version(db, "OLD.tip_id"))}
        END;""",  # noqa: E501
    ]


def sqlite_backward(db: Tables) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_triggers(db)]


def postgresql_forward(db: Tables) -> list[str]:
    def fact_function(
        name: str, column: str, value: str, *, version: str, condition: str = "TRUE"
    ) -> str:
        # One function for insert, update and delete: the row is NEW or OLD. ``changed_version``
        # is the version whose assignments change.
        return f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
        DECLARE changed record; changed_version bigint;
        BEGIN
            IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
            IF {condition} THEN
                changed_version := {version};
                UPDATE {db.assignments} SET {column} = {value}
                WHERE employee_id = changed.employee_id AND version_id = changed_version;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;"""

    return [
        f"""CREATE FUNCTION campaigns_assignment_progress() RETURNS trigger AS $$
        BEGIN
            IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NEW; END IF;
            NEW.signed_at := {_signed(db, "NEW.employee_id", "NEW.version_id")};
            NEW.quiz_passed_at := {_passed(db, "NEW.employee_id", "NEW.version_id")};
            NEW.read_at := {read_fact(db, "NEW.employee_id", "NEW.version_id")};
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER campaigns_assignment_progress BEFORE INSERT ON {db.assignments}
        FOR EACH ROW EXECUTE FUNCTION campaigns_assignment_progress();""",
        fact_function(
            "campaigns_signed_changed",
            "signed_at",
            _signed(db, "changed.employee_id", "changed_version"),
            version="changed.version_id",
            condition=f"changed.kind = '{ACKNOWLEDGEMENT_KIND}'",
        ),
        f"""CREATE TRIGGER campaigns_signed_changed AFTER INSERT OR DELETE ON {db.acknowledgements}
        FOR EACH ROW EXECUTE FUNCTION campaigns_signed_changed();""",
        fact_function(
            "campaigns_quiz_changed",
            "quiz_passed_at",
            _passed(db, "changed.employee_id", "changed_version"),
            version="changed.version_id",
        ),
        f"""CREATE TRIGGER campaigns_quiz_changed
        AFTER INSERT OR DELETE OR UPDATE OF passed, submitted_at ON {db.attempts}
        FOR EACH ROW EXECUTE FUNCTION campaigns_quiz_changed();""",
        fact_function(
            "campaigns_read_changed",
            "read_at",
            read_fact(db, "changed.employee_id", "changed_version"),
            version=_tip_version(db, "changed.tip_id"),
        ),
        f"""CREATE TRIGGER campaigns_read_changed AFTER INSERT OR DELETE ON {db.reads}
        FOR EACH ROW EXECUTE FUNCTION campaigns_read_changed();""",
    ]


def postgresql_backward(db: Tables) -> list[str]:
    statements = []
    for trigger, table in reversed(postgresql_triggers(db).items()):
        statements.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {trigger}();")
    return statements


def postgresql_bulk_aware(db: Tables) -> list[str]:
    """Migration 0004: the insert trigger stands aside in a bulk insert (BULK_SETTING)."""
    statements = postgresql_forward(db)
    return [statements[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)]


def postgresql_not_bulk_aware(db: Tables) -> list[str]:
    statements = postgresql_forward(db)
    return [
        statements[0]
        .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        .replace(f"IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NEW; END IF;", "")
    ]


def make_bulk_aware(apps, schema_editor) -> None:
    db = tables(apps)
    run_vendor_sql(schema_editor, sqlite=list, postgresql=lambda: postgresql_bulk_aware(db))


def unmake_bulk_aware(apps, schema_editor) -> None:
    db = tables(apps)
    run_vendor_sql(schema_editor, sqlite=list, postgresql=lambda: postgresql_not_bulk_aware(db))


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
