"""The database refuses to rewrite a security event (security.triggers), on SQLite and
PostgreSQL, tried with raw SQL as someone with direct database access would. Removing
old events (the retention run) and clearing the link to a removed account stay allowed.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from people.tests.factories import EmployeeFactory
from security.models import SecurityEvent
from security.services import record_event

pytestmark = pytest.mark.django_db

TABLE = SecurityEvent._meta.db_table
COLUMNS = [field.column for field in SecurityEvent._meta.concrete_fields]


@pytest.fixture
def event():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    return record_event(
        kind=SecurityEvent.Kind.ROLE_GRANTED,
        request=request,
        actor=EmployeeFactory(),
        subject=EmployeeFactory(),
        details={"role": "hr"},
    )


def _run(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement: str, params: list) -> None:
    with pytest.raises(IntegrityError, match="never rewritten"):
        _run(statement, params)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("kind", "login"),
        ("created_at", "2020-01-01 00:00:00+00:00"),
        ("actor_identifier", "iemand.anders"),
        ("ip_address", "198.51.100.1"),
        ("details", '{"role": "admin"}'),
    ],
)
def test_a_security_event_cannot_be_rewritten(event, column, value):
    _refused(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, event.pk])  # noqa: S608


def test_a_security_event_cannot_be_linked_to_another_account(event):
    other = EmployeeFactory()

    _refused(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [other.pk, event.pk])  # noqa: S608


def test_a_security_event_cannot_be_overwritten_by_an_upsert(event):
    columns = ", ".join(COLUMNS)
    chosen = ", ".join("%s" if column == "kind" else column for column in COLUMNS)
    _refused(
        f"INSERT INTO {TABLE} ({columns}) SELECT {chosen} FROM {TABLE} WHERE id = %s "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind",
        ["login", event.pk],
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
def test_a_security_event_cannot_be_replaced_on_sqlite(event):
    columns = ", ".join(COLUMNS)
    chosen = ", ".join("%s" if column == "kind" else column for column in COLUMNS)

    _refused(
        f"INSERT OR REPLACE INTO {TABLE} ({columns}) "  # noqa: S608
        f"SELECT {chosen} FROM {TABLE} WHERE id = %s",
        ["login", event.pk],
    )

    assert SecurityEvent.objects.get(pk=event.pk).kind == SecurityEvent.Kind.ROLE_GRANTED


def test_the_link_to_a_removed_account_may_still_be_cleared(event):
    _run(
        f"UPDATE {TABLE} SET actor_id = NULL, subject_id = NULL WHERE id = %s",  # noqa: S608
        [event.pk],
    )

    stored = SecurityEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.subject_id) == (None, None)
    assert stored.actor_identifier == event.actor_identifier


def test_an_old_event_may_still_be_removed(event):
    _run(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608

    assert not SecurityEvent.objects.exists()
