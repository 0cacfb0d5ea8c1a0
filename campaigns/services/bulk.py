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
