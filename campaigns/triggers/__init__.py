"""An assignment's progress facts, kept on the assignment by the database itself.

The status of an assignment follows from facts elsewhere: the employee's signatures of
the version (the ledger), their quiz attempts at it, and the tips of it they opened.
Looking those up per assignment costs several index probes per row: fine for a team,
far too slow for a dashboard over 100,000 assignments. So each assignment carries the
facts as columns, and the database keeps them right with triggers on the tables that
hold the facts:

- ``signed_at`` and ``signature``: the signature that completes the assignment (its
  time and its content row): the employee's first acknowledgement of the version; in a
  round where everyone signs again (``counts_from`` set, Campaign.Signing.AGAIN), the
  one that names this campaign (one per employee, version and round: the ledger's
  constraint).
- ``quiz_passed_at`` / ``quiz_failed_at``: their first passed / not passed attempt at
  the version's quiz (in a round: submitted since ``counts_from``).
- ``opened_at``: when they first opened a tip of the version (in a round: the earliest
  latest opening since ``counts_from``): they have started.
- ``read_at``: when they had opened every tip of the version (the last opening). In a
  round: every tip opened since ``counts_from``, except the tips they need not read
  again (SkippedTip); with none left to read, ``counts_from``.

Triggers rather than service code, so that no path can leave them stale: the signing
and quiz services, an import, a bulk load, the retention run, an erasure, the admin. A
new assignment gets its facts on insert. The status itself stays a rule in one place
(campaigns.selectors.with_status), over these columns.

Installed by migration 0012 (the ones before it: campaigns.triggers.v1); changing the
SQL means a new migration. campaigns.services.progress fills the facts in bulk after a
launch and repairs them with the same expressions (``FACTS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from portal.db import run_vendor_sql
from portal.triggers import AppendOnlyTrail, db_tables

INSTALLED_BY = ("campaigns", "0012_yearly_round")
ACKNOWLEDGEMENT_KIND = "acknowledgement"
# PostgreSQL: set (SET LOCAL) while assignments are inserted in bulk, whose facts are then
# filled in one statement (campaigns.services.progress) instead of row by row.
BULK_SETTING = "campaigns.progress_in_bulk"


class Tables(NamedTuple):
    assignments: str
    acknowledgements: str
    attempts: str
    reads: str
    tips: str
    skipped: str


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
            "campaigns.SkippedTip",
        )
    )


# A tip's latest opening (rows from before it was kept have only the first).
OPENED = "COALESCE(r.last_opened_at, r.first_opened_at)"


def _since(a: str, column: str) -> str:
    return f"({a}.counts_from IS NULL OR {column} >= {a}.counts_from)"


def _signatures(db: Tables, a: str) -> str:
    return (
        f"FROM {db.acknowledgements} k WHERE k.employee_id = {a}.employee_id "
        f"AND k.version_id = {a}.version_id AND k.kind = '{ACKNOWLEDGEMENT_KIND}' "
        f"AND ({a}.counts_from IS NULL OR k.campaign_id = {a}.campaign_id)"
    )


def signed(db: Tables, a: str) -> str:
    return f"(SELECT MIN(k.signed_at) {_signatures(db, a)})"


def signature(db: Tables, a: str) -> str:
    return f"(SELECT k.entry_id {_signatures(db, a)} ORDER BY k.signed_at, k.entry_id LIMIT 1)"


def _attempts(db: Tables, a: str, outcome: str) -> str:
    # A submitted attempt has its outcome (a check constraint on the attempt says so).
    return (
        f"(SELECT MIN(q.submitted_at) FROM {db.attempts} q WHERE q.employee_id = {a}.employee_id "
        f"AND q.version_id = {a}.version_id AND q.submitted_at IS NOT NULL AND {outcome} "
        f"AND {_since(a, 'q.submitted_at')})"
    )


def passed(db: Tables, a: str) -> str:
    return _attempts(db, a, "q.passed")


def failed(db: Tables, a: str) -> str:
    return _attempts(db, a, "NOT q.passed")


def opened(db: Tables, a: str) -> str:
    first_or_latest = f"CASE WHEN {a}.counts_from IS NULL THEN r.first_opened_at ELSE {OPENED} END"
    return (
        f"(SELECT MIN({first_or_latest}) FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id "
        f"WHERE r.employee_id = {a}.employee_id AND t.version_id = {a}.version_id "
        f"AND {_since(a, OPENED)})"
    )


def read(db: Tables, a: str) -> str:
    # Outside a round: every tip opened; a version without tips is never "read" (at
    # least one). In a round: every tip still to read opened since the round's start.
    reads = (
        f"FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id "
        f"WHERE r.employee_id = {a}.employee_id AND t.version_id = {a}.version_id"
    )
    tips = f"(SELECT COUNT(*) FROM {db.tips} t2 WHERE t2.version_id = {a}.version_id)"
    whole = (
        f"(CASE WHEN (SELECT COUNT(*) {reads}) >= COALESCE(NULLIF({tips}, 0), 1) "
        f"THEN (SELECT MAX(r.first_opened_at) {reads}) END)"
    )
    to_read = (
        f"t.version_id = {a}.version_id AND NOT EXISTS (SELECT 1 FROM {db.skipped} s "
        f"WHERE s.assignment_id = {a}.id AND s.tip_id = t.id)"
    )
    read_since = (
        f"EXISTS (SELECT 1 FROM {db.reads} r WHERE r.employee_id = {a}.employee_id "
        f"AND r.tip_id = t.id AND {OPENED} >= {a}.counts_from)"
    )
    last = (
        f"(SELECT MAX({OPENED}) FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id "
        f"WHERE r.employee_id = {a}.employee_id AND {to_read} AND {OPENED} >= {a}.counts_from)"
    )
    in_round = (
        f"(CASE WHEN NOT EXISTS (SELECT 1 FROM {db.tips} t WHERE {to_read} AND NOT {read_since}) "
        f"THEN COALESCE({last}, {a}.counts_from) END)"
    )
    return f"(CASE WHEN {a}.counts_from IS NULL THEN {whole} ELSE {in_round} END)"


Fact = Callable[[Tables, str], str]
# Every fact column and its expression over an assignment row ``a`` (a table name or NEW).
FACTS: dict[str, Fact] = {
    "signed_at": signed,
    "signature_id": signature,
    "quiz_passed_at": passed,
    "quiz_failed_at": failed,
    "opened_at": opened,
    "read_at": read,
}
# Which facts a change in each source table can change.
SIGNING = ("signed_at", "signature_id")
QUIZ = ("quiz_passed_at", "quiz_failed_at")
READING = ("opened_at", "read_at")


def set_facts(db: Tables, a: str, columns: tuple[str, ...] | list[str] = tuple(FACTS)) -> str:
    """``column = expression, ...`` of an UPDATE of the assignments table (``a``: its name)."""
    return ", ".join(f"{column} = {FACTS[column](db, a)}" for column in columns)


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
        "campaigns_read_update": db.reads,
        "campaigns_read_delete": db.reads,
        "campaigns_skipped_insert": db.skipped,
        "campaigns_skipped_delete": db.skipped,
    }


def postgresql_triggers(db: Tables) -> dict[str, str]:
    """The triggers on PostgreSQL (each with its function of the same name): name: table."""
    return {
        "campaigns_assignment_progress": db.assignments,
        "campaigns_signed_changed": db.acknowledgements,
        "campaigns_quiz_changed": db.attempts,
        "campaigns_read_changed": db.reads,
        "campaigns_skipped_changed": db.skipped,
    }


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    by_vendor = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}
    return by_vendor[vendor](tables()) if vendor in by_vendor else {}


def sqlite_forward(db: Tables) -> list[str]:
    table = db.assignments

    def update(columns: tuple[str, ...], e: str, v: str) -> str:
        return (
            f"UPDATE {table} SET {set_facts(db, table, columns)} "
            f"WHERE employee_id = {e} AND version_id = {v};"
        )

    kind = f"kind = '{ACKNOWLEDGEMENT_KIND}'"
    new_tip, old_tip = _tip_version(db, "NEW.tip_id"), _tip_version(db, "OLD.tip_id")
    return [
        f"""CREATE TRIGGER campaigns_assignment_progress AFTER INSERT ON {table}
        BEGIN UPDATE {table} SET {set_facts(db, table)} WHERE id = NEW.id; END;""",
        f"""CREATE TRIGGER campaigns_signed_insert AFTER INSERT ON {db.acknowledgements}
        WHEN NEW.{kind} BEGIN {update(SIGNING, "NEW.employee_id", "NEW.version_id")} END;""",
        f"""CREATE TRIGGER campaigns_signed_delete AFTER DELETE ON {db.acknowledgements}
        WHEN OLD.{kind} BEGIN {update(SIGNING, "OLD.employee_id", "OLD.version_id")} END;""",
        f"""CREATE TRIGGER campaigns_quiz_insert AFTER INSERT ON {db.attempts}
        BEGIN {update(QUIZ, "NEW.employee_id", "NEW.version_id")} END;""",
        f"""CREATE TRIGGER campaigns_quiz_update AFTER UPDATE OF passed, submitted_at
        ON {db.attempts} BEGIN {update(QUIZ, "NEW.employee_id", "NEW.version_id")} END;""",
        f"""CREATE TRIGGER campaigns_quiz_delete AFTER DELETE ON {db.attempts}
        BEGIN {update(QUIZ, "OLD.employee_id", "OLD.version_id")} END;""",
        f"""CREATE TRIGGER campaigns_read_insert AFTER INSERT ON {db.reads}
        BEGIN {update(READING, "NEW.employee_id", new_tip)} END;""",
        f"""CREATE TRIGGER campaigns_read_update AFTER UPDATE OF last_opened_at ON {db.reads}
        BEGIN {update(READING, "NEW.employee_id", new_tip)} END;""",
        f"""CREATE TRIGGER campaigns_read_delete AFTER DELETE ON {db.reads}
        BEGIN {update(READING, "OLD.employee_id", old_tip)} END;""",
        f"""CREATE TRIGGER campaigns_skipped_insert AFTER INSERT ON {db.skipped}
        BEGIN UPDATE {table} SET {set_facts(db, table, ("read_at",))}
        WHERE id = NEW.assignment_id; END;""",
        f"""CREATE TRIGGER campaigns_skipped_delete AFTER DELETE ON {db.skipped}
        BEGIN UPDATE {table} SET {set_facts(db, table, ("read_at",))}
        WHERE id = OLD.assignment_id; END;""",
    ]


def sqlite_backward(db: Tables) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_triggers(db)]


def postgresql_forward(db: Tables) -> list[str]:
    table = db.assignments

    def fact_function(name: str, columns: tuple[str, ...], *, where: str, when: str = "") -> str:
        # One function for insert, update and delete: the row is NEW or OLD.
        condition = f"IF NOT ({when}) THEN RETURN NULL; END IF;" if when else ""
        return f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
        DECLARE changed record;
        BEGIN
            IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
            {condition}
            UPDATE {table} SET {set_facts(db, table, columns)} WHERE {where};
            RETURN NULL;
        END $$ LANGUAGE plpgsql;"""

    def by_employee_and_version(version: str) -> str:
        return f"employee_id = changed.employee_id AND version_id = {version}"

    new_facts = "\n".join(
        f"NEW.{column} := {expression(db, 'NEW')};" for column, expression in FACTS.items()
    )
    return [
        f"""CREATE FUNCTION campaigns_assignment_progress() RETURNS trigger AS $$
        BEGIN
            IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NEW; END IF;
            {new_facts}
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER campaigns_assignment_progress BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION campaigns_assignment_progress();""",
        fact_function(
            "campaigns_signed_changed",
            SIGNING,
            where=by_employee_and_version("changed.version_id"),
            when=f"changed.kind = '{ACKNOWLEDGEMENT_KIND}'",
        ),
        f"""CREATE TRIGGER campaigns_signed_changed AFTER INSERT OR DELETE ON {db.acknowledgements}
        FOR EACH ROW EXECUTE FUNCTION campaigns_signed_changed();""",
        fact_function(
            "campaigns_quiz_changed", QUIZ, where=by_employee_and_version("changed.version_id")
        ),
        f"""CREATE TRIGGER campaigns_quiz_changed
        AFTER INSERT OR DELETE OR UPDATE OF passed, submitted_at ON {db.attempts}
        FOR EACH ROW EXECUTE FUNCTION campaigns_quiz_changed();""",
        fact_function(
            "campaigns_read_changed",
            READING,
            where=by_employee_and_version(_tip_version(db, "changed.tip_id")),
        ),
        f"""CREATE TRIGGER campaigns_read_changed
        AFTER INSERT OR DELETE OR UPDATE OF last_opened_at ON {db.reads}
        FOR EACH ROW EXECUTE FUNCTION campaigns_read_changed();""",
        # Skipped tips are written with their assignments in a bulk launch, whose facts
        # are filled afterwards (campaigns.services.progress).
        fact_function(
            "campaigns_skipped_changed",
            ("read_at",),
            where="id = changed.assignment_id",
            when=f"current_setting('{BULK_SETTING}', true) IS DISTINCT FROM 'on'",
        ),
        f"""CREATE TRIGGER campaigns_skipped_changed AFTER INSERT OR DELETE ON {db.skipped}
        FOR EACH ROW EXECUTE FUNCTION campaigns_skipped_changed();""",
    ]


def postgresql_backward(db: Tables) -> list[str]:
    statements = []
    for trigger, table in reversed(postgresql_triggers(db).items()):
        statements.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {trigger}();")
    return statements


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


# The campaigns' audit trail (CampaignEvent) is append-only: migration 0007 (see
# portal.triggers.append_only), checked as campaigns.E001 too.
EVENTS = AppendOnlyTrail(
    model="campaigns.CampaignEvent",
    prefix="campaign_event",
    message="campaigns: the audit trail is append-only",
    installed_by=("campaigns", "0007_append_only_events"),
)
