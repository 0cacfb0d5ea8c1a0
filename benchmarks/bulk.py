"""Fast inserts of plain tuples: COPY on PostgreSQL, executemany elsewhere.

For loading large amounts of generated data (benchmarks.scale), not for the portal's own
writes: rows skip the models' save(), signals and validation. Ids are given by the
caller (``next_id``), so that rows can refer to each other before they are inserted;
``reset_sequences`` afterwards lets the database number new rows after them.

Values are what the database takes: ints, str, bool, None, dates and aware datetimes;
a JSON column takes JSON text.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

SQLITE_BATCH = 5000


def next_id(model: type[models.Model]) -> int:
    """The first free id of the model's table (1 for an empty table)."""
    highest = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return (highest or 0) + 1


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[models.Field]:
    by_column = {field.column: field for field in model._meta.concrete_fields}
    missing = [column for column in columns if column not in by_column]
    if missing:
        raise ValueError(f"{model._meta.label} has no columns {missing}.")
    return [by_column[column] for column in columns]


def _defaults(model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], tuple]:
    """The columns the caller left out, with their defaults: a field added to a model
    later (with a default) does not break the loader."""
    extra_columns: list[str] = []
    extra_values: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        value = field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value.")
        if isinstance(field, models.JSONField):
            value = json.dumps(value)
        extra_columns.append(field.column)
        extra_values.append(value)
    return extra_columns, tuple(extra_values)


def _sqlite_adapters(fields: list[models.Field]) -> list[Callable[[Any], Any] | None]:
    """Per column, how a value becomes what Django's SQLite backend stores (None: as is)."""
    ops = connection.ops
    adapters: list[Callable[[Any], Any] | None] = []
    for field in fields:
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    return adapters


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert the rows (tuples in ``columns`` order, database column names) into the
    model's table; returns how many. Streams: the rows may be a generator."""
    columns = list(columns)
    extra_columns, extra_values = _defaults(model, columns)
    all_columns = columns + extra_columns
    fields = _fields(model, all_columns)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in all_columns)
    if connection.vendor == "postgresql":
        return _copy(table, names, rows, extra_values)
    return _executemany(table, names, fields, rows, extra_values)


def _copy(table: str, names: str, rows: Iterable[Sequence[Any]], extra: tuple) -> int:
    from psycopg.copy import QueuedLibpqWriter

    count = 0
    sql = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        # A writer thread sends while this one formats rows (psycopg's advice for
        # CPU-bound producers).
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            write = copy.write_row
            if extra:
                for row in rows:
                    write((*row, *extra))
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
    return count


def _executemany(
    table: str, names: str, fields: list[models.Field], rows: Iterable[Sequence[Any]], extra: tuple
) -> int:
    adapters = _sqlite_adapters(fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(iterator, SQLITE_BATCH)):
            prepared = [
                [
                    adapt(value) if adapt is not None and value is not None else value
                    for adapt, value in zip(adapters, (*row, *extra), strict=True)
                ]
                for row in batch
            ]
            cursor.executemany(sql, prepared)
            count += len(prepared)
    return count


def _not_owner(error: DatabaseError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "42501"  # insufficient_privilege


@contextmanager
def after_insert_triggers_off(model_list: Iterable[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL: switch off the tables' own AFTER INSERT triggers while loading them.

    Such triggers keep something in other tables up to date row by row (campaigns.triggers
    keeps the facts on assignments), which costs tens of microseconds per row copied.
    Only for loads into tables whose dependents are created afterwards (they compute
    their state when inserted). BEFORE triggers and constraints stay on. Needs the
    tables' owner; without that privilege the triggers just stay on. Inside a
    transaction (the DDL holds its locks to the end, and a rollback undoes it).
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_list]
    with connection.cursor() as cursor:
        # tgtype bits: 2 = BEFORE, 4 = INSERT, 64 = INSTEAD OF.
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND t.tgtype & 4 <> 0 AND t.tgtype & 66 = 0",
            [tables],
        )
        triggers = cursor.fetchall()
    qn = connection.ops.quote_name
    check_constraints()  # ALTER TABLE refuses tables with pending checks
    switched: list[tuple[str, str]] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, trigger in triggers:
                cursor.execute(f"ALTER TABLE {qn(table)} DISABLE TRIGGER {qn(trigger)}")
            switched = triggers
    except DatabaseError as error:
        if not _not_owner(error):
            raise
        switched = []  # not the owner: load with the triggers on (slower, same result)
    yield
    if not switched:
        return
    # ALTER TABLE refuses a table with pending (deferred foreign key) checks: run them
    # now, as the commit would.
    check_constraints()
    with connection.cursor() as cursor:
        for table, trigger in switched:
            cursor.execute(f"ALTER TABLE {qn(table)} ENABLE TRIGGER {qn(trigger)}")


@contextmanager
def foreign_keys_dropped(model_list: Iterable[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL: drop the tables' foreign keys for a bulk load and add them back after.

    Checked row by row (deferred to the commit), foreign keys cost about ten microseconds
    per row; added back afterwards, each is checked in one pass over the table, as
    PostgreSQL's manual advises for populating a database. Same names and definitions
    (pg_get_constraintdef). Inside a transaction; needs the tables' owner (without that
    privilege the keys just stay).
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'f' "
            "AND c.relname = ANY(%s) ORDER BY c.relname, k.conname",
            [tables],
        )
        keys = cursor.fetchall()
    qn = connection.ops.quote_name
    check_constraints()  # ALTER TABLE refuses tables (also those referred to) with pending checks
    dropped: list[tuple[str, str, str]] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, name, _definition in keys:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            dropped = keys
    except DatabaseError as error:
        if not _not_owner(error):
            raise
        dropped = []  # not the owner: keys checked row by row (slower, same result)
    yield
    check_constraints()
    with connection.cursor() as cursor:
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """After inserts with explicit ids: let the database number new rows after them
    (PostgreSQL; SQLite's AUTOINCREMENT follows inserted ids by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def check_constraints() -> None:
    """PostgreSQL: run the deferred foreign key checks now rather than at the commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(model_list: Iterable[type[models.Model]] = ()) -> None:
    """Give the planner statistics after a bulk load: for these models' tables, or for
    every table (PostgreSQL's planner needs them; SQLite's uses them too)."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in model_list]
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
