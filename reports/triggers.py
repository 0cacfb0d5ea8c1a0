"""Database triggers that keep the report events (``ReportEvent``) append-only.

An audit trail is evidence: events are added, never changed or removed, also not by a
raw query, TRUNCATE on PostgreSQL or an INSERT OR REPLACE on SQLite (see
portal.triggers.append_only). Used by migration 0003_append_only_events (with its historical
model's table); changing the SQL means a new migration. The system check reports.E001
(portal.triggers) fails when one of them is missing.
"""

from typing import Any, NamedTuple

from portal.triggers import (
    Trigger,
    append_only,
    backward,
    db_tables,
    forward,
    names,
    put_on,
    take_off,
)

INSTALLED_BY = ("reports", "0003_append_only_events")
MESSAGE = "reports: the audit trail is append-only"


class Tables(NamedTuple):
    events: str


def tables(apps: Any = None) -> Tables:
    """The table: of a migration's historical ``apps``, or the installed one."""
    return Tables(*db_tables(apps, "reports.ReportEvent"))


def triggers(vendor: str, db: Tables) -> list[Trigger]:
    return append_only(vendor, "report_event", db.events, MESSAGE)


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    return names(triggers(vendor, tables())) if vendor in ("sqlite", "postgresql") else {}


def sqlite_forward(db: Tables) -> list[str]:
    return forward(triggers("sqlite", db))


def sqlite_backward(db: Tables) -> list[str]:
    return backward(triggers("sqlite", db))


def postgresql_forward(db: Tables) -> list[str]:
    return forward(triggers("postgresql", db))


def postgresql_backward(db: Tables) -> list[str]:
    return backward(triggers("postgresql", db))


def install(apps, schema_editor) -> None:
    """Put the triggers on (a migration's RunPython; ``apps`` None: the installed models)."""
    db = tables(apps)
    put_on(schema_editor, lambda vendor: triggers(vendor, db))


def uninstall(apps, schema_editor) -> None:
    db = tables(apps)
    take_off(schema_editor, lambda vendor: triggers(vendor, db))
