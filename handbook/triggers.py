"""Database triggers that freeze published guideline versions.

The model and admin refuse changes first; these triggers make the database itself
refuse them, so that no raw query, bulk update or admin slip can alter a version that
staff may have signed. Used by migration 0002 (with its historical models' tables);
changing the SQL means a new migration that drops and recreates the triggers. The
system check handbook.E001 (portal.triggers) fails when one of them is missing.

Rules:
- A version row may change freely while it is a draft (publishing is that change).
- A published version may only become retired; nothing else about it may change.
- A retired version never changes. Only drafts may be deleted.
- Tips may be added, changed or removed only while their version is a draft; of a
  published or retired version's tip only the topic may change (TOPIC_COLUMNS: a label
  outside the signed and hashed text, handbook.selectors.canonical).

Migration 0005 closes the ways around those row triggers and keeps the audit trail
(``evidence_triggers``):
- PostgreSQL: TRUNCATE of the versions or the tips while a published or retired
  version (or a tip of one) is there (row triggers do not fire on TRUNCATE, also not
  on another table's TRUNCATE CASCADE).
- SQLite: an insert that would replace a published or retired version, or a tip of
  one (INSERT OR REPLACE deletes the old row without firing delete triggers).
- The handbook's events (``HandbookEvent``) are append-only (portal.triggers.append_only).
"""

from typing import Any, NamedTuple

from django.apps import apps as installed_apps

from portal.db import run_vendor_sql
from portal.triggers import (
    Trigger,
    TriggerSet,
    append_only,
    db_tables,
    names,
    postgresql_no_truncate,
    put_on,
    same_row,
    sqlite_no_replace,
    take_off,
)

INSTALLED_BY = ("handbook", "0002_freeze_published_versions")

# Columns that may change when a published version is retired; every other column of a
# published version is frozen (see frozen_version_columns).
RETIRE_COLUMNS = {"status", "retired_at", "retired_by_id"}
MESSAGE = "handbook: a published guideline version is frozen"
# A tip's columns that may change after its version is published: its topic, a label
# that is not part of the version's text (migration 0008).
TOPIC_COLUMNS = {"topic", "topic_en"}


EVENTS_MESSAGE = "handbook: the audit trail is append-only"


class Tables(NamedTuple):
    versions: str
    tips: str
    events: str
    # The versions' columns that retiring leaves alone (all but RETIRE_COLUMNS).
    version_columns: tuple[str, ...] = ()
    # The tips' columns that never change after publishing (all but TOPIC_COLUMNS).
    tip_columns: tuple[str, ...] = ()


def frozen_version_columns(apps: Any = None) -> tuple[str, ...]:
    """The columns of a version that stay the same when it is retired: every column but
    RETIRE_COLUMNS, of a migration's historical model (``apps``) or the installed one.
    So a migration that adds a column to versions (0007: editorial_removals) puts the
    triggers on again and the new column is frozen with the rest."""
    registry = apps if apps is not None else installed_apps
    model = registry.get_model("handbook", "GuidelineVersion")
    return tuple(
        field.column for field in model._meta.concrete_fields if field.column not in RETIRE_COLUMNS
    )


def frozen_tip_columns(apps: Any = None) -> tuple[str, ...]:
    """The columns of a published version's tip that never change: every column but
    TOPIC_COLUMNS (of a migration's historical model, or the installed one)."""
    registry = apps if apps is not None else installed_apps
    model = registry.get_model("handbook", "Tip")
    return tuple(
        field.column for field in model._meta.concrete_fields if field.column not in TOPIC_COLUMNS
    )


def tables(apps: Any = None) -> Tables:
    """The tables: of a migration's historical ``apps``, or the installed ones."""
    return Tables(
        *db_tables(apps, "handbook.GuidelineVersion", "handbook.Tip", "handbook.HandbookEvent"),
        version_columns=frozen_version_columns(apps),
        tip_columns=frozen_tip_columns(apps),
    )


def sqlite_triggers(db: Tables) -> dict[str, str]:
    """The triggers on SQLite: name: table."""
    return {
        "handbook_version_frozen_update": db.versions,
        "handbook_version_frozen_delete": db.versions,
        "handbook_tip_frozen_insert": db.tips,
        "handbook_tip_frozen_update": db.tips,
        "handbook_tip_frozen_delete": db.tips,
    }


def postgresql_triggers(db: Tables) -> dict[str, str]:
    """The triggers on PostgreSQL (each with its function of the same name): name: table."""
    return {"handbook_version_frozen": db.versions, "handbook_tip_frozen": db.tips}


def expected_triggers(vendor: str) -> dict[str, str]:
    """The triggers this database should have (for the system check, portal.triggers)."""
    by_vendor = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}
    return by_vendor[vendor](tables()) if vendor in by_vendor else {}


def _same(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"NEW.{column} IS OLD.{column}"
    return f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}"


def _retire_only(vendor: str, columns: tuple[str, ...]) -> str:
    same = " AND ".join(_same(c, vendor) for c in columns)
    return f"(OLD.status = 'published' AND NEW.status = 'retired' AND {same})"


def _topic_only(vendor: str, columns: tuple[str, ...]) -> str:
    """An update of a tip that changes nothing but its topic (the same version too)."""
    return "(" + " AND ".join(_same(c, vendor) for c in columns) + ")"


def sqlite_forward(db: Tables) -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"""CREATE TRIGGER handbook_version_frozen_update BEFORE UPDATE ON {db.versions}
        FOR EACH ROW WHEN OLD.status <> 'draft' AND NOT {_retire_only("sqlite", db.version_columns)}
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_version_frozen_delete BEFORE DELETE ON {db.versions}
        FOR EACH ROW WHEN OLD.status <> 'draft'
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_insert BEFORE INSERT ON {db.tips}
        FOR EACH ROW WHEN (SELECT status FROM {db.versions} WHERE id = NEW.version_id) <> 'draft'
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_update BEFORE UPDATE ON {db.tips}
        FOR EACH ROW WHEN (
            (SELECT status FROM {db.versions} WHERE id = OLD.version_id) <> 'draft'
            OR (SELECT status FROM {db.versions} WHERE id = NEW.version_id) <> 'draft'
        ) AND NOT {_topic_only("sqlite", db.tip_columns)}
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_delete BEFORE DELETE ON {db.tips}
        FOR EACH ROW WHEN (SELECT status FROM {db.versions} WHERE id = OLD.version_id) <> 'draft'
        BEGIN {abort} END;""",
    ]


def sqlite_backward(db: Tables) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_triggers(db)]


def postgresql_forward(db: Tables) -> list[str]:
    # ERRCODE 23000 makes Django raise IntegrityError, as SQLite's RAISE(ABORT) does.
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    retire_only = _retire_only("postgresql", db.version_columns)
    return [
        f"""CREATE FUNCTION handbook_version_frozen() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.status <> 'draft' THEN {raise_} END IF;
                RETURN OLD;
            END IF;
            IF OLD.status <> 'draft' AND NOT {retire_only} THEN {raise_} END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER handbook_version_frozen BEFORE UPDATE OR DELETE ON {db.versions}
        FOR EACH ROW EXECUTE FUNCTION handbook_version_frozen();""",
        f"""CREATE FUNCTION handbook_tip_frozen() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {_topic_only("postgresql", db.tip_columns)} THEN
                RETURN NEW;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') AND
               (SELECT status FROM {db.versions} WHERE id = OLD.version_id) <> 'draft' THEN
                {raise_}
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND
               (SELECT status FROM {db.versions} WHERE id = NEW.version_id) <> 'draft' THEN
                {raise_}
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER handbook_tip_frozen BEFORE INSERT OR UPDATE OR DELETE ON {db.tips}
        FOR EACH ROW EXECUTE FUNCTION handbook_tip_frozen();""",
    ]


def postgresql_backward(db: Tables) -> list[str]:
    statements = []
    for name, table in reversed(postgresql_triggers(db).items()):
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    return statements


def install(apps, schema_editor) -> None:
    """Put the triggers on (a migration's RunPython; ``apps`` None: the installed models)."""
    db = tables(apps)
    run_vendor_sql(
        schema_editor, sqlite=lambda: sqlite_forward(db), postgresql=lambda: postgresql_forward(db)
    )


def uninstall(apps, schema_editor) -> None:
    db = tables(apps)
    run_vendor_sql(
        schema_editor,
        sqlite=lambda: sqlite_backward(db),
        postgresql=lambda: postgresql_backward(db),
    )


def take_off_all(apps, schema_editor) -> None:
    """Migrations 0007 and 0008, before they add a column to versions or tips: take off
    every trigger of versions and tips (0002's and 0005's), to put them on again after
    (``put_on_all``)."""
    uninstall_evidence(apps, schema_editor)
    uninstall(apps, schema_editor)


def put_on_all(apps, schema_editor) -> None:
    """Put 0002's and 0005's triggers on, with the columns the versions have now."""
    install(apps, schema_editor)
    install_evidence(apps, schema_editor)


def evidence_triggers(vendor: str, db: Tables) -> list[Trigger]:
    """Migration 0005's triggers (see the module's docstring)."""
    frozen_tip = f"(SELECT status FROM {db.versions} WHERE id = o.version_id) <> 'draft'"
    if vendor == "sqlite":
        return [
            sqlite_no_replace(
                "handbook_version_no_replace",
                db.versions,
                MESSAGE,
                when=same_row(
                    db.versions,
                    [
                        "o.status <> 'draft' AND o.id = NEW.id",
                        "o.status <> 'draft' AND o.guideline_id = NEW.guideline_id "
                        "AND o.number = NEW.number",
                    ],
                ),
            ),
            sqlite_no_replace(
                "handbook_tip_no_replace",
                db.tips,
                MESSAGE,
                # A new tip goes into a draft (handbook_tip_frozen_insert): only its key
                # can meet a tip of a frozen version.
                when=same_row(db.tips, [f"o.id = NEW.id AND {frozen_tip}"]),
            ),
            *append_only(vendor, "handbook_event", db.events, EVENTS_MESSAGE),
        ]
    if vendor == "postgresql":
        return [
            postgresql_no_truncate(
                "handbook_version_no_truncate",
                db.versions,
                MESSAGE,
                when=f"EXISTS (SELECT 1 FROM {db.versions} WHERE status <> 'draft')",
            ),
            postgresql_no_truncate(
                "handbook_tip_no_truncate",
                db.tips,
                MESSAGE,
                when=f"EXISTS (SELECT 1 FROM {db.tips} o WHERE {frozen_tip})",
            ),
            *append_only(vendor, "handbook_event", db.events, EVENTS_MESSAGE),
        ]
    return []  # pragma: no cover - only SQLite and PostgreSQL are supported


EVIDENCE = TriggerSet(
    ("handbook", "0005_refuse_truncate_and_replace"),
    lambda vendor: names(evidence_triggers(vendor, tables())),
)


def install_evidence(apps, schema_editor) -> None:
    """Put migration 0005's triggers on (``apps`` None: the installed models)."""
    db = tables(apps)
    put_on(schema_editor, lambda vendor: evidence_triggers(vendor, db))


def uninstall_evidence(apps, schema_editor) -> None:
    db = tables(apps)
    take_off(schema_editor, lambda vendor: evidence_triggers(vendor, db))
