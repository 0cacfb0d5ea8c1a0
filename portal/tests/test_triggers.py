"""The database check of the apps' triggers (portal.triggers), on SQLite and PostgreSQL.

`manage.py check --database default` fails, naming the trigger, when one that a
migration put on is gone; a trigger is dropped here with raw SQL inside a savepoint,
as someone with direct database access would, and put back by the rollback.
"""

import pytest
from django.apps import apps as installed_apps
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.db.migrations.operations import AlterModelTable
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState

from acknowledgements import triggers as ledger_triggers
from campaigns import triggers as progress
from handbook import triggers as handbook_triggers
from quizzes import triggers as quiz_triggers
from reports import triggers as report_triggers
from security import triggers as security_triggers

pytestmark = pytest.mark.django_db

MODULES = {
    "acknowledgements.E001": ledger_triggers,
    "handbook.E001": handbook_triggers,
    "campaigns.E001": progress,
    "security.E001": security_triggers,
}
by_check = pytest.mark.parametrize("check_id", list(MODULES))
# Triggers that a later migration of an app added (portal.triggers.TriggerSet).
LATER = {
    "acknowledgements.E001": ledger_triggers.EVIDENCE,
    "handbook.E001": handbook_triggers.EVIDENCE,
    "campaigns.E001": progress.EVENTS,
    "quizzes.E001": quiz_triggers.EVENTS,
    "reports.E001": report_triggers.EVENTS,
}
by_later_set = pytest.mark.parametrize("check_id", list(LATER))


def _database_errors() -> list[checks.CheckMessage]:
    return checks.run_checks(databases=["default"], tags=[checks.Tags.database])


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _drop(name: str, table: str) -> None:
    on_table = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}{on_table}")


def test_with_every_trigger_in_place_check_database_passes():
    call_command("check", databases=["default"], fail_level="ERROR", verbosity=0)

    assert _database_errors() == []


@by_check
def test_a_dropped_trigger_is_reported_by_its_name_and_no_other(check_id):
    expected = MODULES[check_id].expected_triggers(connection.vendor)
    assert expected  # the module lists its triggers on this database

    for name, table in expected.items():
        with transaction.atomic():
            _drop(name, table)
            errors = _database_errors()
            transaction.set_rollback(True)

        assert [error.id for error in errors] == [check_id], name
        assert f"trigger {name} on {table} is missing" in errors[0].msg
        assert errors[0].level == checks.ERROR
    assert _database_errors() == []


@by_later_set
def test_a_dropped_trigger_of_a_later_migration_is_reported_by_its_name(check_id):
    expected = LATER[check_id].expected(connection.vendor)
    assert expected

    for name, table in expected.items():
        with transaction.atomic():
            _drop(name, table)
            errors = _database_errors()
            transaction.set_rollback(True)

        assert [error.id for error in errors] == [check_id], name
        assert f"trigger {name} on {table} is missing" in errors[0].msg
    assert _database_errors() == []


@by_later_set
def test_before_a_later_migration_its_triggers_are_not_expected(check_id):
    trigger_set = LATER[check_id]
    app, migration = trigger_set.installed_by
    with transaction.atomic():
        for name, table in trigger_set.expected(connection.vendor).items():
            _drop(name, table)
        MigrationRecorder.Migration.objects.filter(app=app, name=migration).delete()
        errors = _database_errors()
        transaction.set_rollback(True)

    assert errors == []


def test_the_deployment_command_fails_when_a_trigger_is_missing():
    name, table = next(iter(ledger_triggers.expected_triggers(connection.vendor).items()))
    with transaction.atomic():
        _drop(name, table)
        with pytest.raises(SystemCheckError, match=name):
            call_command("check", databases=["default"], verbosity=0)
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL switches triggers off")
def test_a_trigger_switched_off_counts_as_missing_on_postgresql():
    name, table = next(iter(ledger_triggers.expected_triggers(connection.vendor).items()))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        errors = _database_errors()
        transaction.set_rollback(True)

    assert [(error.id, name in error.msg) for error in errors] == [("acknowledgements.E001", True)]


@by_check
def test_before_the_migration_that_installs_them_no_trigger_is_expected(check_id):
    """``migrate`` runs the database checks first: a new database must pass them."""
    module = MODULES[check_id]
    app, migration = module.INSTALLED_BY
    backward = getattr(module, f"{connection.vendor}_backward")
    with transaction.atomic():
        _run(backward(module.tables()))
        MigrationRecorder.Migration.objects.filter(app=app, name=migration).delete()
        errors = _database_errors()
        transaction.set_rollback(True)

    assert errors == []


def test_the_trigger_sql_names_the_tables_of_the_models_it_is_given():
    """In a migration, the historical models' tables: as they were at that point."""
    state = ProjectState.from_apps(installed_apps)
    AlterModelTable("ledgerentry", "old_ledger_entries").state_forwards("acknowledgements", state)

    tables = ledger_triggers.tables(state.apps)
    statements = " ".join(ledger_triggers.sqlite_forward(tables))

    assert tables.entries == "old_ledger_entries"
    assert "ON old_ledger_entries " in statements
    assert "acknowledgements_ledgerentry" not in statements
