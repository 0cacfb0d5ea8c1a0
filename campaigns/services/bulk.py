"""Assignments for a whole audience in one statement: INSERT ... SELECT.

A launch gives every employee in a guideline's audience an assignment (100,000 and
more for a large organisation, one guideline after another). Fetching the employees'
ids into Python and sending them back as model instances (``bulk_create``) cost about
as much as the inserts themselves; here the database reads the audience and inserts
the rows itself, in one statement per guideline. Rows that exist (the unique
campaign x employee x guideline) are skipped, as ``bulk_create(ignore_conflicts=True)``
does: ``INSERT ... ON CONFLICT DO NOTHING`` on PostgreSQL, ``INSERT OR IGNORE`` on
SQLite. The triggers see ordinary inserts (campaigns.triggers; on PostgreSQL inside
progress.in_bulk, which fills the facts afterwards).
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.constants import OnConflict

from campaigns.models import Assignment
from people.models import Employee


def insert_assignments(
    *,
    campaign_id: int,
    employees: QuerySet[Employee],
    guideline_id: int,
    version_id: int,
    due_date: datetime.date,
    reason: str,
    added_at: datetime.datetime,
    counts_from: datetime.datetime | None = None,
) -> None:
    """Give each of ``employees`` an assignment of this campaign and version (one
    statement; existing ones are left as they are)."""
    ops = connection.ops
    qn = ops.quote_name
    fields = {field.name: field for field in Assignment._meta.concrete_fields}
    # The columns the caller gives, then the other columns that are not null, with
    # their defaults.
    given = {
        "campaign": campaign_id,
        "guideline": guideline_id,
        "version": version_id,
        "due_date": ops.adapt_datefield_value(due_date),
        "reason": reason,
        "added_at": ops.adapt_datetimefield_value(added_at),
        "counts_from": ops.adapt_datetimefield_value(counts_from),
    }
    for field in fields.values():
        if field.name in given or field.primary_key or field.name == "employee" or field.null:
            continue
        default = field.get_default()  # "" for text, as a model instance would have
        if default is None:
            raise ValueError(f"Assignment.{field.name} needs a value.")
        given[field.name] = field.get_db_prep_save(default, connection)
    columns = [qn(str(fields[name].column)) for name in [*given, "employee"]]
    ids = employees.order_by().values(employee_id=F("pk"))  # ... AS "employee_id"
    select, params = ids.query.sql_with_params()
    placeholders = ", ".join(["%s"] * len(given))
    on_conflict = ops.on_conflict_suffix_sql(list(fields.values()), OnConflict.IGNORE, None, None)
    # Names from the models and SQL from the ORM; every value is a parameter.
    insert = f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
    sql = (
        f"{insert}{qn(Assignment._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {placeholders}, audience.{qn('employee_id')} "
        f"FROM ({select}) audience {on_conflict}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*given.values(), *params])


def insert_skipped_tips(*, campaign_id: int, version_id: int, added_at: datetime.datetime) -> None:
    """For the round's assignments of this version added at ``added_at``, the tips each
    employee need not read again (SkippedTip): every tip of the version, except those
    linked to a question they answered wrongly in their last quiz of it before the
    round. Nobody whose last attempt's answers are not known (none, or pruned) gets
    any: they read every tip again. One statement."""
    from campaigns.models import SkippedTip
    from handbook.models import Tip
    from quizzes.models import Answer, Attempt, AttemptQuestion, Question

    qn = connection.ops.quote_name
    assignments = qn(Assignment._meta.db_table)
    tips = qn(Tip._meta.db_table)
    attempts = qn(Attempt._meta.db_table)
    served = qn(AttemptQuestion._meta.db_table)
    answers = qn(Answer._meta.db_table)
    question_tips = qn(Question.tips.through._meta.db_table)
    last = (
        f"(SELECT q.id FROM {attempts} q WHERE q.employee_id = a.employee_id "  # noqa: S608
        "AND q.version_id = a.version_id AND q.submitted_at IS NOT NULL "
        "AND q.submitted_at < a.counts_from ORDER BY q.submitted_at DESC, q.id DESC LIMIT 1)"
    )
    sql = (
        f"INSERT INTO {qn(SkippedTip._meta.db_table)} (assignment_id, tip_id) "  # noqa: S608
        f"SELECT a.id, t.id FROM {assignments} a JOIN {tips} t ON t.version_id = a.version_id "
        "WHERE a.campaign_id = %s AND a.version_id = %s AND a.added_at = %s "
        "AND a.counts_from IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM {served} sv JOIN {answers} an ON an.served_id = sv.id "
        f"WHERE sv.attempt_id = {last}) "
        f"AND NOT EXISTS (SELECT 1 FROM {served} sv JOIN {answers} an ON an.served_id = sv.id "
        f"JOIN {question_tips} qt ON qt.question_id = sv.question_id "
        f"WHERE sv.attempt_id = {last} AND NOT an.is_correct AND qt.tip_id = t.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                campaign_id,
                version_id,
                connection.ops.adapt_datetimefield_value(added_at),
            ],
        )
