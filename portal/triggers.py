"""The apps' database triggers: the tables they name, and a check that they are there.

Three apps keep rules in the database itself: acknowledgements.triggers (the ledger is
append-only), handbook.triggers (a published version is frozen) and campaigns.triggers
(an assignment's progress facts). Each writes its SQL per database from its models'
tables (``db_tables``: in a migration the historical models', so that the SQL names the
tables as they were at that point) and says which triggers it expects (name: table).

A missing trigger shows nowhere: the portal works on, without the guarantee. So each
of those apps registers its check (``register_trigger_check``, tag ``database``):
``manage.py check --database default`` fails when a trigger is missing or, on
PostgreSQL, switched off, once the migration that installs it is applied (``migrate``
runs the database checks before it migrates: a new database must pass them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
