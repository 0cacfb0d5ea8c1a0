"""An assignment's progress facts from Python: filling them in bulk after a launch on
PostgreSQL, repairing them, and the same rules as expressions (``fact_columns``).

The database keeps the facts itself with triggers (campaigns.triggers, where the rules
are explained); this is for bulk inserts, repairs and the tests' check that the
triggers and the rules agree.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

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

from campaigns.triggers import (
    ACKNOWLEDGEMENT_KIND,
    BULK_SETTING,
    FACTS,
    OPENED,
    Tables,
    set_facts,
    tables,
)

if TYPE_CHECKING:
    from campaigns.models import Assignment, Campaign


# Driven by the facts (aggregates over the version's facts, joined by employee), not by
# the assignments: right after a bulk insert the planner knows nothing of the new rows
# and would loop over them. Rows without any fact keep their NULLs. Assignments outside
# a round only (``counts_from`` NULL): a round's are filled by _FILL_ROUND.
@functools.cache
def _fill_in_bulk(db: Tables) -> str:
    return f"""
WITH signed AS (
    SELECT DISTINCT ON (employee_id) employee_id, signed_at AS at, entry_id AS entry
    FROM {db.acknowledgements}
    WHERE version_id = %(version)s AND kind = '{ACKNOWLEDGEMENT_KIND}'
    ORDER BY employee_id, signed_at, entry_id
), quiz AS (
    SELECT employee_id, MIN(submitted_at) FILTER (WHERE passed) AS passed_at,
        MIN(submitted_at) FILTER (WHERE NOT passed) AS failed_at
    FROM {db.attempts}
    WHERE version_id = %(version)s AND submitted_at IS NOT NULL GROUP BY employee_id
), reads AS (
    SELECT r.employee_id, COUNT(*) AS n, MAX(r.first_opened_at) AS at,
        MIN(r.first_opened_at) AS first
    FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id
    WHERE t.version_id = %(version)s GROUP BY r.employee_id
), needed AS (
    SELECT COALESCE(NULLIF(COUNT(*), 0), 1) AS n FROM {db.tips} WHERE version_id = %(version)s
), facts AS (
    SELECT COALESCE(signed.employee_id, quiz.employee_id, reads.employee_id) AS employee_id,
        signed.at AS signed_at, signed.entry AS signature_id,
        quiz.passed_at, quiz.failed_at, reads.first AS opened_at,
        CASE WHEN reads.n >= (SELECT n FROM needed) THEN reads.at END AS read_at
    FROM signed
    FULL JOIN quiz ON quiz.employee_id = signed.employee_id
    FULL JOIN reads ON reads.employee_id = COALESCE(signed.employee_id, quiz.employee_id)
)
UPDATE {db.assignments} a
SET signed_at = facts.signed_at, signature_id = facts.signature_id,
    quiz_passed_at = facts.passed_at, quiz_failed_at = facts.failed_at,
    opened_at = facts.opened_at, read_at = facts.read_at
FROM facts
WHERE a.employee_id = facts.employee_id AND a.counts_from IS NULL
    AND a.campaign_id = %(campaign)s AND a.version_id = %(version)s {{which}}
    AND (
        a.signed_at IS DISTINCT FROM facts.signed_at
        OR a.signature_id IS DISTINCT FROM facts.signature_id
        OR a.quiz_passed_at IS DISTINCT FROM facts.passed_at
        OR a.quiz_failed_at IS DISTINCT FROM facts.failed_at
        OR a.opened_at IS DISTINCT FROM facts.opened_at
        OR a.read_at IS DISTINCT FROM facts.read_at
    )
"""


# A round's assignments (``counts_from`` set): only what happened since its start counts,
# so only people who did something since then (or need not read every tip again) can
# have a fact. Those rows get the triggers' own expressions.
@functools.cache
def _fill_round(db: Tables, *, changed_only: bool = False) -> str:
    a = db.assignments
    columns = ", ".join(f"{a}.{column}" for column in FACTS)
    values = ", ".join(fact(db, a) for fact in FACTS.values())
    changed = f"AND ({columns}) IS DISTINCT FROM ({values})" if changed_only else ""
    return f"""
UPDATE {a} SET {set_facts(db, a)}
WHERE {a}.campaign_id = %(campaign)s AND {a}.version_id = %(version)s {{which}}
    AND {a}.counts_from IS NOT NULL AND (
        EXISTS (SELECT 1 FROM {db.acknowledgements} k WHERE k.employee_id = {a}.employee_id
            AND k.version_id = {a}.version_id AND k.campaign_id = {a}.campaign_id)
        OR EXISTS (SELECT 1 FROM {db.attempts} q WHERE q.employee_id = {a}.employee_id
            AND q.version_id = {a}.version_id AND q.submitted_at >= {a}.counts_from)
        OR EXISTS (SELECT 1 FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id
            WHERE r.employee_id = {a}.employee_id AND t.version_id = {a}.version_id
            AND {OPENED} >= {a}.counts_from)
        OR EXISTS (SELECT 1 FROM {db.skipped} s WHERE s.assignment_id = {a}.id)
        OR {a}.signed_at IS NOT NULL OR {a}.quiz_passed_at IS NOT NULL
        OR {a}.quiz_failed_at IS NOT NULL OR {a}.opened_at IS NOT NULL
        OR {a}.read_at IS NOT NULL
    ) {changed}
"""


# For repairs: rows outside a round whose facts are gone (an erasure, a retention run)
# get them worked out again (the bulk fill only reaches people who have a fact left).
@functools.cache
def _clear_gone(db: Tables) -> str:
    a = db.assignments
    return f"""
UPDATE {a} SET {set_facts(db, a)}
WHERE {a}.campaign_id = %(campaign)s AND {a}.counts_from IS NULL AND (
    ({a}.signed_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM {db.acknowledgements} k WHERE k.employee_id = {a}.employee_id
        AND k.version_id = {a}.version_id AND k.kind = '{ACKNOWLEDGEMENT_KIND}'))
    OR (({a}.quiz_passed_at IS NOT NULL OR {a}.quiz_failed_at IS NOT NULL) AND NOT EXISTS (
        SELECT 1 FROM {db.attempts} q WHERE q.employee_id = {a}.employee_id
        AND q.version_id = {a}.version_id AND q.submitted_at IS NOT NULL))
    OR (({a}.opened_at IS NOT NULL OR {a}.read_at IS NOT NULL) AND NOT EXISTS (
        SELECT 1 FROM {db.reads} r JOIN {db.tips} t ON t.id = r.tip_id
        WHERE r.employee_id = {a}.employee_id AND t.version_id = {a}.version_id))
)
"""


@contextmanager
def in_bulk(*, campaign_id: int, version_id: int, added_at: datetime.datetime) -> Iterator[None]:
    """Insert a campaign's new assignments (one version, one ``added_at``) inside this
    block, with their skipped tips: on PostgreSQL their facts are then filled in
    set-based statements (hash joins over the version's facts) instead of by the
    insert trigger row by row. On SQLite the triggers do it. Use inside a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {BULK_SETTING} = 'on'")
        try:
            yield
        finally:
            cursor.execute(f"SET LOCAL {BULK_SETTING} = 'off'")
        which = "AND {table}.added_at = %(added_at)s"
        params: dict[str, Any] = {
            "campaign": campaign_id,
            "version": version_id,
            "added_at": added_at,
        }
        db = tables()
        cursor.execute(_fill_in_bulk(db).format(which=which.format(table="a")), params)
        cursor.execute(_fill_round(db).format(which=which.format(table=db.assignments)), params)


def repair(*, campaign: Campaign) -> int:
    """Make the facts of a campaign's assignments equal to the source tables again;
    returns how many assignments changed (normally none).

    The triggers keep them right, with one gap: a fact recorded by another transaction
    while assignments are being inserted (a launch takes seconds for a large
    organisation) cannot reach rows it does not see yet. The periodic command
    (run_campaigns) repairs that. Set-based statements per version on PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return refresh_stale(assignments=campaign.assignments.all())
    changed: int = 0
    db = tables()
    with connection.cursor() as cursor:
        cursor.execute(_clear_gone(db), {"campaign": campaign.pk})
        changed += int(cursor.rowcount)
        versions = campaign.assignments.order_by().values_list("version_id", flat=True)
        for version_id in versions.distinct():
            params = {"campaign": campaign.pk, "version": version_id}
            cursor.execute(_fill_in_bulk(db).format(which=""), params)
            changed += int(cursor.rowcount)
            cursor.execute(_fill_round(db, changed_only=True).format(which=""), params)
            changed += int(cursor.rowcount)
    return changed


def fact_columns(*, models: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The three columns as expressions over the facts, for ``QuerySet.update``.

    ``models``: a mapping of model names to classes (a migration's historical models);
    by default the apps' own.
    """
    if models is None:
        from acknowledgements.models import Acknowledgement, TipRead
        from handbook.models import Tip
        from quizzes.models import Attempt

        models = {
            "Acknowledgement": Acknowledgement,
            "TipRead": TipRead,
            "Tip": Tip,
            "Attempt": Attempt,
        }
    acknowledgements, tip_reads = models["Acknowledgement"], models["TipRead"]
    tips, attempts = models["Tip"], models["Attempt"]
    signed = (
        acknowledgements.objects.filter(
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
        attempts.objects.filter(
            employee_id=OuterRef("employee_id"), version_id=OuterRef("version_id"), passed=True
        )
        .order_by()
        .values("employee_id")
        .annotate(at=Min("submitted_at"))
        .values("at")
    )
    reads = tip_reads.objects.filter(
        employee_id=OuterRef("employee_id"), tip__version_id=OuterRef("version_id")
    ).order_by()
    read_count = reads.values("employee_id").annotate(n=Count("pk")).values("n")
    last_read = reads.values("employee_id").annotate(at=Max("first_opened_at")).values("at")
    tip_count = (
        tips.objects.filter(version_id=OuterRef("version_id"))
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


FACT_COLUMNS = tuple(FACTS)


def refresh(*, assignments: QuerySet[Assignment]) -> int:
    """Recompute the fact columns of these assignments from the facts, with the
    triggers' own expressions; returns how many rows were updated. The triggers keep
    them right: this is for repairs."""
    db = tables()
    ids, params = assignments.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {db.assignments} SET {set_facts(db, db.assignments)} "
            f"WHERE id IN (SELECT * FROM ({ids}) chosen)",
            params,
        )
        return int(cursor.rowcount)


def refresh_stale(*, assignments: QuerySet[Assignment]) -> int:
    """refresh, counting only the assignments whose columns changed (for SQLite, where
    installations are small: the columns are read before and after)."""
    columns = ("pk", *FACT_COLUMNS)
    before = set(assignments.values_list(*columns))
    refresh(assignments=assignments)
    return len(set(assignments.values_list(*columns)) - before)
