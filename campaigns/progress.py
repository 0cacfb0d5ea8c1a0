"""An assignment's progress facts, kept on the assignment by the database itself.

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

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual

from portal.db import run_vendor_sql

ASSIGNMENTS = "campaigns_assignment"
ACKNOWLEDGEMENTS = "acknowledgements_acknowledgement"
ATTEMPTS = "quizzes_attempt"
READS = "acknowledgements_tipread"
TIPS = "handbook_tip"
ACKNOWLEDGEMENT_KIND = "acknowledgement"
# PostgreSQL: set (SET LOCAL) while assignments are inserted in bulk, whose facts are then
# filled in one statement (fill_in_bulk) instead of three lookups per row.
BULK_SETTING = "campaigns.progress_in_bulk"


def _signed(e: str, v: str) -> str:
    return (
        f"(SELECT MIN(k.signed_at) FROM {ACKNOWLEDGEMENTS} k WHERE k.employee_id = {e} "
        f"AND k.version_id = {v} AND k.kind = '{ACKNOWLEDGEMENT_KIND}')"
    )


def _passed(e: str, v: str) -> str:
    # A passed attempt was submitted (a check constraint on the attempt says so).
    return (
        f"(SELECT MIN(q.submitted_at) FROM {ATTEMPTS} q WHERE q.employee_id = {e} "
        f"AND q.version_id = {v} AND q.passed)"
    )


def _read(e: str, v: str) -> str:
    # Every tip opened; a version without tips is never "read" (as before: at least 1).
    reads = (
        f"FROM {READS} r JOIN {TIPS} t ON t.id = r.tip_id "
        f"WHERE r.employee_id = {e} AND t.version_id = {v}"
    )
    tips = f"(SELECT COUNT(*) FROM {TIPS} t2 WHERE t2.version_id = {v})"
    return (
        f"(CASE WHEN (SELECT COUNT(*) {reads}) >= COALESCE(NULLIF({tips}, 0), 1) "
        f"THEN (SELECT MAX(r.first_opened_at) {reads}) END)"
    )


def _tip_version(tip: str) -> str:
    return f"(SELECT t3.version_id FROM {TIPS} t3 WHERE t3.id = {tip})"


SQLITE_TRIGGERS = (
    "campaigns_assignment_progress",
    "campaigns_signed_insert",
    "campaigns_signed_delete",
    "campaigns_quiz_insert",
    "campaigns_quiz_update",
    "campaigns_quiz_delete",
    "campaigns_read_insert",
    "campaigns_read_delete",
)


def sqlite_forward() -> list[str]:
    def update(column: str, value: str, e: str, v: str) -> str:
        return (
            f"UPDATE {ASSIGNMENTS} SET {column} = {value} "
            f"WHERE employee_id = {e} AND version_id = {v};"
        )

    kind = f"kind = '{ACKNOWLEDGEMENT_KIND}'"
    return [
        f"""CREATE TRIGGER campaigns_assignment_progress AFTER INSERT ON {ASSIGNMENTS}
        BEGIN UPDATE {ASSIGNMENTS} SET
            signed_at = {_signed("NEW.employee_id", "NEW.version_id")},
            quiz_passed_at = {_passed("NEW.employee_id", "NEW.version_id")},
            read_at = {_read("NEW.employee_id", "NEW.version_id")}
        WHERE id = NEW.id; END;""",
        f"""CREATE TRIGGER campaigns_signed_insert AFTER INSERT ON {ACKNOWLEDGEMENTS}
        WHEN NEW.{kind} BEGIN
        {update("signed_at", _signed("NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_signed_delete AFTER DELETE ON {ACKNOWLEDGEMENTS}
        WHEN OLD.{kind} BEGIN
        {update("signed_at", _signed("OLD.employee_id", "OLD.version_id"), "OLD.employee_id", "OLD.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_insert AFTER INSERT ON {ATTEMPTS} BEGIN
        {update("quiz_passed_at", _passed("NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_update AFTER UPDATE OF passed, submitted_at
        ON {ATTEMPTS} BEGIN
        {update("quiz_passed_at", _passed("NEW.employee_id", "NEW.version_id"), "NEW.employee_id", "NEW.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_quiz_delete AFTER DELETE ON {ATTEMPTS} BEGIN
        {update("quiz_passed_at", _passed("OLD.employee_id", "OLD.version_id"), "OLD.employee_id", "OLD.version_id")}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_read_insert AFTER INSERT ON {READS} BEGIN
        {update("read_at", _read("NEW.employee_id", _tip_version("NEW.tip_id")), "NEW.employee_id", _tip_version("NEW.tip_id"))}
        END;""",  # noqa: E501
        f"""CREATE TRIGGER campaigns_read_delete AFTER DELETE ON {READS} BEGIN
        {update("read_at", _read("OLD.employee_id", _tip_version("OLD.tip_id")), "OLD.employee_id", _tip_version("OLD.tip_id"))}
        END;""",  # noqa: E501
    ]


def sqlite_backward() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]


def postgresql_forward() -> list[str]:
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
                UPDATE {ASSIGNMENTS} SET {column} = {value}
                WHERE employee_id = changed.employee_id AND version_id = changed_version;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;"""

    return [
        f"""CREATE FUNCTION campaigns_assignment_progress() RETURNS trigger AS $$
        BEGIN
            IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NEW; END IF;
            NEW.signed_at := {_signed("NEW.employee_id", "NEW.version_id")};
            NEW.quiz_passed_at := {_passed("NEW.employee_id", "NEW.version_id")};
            NEW.read_at := {_read("NEW.employee_id", "NEW.version_id")};
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER campaigns_assignment_progress BEFORE INSERT ON {ASSIGNMENTS}
        FOR EACH ROW EXECUTE FUNCTION campaigns_assignment_progress();""",
        fact_function(
            "campaigns_signed_changed",
            "signed_at",
            _signed("changed.employee_id", "changed_version"),
            version="changed.version_id",
            condition=f"changed.kind = '{ACKNOWLEDGEMENT_KIND}'",
        ),
        f"""CREATE TRIGGER campaigns_signed_changed AFTER INSERT OR DELETE ON {ACKNOWLEDGEMENTS}
        FOR EACH ROW EXECUTE FUNCTION campaigns_signed_changed();""",
        fact_function(
            "campaigns_quiz_changed",
            "quiz_passed_at",
            _passed("changed.employee_id", "changed_version"),
            version="changed.version_id",
        ),
        f"""CREATE TRIGGER campaigns_quiz_changed
        AFTER INSERT OR DELETE OR UPDATE OF passed, submitted_at ON {ATTEMPTS}
        FOR EACH ROW EXECUTE FUNCTION campaigns_quiz_changed();""",
        fact_function(
            "campaigns_read_changed",
            "read_at",
            _read("changed.employee_id", "changed_version"),
            version=_tip_version("changed.tip_id"),
        ),
        f"""CREATE TRIGGER campaigns_read_changed AFTER INSERT OR DELETE ON {READS}
        FOR EACH ROW EXECUTE FUNCTION campaigns_read_changed();""",
    ]


def postgresql_backward() -> list[str]:
    statements = []
    for trigger, table in (
        ("campaigns_read_changed", READS),
        ("campaigns_quiz_changed", ATTEMPTS),
        ("campaigns_signed_changed", ACKNOWLEDGEMENTS),
        ("campaigns_assignment_progress", ASSIGNMENTS),
    ):
        statements.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {trigger}();")
    return statements


def postgresql_bulk_aware() -> list[str]:
    """Migration 0004: the insert trigger stands aside in a bulk insert (BULK_SETTING)."""
    statements = postgresql_forward()
    return [statements[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)]


def postgresql_not_bulk_aware() -> list[str]:
    statements = postgresql_forward()
    return [
        statements[0]
        .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        .replace(f"IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NEW; END IF;", "")
    ]


def make_bulk_aware(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=list, postgresql=postgresql_bulk_aware)


def unmake_bulk_aware(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=list, postgresql=postgresql_not_bulk_aware)


# Driven by the facts (aggregates over the version's facts, joined by employee), not by
# the assignments: right after a bulk insert the planner knows nothing of the new rows
# and would loop over them. Rows without any fact keep their NULLs.
_FILL_IN_BULK = f"""
WITH signed AS (
    SELECT employee_id, MIN(signed_at) AS at FROM {ACKNOWLEDGEMENTS}
    WHERE version_id = %(version)s AND kind = '{ACKNOWLEDGEMENT_KIND}' GROUP BY employee_id
), passed AS (
    SELECT employee_id, MIN(submitted_at) AS at FROM {ATTEMPTS}
    WHERE version_id = %(version)s AND passed GROUP BY employee_id
), reads AS (
    SELECT r.employee_id, COUNT(*) AS n, MAX(r.first_opened_at) AS at
    FROM {READS} r JOIN {TIPS} t ON t.id = r.tip_id
    WHERE t.version_id = %(version)s GROUP BY r.employee_id
), needed AS (
    SELECT COALESCE(NULLIF(COUNT(*), 0), 1) AS n FROM {TIPS} WHERE version_id = %(version)s
), facts AS (
    SELECT COALESCE(signed.employee_id, passed.employee_id, reads.employee_id) AS employee_id,
        signed.at AS signed_at, passed.at AS passed_at,
        CASE WHEN reads.n >= (SELECT n FROM needed) THEN reads.at END AS read_at
    FROM signed
    FULL JOIN passed ON passed.employee_id = signed.employee_id
    FULL JOIN reads ON reads.employee_id = COALESCE(signed.employee_id, passed.employee_id)
)
UPDATE {ASSIGNMENTS} a
SET signed_at = facts.signed_at, quiz_passed_at = facts.passed_at, read_at = facts.read_at
FROM facts
WHERE a.employee_id = facts.employee_id
    AND a.campaign_id = %(campaign)s AND a.version_id = %(version)s {{which}}
    AND (
        a.signed_at IS DISTINCT FROM facts.signed_at
        OR a.quiz_passed_at IS DISTINCT FROM facts.passed_at
        OR a.read_at IS DISTINCT FROM facts.read_at
    )
"""

# For repairs: facts that are gone (an erasure, a retention run) clear the column.
_CLEAR_GONE = (
    f"""UPDATE {ASSIGNMENTS} a SET signed_at = NULL
    WHERE a.campaign_id = %(campaign)s AND a.signed_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM {ACKNOWLEDGEMENTS} k WHERE k.employee_id = a.employee_id
        AND k.version_id = a.version_id AND k.kind = '{ACKNOWLEDGEMENT_KIND}')""",
    f"""UPDATE {ASSIGNMENTS} a SET quiz_passed_at = NULL
    WHERE a.campaign_id = %(campaign)s AND a.quiz_passed_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM {ATTEMPTS} q WHERE q.employee_id = a.employee_id
        AND q.version_id = a.version_id AND q.passed)""",
    f"""UPDATE {ASSIGNMENTS} a SET read_at = NULL
    WHERE a.campaign_id = %(campaign)s AND a.read_at IS NOT NULL
    AND {_read("a.employee_id", "a.version_id")} IS NULL""",
)


@contextmanager
def in_bulk(*, campaign_id: int, version_id: int, added_at) -> Iterator[None]:
    """Insert a campaign's new assignments (one version, one ``added_at``) inside this
    block: on PostgreSQL their facts are then filled in one set-based statement (hash
    joins over the version's facts) instead of by the insert trigger row by row. On
    SQLite the trigger does it. Use inside a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {BULK_SETTING} = 'on'")
        try:
            yield
        finally:
            cursor.execute(f"SET LOCAL {BULK_SETTING} = 'off'")
        cursor.execute(
            _FILL_IN_BULK.format(which="AND a.added_at = %(added_at)s"),
            {"campaign": campaign_id, "version": version_id, "added_at": added_at},
        )


def repair(campaign) -> int:
    """Make the facts of a campaign's assignments equal to the source tables again;
    returns how many assignments changed (normally none).

    The triggers keep them right, with one gap: a fact recorded by another transaction
    while assignments are being inserted (a launch takes seconds for a large
    organisation) cannot reach rows it does not see yet. The periodic command
    (run_campaigns) repairs that. One set-based statement per version on PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return refresh_stale(campaign.assignments.all())
    changed = 0
    with connection.cursor() as cursor:
        for statement in _CLEAR_GONE:
            cursor.execute(statement, {"campaign": campaign.pk})
            changed += cursor.rowcount
        versions = campaign.assignments.order_by().values_list("version_id", flat=True)
        for version_id in versions.distinct():
            cursor.execute(
                _FILL_IN_BULK.format(which=""),
                {"campaign": campaign.pk, "version": version_id},
            )
            changed += cursor.rowcount
    return changed


def install(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_forward, postgresql=postgresql_forward)


def uninstall(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_backward, postgresql=postgresql_backward)


def fact_columns(models=None) -> dict:
    """The three columns as expressions over the facts, for ``QuerySet.update``.

    ``models``: a mapping of model names to classes (a migration's historical models);
    by default the apps' own.
    """
    if models is None:
        from acknowledgements.models import Acknowledgement, TipRead
        from handbook.models import Tip
        from quizzes.models import Attempt
    else:
        Acknowledgement, TipRead, Tip, Attempt = (  # noqa: N806 - model classes
            models[name] for name in ("Acknowledgement", "TipRead", "Tip", "Attempt")
        )
    signed = (
        Acknowledgement.objects.filter(
            employee_id=OuterRef("employee_id"),
            version_id=OuterRef("version_id"),
            kind=ACKNOWLEDGEMENT_KIND,
        )
        .order_by()
        .values("employee_id")
        .annotate(at=Min("signed_at"))
        .values("at")
    )
    passed = (
        Attempt.objects.filter(
            employee_id=OuterRef("employee_id"), version_id=OuterRef("version_id"), passed=True
        )
        .order_by()
        .values("employee_id")
        .annotate(at=Min("submitted_at"))
        .values("at")
    )
    reads = TipRead.objects.filter(
        employee_id=OuterRef("employee_id"), tip__version_id=OuterRef("version_id")
    ).order_by()
    read_count = reads.values("employee_id").annotate(n=Count("pk")).values("n")
    last_read = reads.values("employee_id").annotate(at=Max("first_opened_at")).values("at")
    tip_count = (
        Tip.objects.filter(version_id=OuterRef("version_id"))
        .order_by()
        .values("version_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tips_read = Coalesce(Subquery(read_count, output_field=IntegerField()), Value(0))
    needed = Coalesce(NullIf(Subquery(tip_count, output_field=IntegerField()), Value(0)), Value(1))
    return {
        "signed_at": Subquery(signed),
        "quiz_passed_at": Subquery(passed),
        "read_at": Case(
            When(GreaterThanOrEqual(tips_read, needed), then=Subquery(last_read)),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    }


def refresh(assignments: QuerySet) -> int:
    """Recompute the three columns of these assignments from the facts; returns how
    many rows were updated. The triggers keep them right: this is for repairs."""
    return assignments.update(**fact_columns())


def refresh_stale(assignments: QuerySet) -> int:
    """refresh, counting only the assignments whose columns changed (for SQLite, where
    installations are small: the columns are read before and after)."""
    columns = ("pk", "signed_at", "quiz_passed_at", "read_at")
    before = set(assignments.values_list(*columns))
    refresh(assignments)
    return len(set(assignments.values_list(*columns)) - before)
