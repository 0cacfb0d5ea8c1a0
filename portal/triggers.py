"""The apps' database triggers: the tables they name, and a check that they are there.

Three apps keep rules in the database itself: acknowledgements.triggers (the ledger is
append-only), handbook.triggers (a published version is frozen) and campaigns.triggers
(an assignment's progress facts). Each writes its SQL per database from its models'
tables (``db_tables``: in a migration the historical models', so that the SQL names the
tables as they were at that point) and says which triggers it expects (name: table).

Evidence (the ledger, published versions and their tips, the audit trails) is also
kept append-only by triggers that later migrations added: ``append_only`` writes them
for a table (UPDATE, DELETE, TRUNCATE, and on SQLite a REPLACE over a stored row are
refused); a module lists such a group as a ``TriggerSet`` with the migration that puts
it on (``register_trigger_set``), and an audit trail is one ``AppendOnlyTrail``.

A missing trigger shows nowhere: the portal works on, without the guarantee. So each
of those apps registers its check (``register_trigger_check``, tag ``database``):
``manage.py check --database default`` fails when a trigger is missing or, on
PostgreSQL, switched off, once the migration that installs it is applied (``migrate``
runs the database checks before it migrates: a new database must pass them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from django.apps import apps as installed_apps
from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# A trigger switched off (ALTER TABLE ... DISABLE TRIGGER) guards nothing either.
_POSTGRESQL_TRIGGERS = """
    SELECT t.tgname, c.relname FROM pg_catalog.pg_trigger t
    JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_catalog.pg_table_is_visible(c.oid)
"""
_SQLITE_TRIGGERS = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"


def db_tables(apps: Any, *models: str) -> list[str]:
    """The tables of ``models`` ("app_label.ModelName"), in that order: from a migration's
    historical ``apps``, or, when ``apps`` is None, from the installed models."""
    registry = apps if apps is not None else installed_apps
    return [registry.get_model(model)._meta.db_table for model in models]


def present_triggers(connection) -> set[tuple[str, str]]:
    """The (trigger, table) pairs that the database has (and, on PostgreSQL, fires)."""
    if connection.vendor == "sqlite":
        statement = _SQLITE_TRIGGERS
    elif connection.vendor == "postgresql":
        statement = _POSTGRESQL_TRIGGERS
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return set()
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return {(name, table) for name, table in cursor.fetchall()}


def missing_triggers(connection, expected: Mapping[str, str]) -> list[tuple[str, str]]:
    """The ``expected`` triggers (name: table) that the database lacks, in that order."""
    present = present_triggers(connection)
    return [(name, table) for name, table in expected.items() if (name, table) not in present]


def trigger_check(
    *,
    installed_by: tuple[str, str],
    check_id: str,
    expected: Callable[[str], Mapping[str, str]],
) -> Callable[..., list[checks.CheckMessage]]:
    """A system check (register it with the ``database`` tag) that reports, with
    ``check_id``, each trigger that ``expected(vendor)`` names and the database lacks,
    where the migration ``installed_by`` (app label, name) is applied."""
    app_label = installed_by[0]

    def check(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
        if not databases:
            return []  # only with --database: the check reads the database
        if app_configs is not None and app_label not in {config.label for config in app_configs}:
            return []
        errors: list[checks.CheckMessage] = []
        for alias in databases:
            connection = connections[alias]
            if installed_by not in MigrationRecorder(connection).applied_migrations():
                continue
            for name, table in missing_triggers(connection, expected(connection.vendor)):
                errors.append(
                    checks.Error(
                        f"The database trigger {name} on {table} is missing "
                        f"(database '{alias}'): the rule it keeps is not enforced.",
                        hint="The migration that puts it on is applied: it was removed "
                        "outside the portal. See docs/architecture.md, 'Database triggers', "
                        "to put it back.",
                        id=check_id,
                    )
                )
        return errors

    check.__name__ = f"{app_label}_triggers_check"
    return check


def register_trigger_check(module: Any, *, check_id: str) -> None:
    """Register the check of a triggers module: its ``INSTALLED_BY`` migration and its
    ``expected_triggers(vendor)``. Call from the app's ``ready()``."""
    checks.register(
        trigger_check(
            installed_by=module.INSTALLED_BY,
            check_id=check_id,
            expected=module.expected_triggers,
        ),
        checks.Tags.database,
    )


class TriggerSet(NamedTuple):
    """Triggers that one migration puts on (``installed_by``: app label, name), and the
    ones it expects per database (``expected(vendor)``: name: table)."""

    installed_by: tuple[str, str]
    expected: Callable[[str], Mapping[str, str]]


def register_trigger_set(trigger_set: TriggerSet | AppendOnlyTrail, *, check_id: str) -> None:
    """Register the check of triggers that a later migration of an app added (its first
    ones: ``register_trigger_check``). Call from the app's ``ready()``."""
    check = trigger_check(
        installed_by=trigger_set.installed_by,
        check_id=check_id,
        expected=trigger_set.expected,
    )
    check.__name__ = "{}_{}_triggers_check".format(*trigger_set.installed_by)
    checks.register(check, checks.Tags.database)


class Trigger(NamedTuple):
    """One trigger: its name, its table, the statements that put it on (on PostgreSQL
    with its function, named after it) and those that take it off."""

    name: str
    table: str
    create: list[str]
    drop: list[str]


def forward(triggers: Iterable[Trigger]) -> list[str]:
    return [statement for trigger in triggers for statement in trigger.create]


def backward(triggers: Iterable[Trigger]) -> list[str]:
    return [statement for trigger in reversed(list(triggers)) for statement in trigger.drop]


def names(triggers: Iterable[Trigger]) -> dict[str, str]:
    """The triggers as the system check expects them: name: table."""
    return {trigger.name: trigger.table for trigger in triggers}


def postgresql_raise(message: str) -> str:
    # ERRCODE 23000 makes Django raise IntegrityError, as SQLite's RAISE(ABORT) does.
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"


def sqlite_abort(message: str) -> str:
    return f"SELECT RAISE(ABORT, '{message}');"


def same_row(table: str, keys: Iterable[str]) -> str:
    """SQLite: a stored row of ``table`` that a new row (NEW) would replace: one with
    the same value in any of ``keys`` (a column, or a condition over the stored row
    ``o`` and NEW, for a composite or partial unique key)."""
    conditions = [f"o.{key} = NEW.{key}" if key.isidentifier() else key for key in keys]
    # Only our own tables and columns are named.
    return " OR ".join(f"EXISTS (SELECT 1 FROM {table} o WHERE {c})" for c in conditions)  # noqa: S608


def sqlite_no_replace(name: str, table: str, message: str, *, when: str) -> Trigger:
    """SQLite: refuse an insert that would replace a stored row (INSERT OR REPLACE,
    REPLACE: the old row is deleted without firing delete triggers; an upsert, which
    would update it). ``when``: the condition that such a row exists (``same_row``)."""
    return Trigger(
        name,
        table,
        [
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW WHEN {when} "
            f"BEGIN {sqlite_abort(message)} END;"
        ],
        [f"DROP TRIGGER IF EXISTS {name};"],
    )


def postgresql_no_truncate(name: str, table: str, message: str, *, when: str = "") -> Trigger:
    """PostgreSQL: refuse TRUNCATE of ``table`` (row triggers do not fire on it), also
    through another table's TRUNCATE ... CASCADE; with ``when``, only while that holds."""
    refuse = (
        f"IF {when} THEN {postgresql_raise(message)} END IF;" if when else postgresql_raise(message)
    )
    return Trigger(
        name,
        table,
        [
            f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN {refuse} RETURN NULL; END $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER {name} BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
        ],
        [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"],
    )


def append_only(vendor: str, prefix: str, table: str, message: str) -> list[Trigger]:
    """The triggers that make ``table`` append-only (an audit trail): rows are added,
    never changed or removed. SQLite: ``{prefix}_no_update``, ``_no_delete`` and
    ``_no_replace`` (a row with the same key: the tables' only unique key is ``id``).
    PostgreSQL: ``{prefix}_append_only`` (UPDATE, DELETE; an upsert over a stored row
    is an UPDATE) and ``{prefix}_no_truncate``."""
    if vendor == "sqlite":
        abort = sqlite_abort(message)
        refused = []
        for op in ("UPDATE", "DELETE"):
            name = f"{prefix}_no_{op.lower()}"
            refused.append(
                Trigger(
                    name,
                    table,
                    [f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN {abort} END;"],
                    [f"DROP TRIGGER IF EXISTS {name};"],
                )
            )
        replace = sqlite_no_replace(
            f"{prefix}_no_replace", table, message, when=same_row(table, ["id"])
        )
        return [*refused, replace]
    if vendor == "postgresql":
        name = f"{prefix}_append_only"
        return [
            Trigger(
                name,
                table,
                [
                    f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
                    BEGIN {postgresql_raise(message)} END $$ LANGUAGE plpgsql;""",
                    f"""CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {name}();""",
                ],
                [
                    f"DROP TRIGGER IF EXISTS {name} ON {table};",
                    f"DROP FUNCTION IF EXISTS {name}();",
                ],
            ),
            postgresql_no_truncate(f"{prefix}_no_truncate", table, message),
        ]
    raise NotImplementedError(f"No triggers written for {vendor}.")  # pragma: no cover


def put_on(schema_editor, triggers: Callable[[str], list[Trigger]]) -> None:
    """Run the statements that put ``triggers(vendor)`` on (a migration's RunPython)."""
    for statement in forward(triggers(schema_editor.connection.vendor)):
        schema_editor.execute(statement)


def take_off(schema_editor, triggers: Callable[[str], list[Trigger]]) -> None:
    for statement in backward(triggers(schema_editor.connection.vendor)):
        schema_editor.execute(statement)


class AppendOnlyTrail:
    """An audit trail kept append-only by one migration (``append_only`` on ``model``'s
    table): what an app's triggers module offers for it. ``install`` and ``uninstall``
    are the migration's RunPython; ``installed_by`` and ``expected`` make it a
    ``TriggerSet`` for the system check (``register_trigger_set``)."""

    def __init__(
        self, *, model: str, prefix: str, message: str, installed_by: tuple[str, str]
    ) -> None:
        self.model = model
        self.prefix = prefix
        self.message = message
        self.installed_by = installed_by

    def triggers(self, vendor: str, apps: Any = None) -> list[Trigger]:
        """In a migration, on its historical model's table (``apps``)."""
        return append_only(vendor, self.prefix, db_tables(apps, self.model)[0], self.message)

    def expected(self, vendor: str) -> dict[str, str]:
        return names(self.triggers(vendor)) if vendor in ("sqlite", "postgresql") else {}

    def install(self, apps: Any, schema_editor: Any) -> None:
        put_on(schema_editor, lambda vendor: self.triggers(vendor, apps))

    def uninstall(self, apps: Any, schema_editor: Any) -> None:
        take_off(schema_editor, lambda vendor: self.triggers(vendor, apps))
