"""Database helpers shared by the apps."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable


def run_vendor_sql(schema_editor, *, sqlite, postgresql) -> None:
    """Run the statements for this database: ``sqlite()`` or ``postgresql()`` give lists.

    Triggers are written per database (SQLite and PostgreSQL are the two supported);
    migrations call this through each app's ``triggers.install``/``uninstall``.
    """
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite()
    elif vendor == "postgresql":
        statements = postgresql()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"No triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def prepared_cursor(connection):
    """A cursor for the busiest statements: on PostgreSQL, one that binds parameters on
    the server, so that psycopg prepares a statement once it has run a few times on the
    connection (``prepare_threshold`` in the database OPTIONS; off unless set, as
    transaction-mode connection poolers cannot keep prepared statements) and the server
    plans it once instead of on every request. Elsewhere the usual cursor. Used like
    ``connection.cursor()``; queries are logged and counted the same way."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


class CompiledQuery:
    """A read query that the ORM builds and compiles once, then runs with other arguments.

    Building and compiling a queryset with a few subqueries costs a millisecond or more
    of Python, every time; on the busiest requests (signing during a campaign) that is
    much of their time. ``build`` takes keyword arguments, integers or dates as
    ``arguments`` names them (or strings, such as a guideline's short name), and returns
    an ordered queryset. It is built twice per
    database, each time with other stand-in values, and compiled; where the stand-ins
    sit among the query's parameters (the same places both times) is where the real
    arguments go. Everything else must come out the same both times, so a build that
    computes a parameter from an argument (``number - 1``) is refused: pass it as an
    argument of its own.

    The queryset stays the one definition of the query, and its first row comes back as
    the ORM would give it (the database's converters applied): ``values()`` gives its
    values (for a queryset of model instances: the stored fields in the model's order),
    ``instance()`` the model instance (for a plain queryset of a model: no
    select_related, annotations or deferred fields). Stand-ins are ordinary values
    (small positive numbers, dates in the 2900s), as the ORM folds a lookup that no
    value of the field can meet into a constant.
    """

    # Per build: the first stand-in number and date, and the step between arguments.
    _BASES = ((31_001, datetime.date(2901, 1, 1), 7), (32_003, datetime.date(2951, 1, 1), 11))

    def __init__(self, build: Callable[..., QuerySet], **arguments: type):
        unknown = set(arguments.values()) - {int, str, datetime.date}
        if unknown:
            raise TypeError(f"Arguments are int, str or datetime.date, not {unknown}.")
        self._build = build
        self._arguments = arguments
        self._compiled: dict[str, _Compiled] = {}

    def _stand_ins(self, bases: tuple[int, datetime.date, int]) -> dict[str, Any]:
        number, day, step = bases
        stand_ins: dict[str, Any] = {}
        for i, (name, kind) in enumerate(self._arguments.items()):
            if kind is int:
                stand_ins[name] = number + step * i
            elif kind is str:  # no real value looks like this
                stand_ins[name] = f"compiled-query-stand-in-{number + step * i}"
            else:
                stand_ins[name] = day + datetime.timedelta(days=step * i)
        return stand_ins

    def _attempt(self, using: str, bases) -> _Compiled:
        stand_ins = self._stand_ins(bases)
        queryset = self._build(**stand_ins)
        fields = None
        if issubclass(queryset._iterable_class, ModelIterable):
            query = queryset.query
            if query.select_related or query.annotations or query.deferred_loading[0]:
                raise ValueError(
                    "A queryset of model instances must be plain: no select_related, "
                    "annotations or deferred fields."
                )
            fields = [field.attname for field in queryset.model._meta.concrete_fields]
            queryset = queryset.values_list(*fields)
        queryset = queryset[:1]  # the database need not send more than the first row
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = connections[using]
        forms = {}  # each stand-in as it is among the parameters, and how to adapt it
        for name, value in stand_ins.items():
            if isinstance(value, datetime.date):
                forms[connection.ops.adapt_datefield_value(value)] = name
            else:
                forms[value] = name
        positions = {
            index: forms[value]
            for index, value in enumerate(params)
            if not isinstance(value, bool) and _hashable(value) and value in forms
        }
        return _Compiled.of(sql, list(params), positions, compiler, queryset.model, fields)

    def _compile(self, using: str) -> _Compiled:
        first, second = (self._attempt(using, bases) for bases in self._BASES)
        missing = set(self._arguments) - set(first.positions.values())
        others_differ = [
            index
            for index, (one, other) in enumerate(zip(first.params, second.params, strict=True))
            if index not in first.positions and one != other
        ]
        if (
            missing
            or others_differ
            or first.positions != second.positions
            or first.sql != second.sql
        ):
            raise ValueError(
                "The query's arguments must each be a query parameter of its own, and "
                "nothing else may depend on them "
                f"(not found: {sorted(missing) or 'none'}; "
                f"other parameters that changed: {others_differ or 'none'})."
            )
        return first

    def _row(self, using: str, arguments: dict[str, Any]) -> tuple[_Compiled, tuple | None]:
        if set(arguments) != set(self._arguments):
            raise TypeError(f"Expected the arguments {sorted(self._arguments)}.")
        for name, kind in self._arguments.items():
            value = arguments[name]
            # bool is an int and datetime a date; neither is what the query was built for.
            wrong = isinstance(value, bool) or (
                isinstance(value, datetime.datetime)
                if kind is datetime.date
                else isinstance(value, datetime.date)
            )
            if wrong or not isinstance(value, kind):
                raise TypeError(f"{name} must be a {kind.__name__}, not {type(value).__name__}.")
        if using not in self._compiled:
            self._compiled[using] = self._compile(using)
        compiled = self._compiled[using]
        connection = connections[using]
        values = list(compiled.params)
        for index, name in compiled.positions.items():
            value = arguments[name]
            if isinstance(value, datetime.date):
                value = connection.ops.adapt_datefield_value(value)
            else:
                # The stand-in's type: psycopg's Int2/Int4 say which column it meets.
                value = type(compiled.params[index])(value)
            values[index] = value
        with prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, values)
            row = cursor.fetchone()
        if row is None:
            return compiled, None
        # Ordering by a column that is not selected (with distinct) selects it too.
        row = row[: compiled.compiler.col_count]
        if compiled.converters is None:
            return compiled, next(iter(compiled.compiler.results_iter(results=[[row]])))
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        return compiled, row

    def values(self, *, using: str = DEFAULT_DB_ALIAS, **arguments: Any) -> tuple | None:
        """The first row's values (None when there is no row)."""
        return tuple(row) if (row := self._row(using, arguments)[1]) is not None else None

    def instance(self, *, using: str = DEFAULT_DB_ALIAS, **arguments: Any):
        """The first row as an instance of the queryset's model (None when there is none)."""
        compiled, row = self._row(using, arguments)
        if compiled.fields is None:
            raise TypeError("instance() needs a queryset of model instances.")
        return None if row is None else compiled.model.from_db(using, compiled.fields, row)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list
    positions: dict[int, str]  # parameter index -> argument name
    compiler: Any  # its converters turn the database's values into the ORM's
    model: type
    fields: list[str] | None  # attnames, for instance()
    # The compiler's converters, found once (as results_iter would on every run); None
    # when the row needs more than converting (composite fields): results_iter then.
    converters: dict | None = None

    @classmethod
    def of(cls, sql: str, params: list, positions: dict, compiler, model, fields) -> _Compiled:
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = (
            None if compiler.has_composite_fields(selected) else compiler.get_converters(selected)
        )
        return cls(sql, params, positions, compiler, model, fields, converters)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
