"""The portal cannot switch the evidence's protection off (PostgreSQL).

In production the portal connects as a role that does not own the tables
(scripts/database-roles.sql, docs/deployment.md "Database roles"); the owner runs the
migrations. Here the script makes such a role in the test database, the test connects
as it (a real log-in) and tries what someone who took over the portal's connection
would: switch off, drop or replace the triggers, empty or change the ledger. All are
refused, while signing, the database check and the chain's check work as that role.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Roles and table owners are PostgreSQL's: SQLite has no users.",
    ),
    pytest.mark.django_db(transaction=True),  # the role logs in: it sees committed rows
]

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "database-roles.sql"
ENTRIES = LedgerEntry._meta.db_table
TRIGGER = "ledger_entry_append_only"  # acknowledgements.triggers, on the entries


def _psql() -> str:
    found = shutil.which("psql", path=os.environ.get("POSTGRES_BIN")) or shutil.which("psql")
    if found is None:
        pytest.fail("psql not found (scripts/with-postgres.sh sets POSTGRES_BIN)")
    return found


@pytest.fixture
def as_app():
    """A connection to the test database as a new application role that the script
    made (the test database's owner owns the tables, as the migrations made them)."""
    owner = connection.settings_dict
    role = f"portal_app_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    subprocess.run(  # noqa: S603 - psql with our own script and names
        [
            _psql(),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"owner={owner['USER']}",
            "-v",
            f"app={role}",
            "-v",
            f"app_password={password}",
            "-h",
            owner["HOST"],
            "-p",
            str(owner["PORT"]),
            "-U",
            owner["USER"],
            "-d",
            owner["NAME"],
            "-f",
            str(SCRIPT),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": owner.get("PASSWORD") or ""},
    )
    wrapper = type(connections["default"])  # (``connection`` is a proxy to it)
    app = wrapper({**owner, "USER": role, "PASSWORD": password}, alias="default")
    try:
        yield app
    finally:
        app.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def _as(app, statement: str) -> None:
    with app.cursor() as cursor:
        cursor.execute(statement)


def test_the_application_role_is_logged_in_and_owns_nothing(as_app):
    with as_app.cursor() as cursor:
        cursor.execute(
            "SELECT session_user, rolsuper, "
            "(SELECT count(*) FROM pg_tables WHERE tableowner = session_user) "
            "FROM pg_roles WHERE rolname = session_user"
        )
        user, superuser, owned = cursor.fetchone()

    assert user.startswith("portal_app_")
    assert (superuser, owned) == (False, 0)


@pytest.mark.parametrize(
    "statement",
    [
        f"ALTER TABLE {ENTRIES} DISABLE TRIGGER {TRIGGER}",
        f"ALTER TABLE {ENTRIES} DISABLE TRIGGER ALL",
        f"DROP TRIGGER {TRIGGER} ON {ENTRIES}",
        f"DROP FUNCTION {TRIGGER}() CASCADE",
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
            BEGIN RETURN NEW; END $$ LANGUAGE plpgsql""",
        f"ALTER TABLE {ENTRIES} OWNER TO CURRENT_USER",
    ],
)
def test_the_application_cannot_switch_the_ledger_triggers_off(as_app, statement):
    with pytest.raises(DatabaseError, match="must be owner|permission denied"):
        _as(as_app, statement)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [TRIGGER]
        )
        assert cursor.fetchall() == [("O",)]  # there, and on


def test_the_owner_could_switch_a_trigger_off(as_app):
    """The control: the refusals above come from the role, not from the statements."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {ENTRIES} DISABLE TRIGGER {TRIGGER}")
        transaction.set_rollback(True)


def test_the_application_cannot_stop_triggers_for_its_session(as_app):
    """session_replication_role = replica would skip every ordinary trigger."""
    with pytest.raises(DatabaseError, match="permission denied"):
        _as(as_app, "SET session_replication_role = replica")


def test_the_application_cannot_empty_the_ledger(as_app):
    signed()

    with pytest.raises(DatabaseError, match="permission denied"):
        _as(as_app, f"TRUNCATE {ENTRIES} CASCADE")

    assert LedgerEntry.objects.count() == 1


def test_the_application_cannot_change_an_entry(as_app):
    record = signed()

    with pytest.raises(IntegrityError, match="append-only"):
        _as(as_app, f"UPDATE {ENTRIES} SET record_hash = repeat('0', 64)")  # noqa: S608

    assert LedgerEntry.objects.get().record_hash == record.entry.record_hash


def test_the_application_cannot_make_tables_of_its_own(as_app):
    with pytest.raises(DatabaseError, match="permission denied"):
        _as(as_app, "CREATE TABLE shadow_ledger (id integer)")


def test_signing_the_checks_and_the_ledger_check_work_as_the_application(as_app):
    employee, colleague = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(employee)
    ready_to_sign(colleague, version)
    owner = connections["default"]
    connections["default"] = as_app
    try:
        first = signed(employee, version)
        second = signed(colleague, version)
        call_command("check", databases=["default"], fail_level="ERROR", verbosity=0)
        result = verify_chain()
    finally:
        connections["default"] = owner

    assert (first.entry.sequence, second.entry.sequence) == (1, 2)
    assert result.ok, result
