"""Database triggers that keep the security events (``SecurityEvent``) as they were
written.

The log is not append-only: the retention run removes events older than
PORTAL_SECURITY_LOG_RETENTION_DAYS (security.services.remove_expired_events), and a
removed account clears the events' links to it (``on_delete=SET_NULL``; the copied
identifiers keep saying who it was). So deleting stays allowed, and so does setting
``actor`` or ``subject`` to NULL; any other change of an event is refused, also as an
INSERT OR REPLACE or an upsert over a stored event. Used by migration 0003 (with its
historical model's table and columns); changing the SQL means a new migration. The
system check security.E001 (portal.triggers) fails when one of them is missing.
"""

from typing import Any, NamedTuple

from django.apps import apps as installed_apps

from portal.triggers import (
    Trigger,
    backward,
    db_tables,
    forward,
    names,
    postgresql_raise,
    put_on,
    same_row,
    sqlite_abort,
    sqlite_no_replace,
    take_off,
)

INSTALLED_BY = ("security", "0003_events_not_rewritten")
MESSAGE = "security: a security event is never rewritten"
# Links to accounts, which a removed account clears (SET NULL).
LINKS = ("actor_id", "subject_id")


class Tables(NamedTuple):
    events: str
    columns: tuple[str, ...]  # the event's other columns, which never change


def tables(apps: Any = None) -> Tables:
    """The table and its columns: of a migration's historical ``apps``, or the installed."""
    (events,) = db_tables(apps, "security.SecurityEvent")
    registry = apps if apps is not None else installed_apps
    fields = registry.get_model("security.SecurityEvent")._meta.concrete_fields
    return Tables(events, tuple(f.column for f in fields if f.column not in LINKS))


def _unchanged(db: Tables, vendor: str) -> str:
    same = "IS" if vendor == "sqlite" else "IS NOT DISTINCT FROM"
    kept = [f"NEW.{column} {same} OLD.{column}" for column in db.columns]
    cleared = [f"(NEW.{link} {same} OLD.{link} OR NEW.{link} IS NULL)" for link in LINKS]
    return " AND ".join(kept + cleared)


def triggers(vendor: str, db: Tables) -> list[Trigger]:
    if vendor == "sqlite":
        return [
            Trigger(
                "security_event_no_rewrite",
                db.events,
                [
                    f"CREATE TRIGGER security_event_no_rewrite BEFORE UPDATE ON {db.events} "
                    f"FOR EACH ROW WHEN NOT ({_unchanged(db, vendor)}) "
                    f"BEGIN {sqlite_abort(MESSAGE)} END;"
                ],
                ["DROP TRIGGER IF EXISTS security_event_no_rewrite;"],
            ),
            sqlite_no_replace(
                "security_event_no_replace", db.events, MESSAGE, when=same_row(db.events, ["id"])
            ),
        ]
    if vendor == "postgresql":
        return [
            Trigger(
                "security_event_no_rewrite",
                db.events,
                [
                    f"""CREATE FUNCTION security_event_no_rewrite() RETURNS trigger AS $$
                    BEGIN
                        IF NOT ({_unchanged(db, vendor)}) THEN {postgresql_raise(MESSAGE)} END IF;
                        RETURN NEW;
                    END $$ LANGUAGE plpgsql;""",
                    f"""CREATE TRIGGER security_event_no_rewrite BEFORE UPDATE ON {db.events}
                    FOR EACH ROW EXECUTE FUNCTION security_event_no_rewrite();""",
                ],
                [
                    f"DROP TRIGGER IF EXISTS security_event_no_rewrite ON {db.events};",
                    "DROP FUNCTION IF EXISTS security_event_no_rewrite();",
                ],
            )
        ]
    return []  # pragma: no cover - only SQLite and PostgreSQL are supported


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    return names(triggers(vendor, tables()))


def sqlite_backward(db: Tables) -> list[str]:
    return backward(triggers("sqlite", db))


def postgresql_backward(db: Tables) -> list[str]:
    return backward(triggers("postgresql", db))


def sqlite_forward(db: Tables) -> list[str]:
    return forward(triggers("sqlite", db))


def postgresql_forward(db: Tables) -> list[str]:
    return forward(triggers("postgresql", db))


def install(apps, schema_editor) -> None:
    """Put the triggers on (a migration's RunPython; ``apps`` None: the installed models)."""
    db = tables(apps)
    put_on(schema_editor, lambda vendor: triggers(vendor, db))


def uninstall(apps, schema_editor) -> None:
    db = tables(apps)
    take_off(schema_editor, lambda vendor: triggers(vendor, db))
