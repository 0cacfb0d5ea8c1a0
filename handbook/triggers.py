"""Database triggers that freeze published guideline versions.

The model and admin refuse changes first; these triggers make the database itself
refuse them, so that no raw query, bulk update or admin slip can alter a version that
staff may have signed. Used by migration 0002; changing this module means a new
migration that drops and recreates the triggers.

Rules:
- A version row may change freely while it is a draft (publishing is that change).
- A published version may only become retired; nothing else about it may change.
- A retired version never changes. Only drafts may be deleted.
- Tips may be added, changed or removed only while their version is a draft.
"""

from portal.db import run_vendor_sql

VERSION_TABLE = "handbook_guidelineversion"
TIP_TABLE = "handbook_tip"

# Columns that may change when a published version is retired.
RETIRE_COLUMNS = {"status", "retired_at", "retired_by_id"}
VERSION_COLUMNS = [
    "id",
    "guideline_id",
    "number",
    "title",
    "title_en",
    "introduction",
    "introduction_en",
    "change_summary",
    "change_summary_en",
    "effective_date",
    "requires_reacknowledgement",
    "based_on_id",
    "content_hash",
    "content_hash_en",
    "created_at",
    "created_by_id",
    "last_edited_at",
    "last_edited_by_id",
    "published_at",
    "published_by_id",
]
MESSAGE = "handbook: a published guideline version is frozen"


def _same(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"NEW.{column} IS OLD.{column}"
    return f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}"


def _retire_only(vendor: str) -> str:
    same = " AND ".join(_same(c, vendor) for c in VERSION_COLUMNS)
    return f"(OLD.status = 'published' AND NEW.status = 'retired' AND {same})"


def sqlite_forward() -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"""CREATE TRIGGER handbook_version_frozen_update BEFORE UPDATE ON {VERSION_TABLE}
        FOR EACH ROW WHEN OLD.status <> 'draft' AND NOT {_retire_only("sqlite")}
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_version_frozen_delete BEFORE DELETE ON {VERSION_TABLE}
        FOR EACH ROW WHEN OLD.status <> 'draft'
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_insert BEFORE INSERT ON {TIP_TABLE}
        FOR EACH ROW WHEN (SELECT status FROM {VERSION_TABLE} WHERE id = NEW.version_id) <> 'draft'
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_update BEFORE UPDATE ON {TIP_TABLE}
        FOR EACH ROW WHEN
            (SELECT status FROM {VERSION_TABLE} WHERE id = OLD.version_id) <> 'draft'
            OR (SELECT status FROM {VERSION_TABLE} WHERE id = NEW.version_id) <> 'draft'
        BEGIN {abort} END;""",
        f"""CREATE TRIGGER handbook_tip_frozen_delete BEFORE DELETE ON {TIP_TABLE}
        FOR EACH ROW WHEN (SELECT status FROM {VERSION_TABLE} WHERE id = OLD.version_id) <> 'draft'
        BEGIN {abort} END;""",
    ]


def sqlite_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name};"
        for name in (
            "handbook_version_frozen_update",
            "handbook_version_frozen_delete",
            "handbook_tip_frozen_insert",
            "handbook_tip_frozen_update",
            "handbook_tip_frozen_delete",
        )
    ]


def postgresql_forward() -> list[str]:
    # ERRCODE 23000 makes Django raise IntegrityError, as SQLite's RAISE(ABORT) does.
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION handbook_version_frozen() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.status <> 'draft' THEN {raise_} END IF;
                RETURN OLD;
            END IF;
            IF OLD.status <> 'draft' AND NOT {_retire_only("postgresql")} THEN {raise_} END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER handbook_version_frozen BEFORE UPDATE OR DELETE ON {VERSION_TABLE}
        FOR EACH ROW EXECUTE FUNCTION handbook_version_frozen();""",
        f"""CREATE FUNCTION handbook_tip_frozen() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND
               (SELECT status FROM {VERSION_TABLE} WHERE id = OLD.version_id) <> 'draft' THEN
                {raise_}
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND
               (SELECT status FROM {VERSION_TABLE} WHERE id = NEW.version_id) <> 'draft' THEN
                {raise_}
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER handbook_tip_frozen BEFORE INSERT OR UPDATE OR DELETE ON {TIP_TABLE}
        FOR EACH ROW EXECUTE FUNCTION handbook_tip_frozen();""",
    ]


def postgresql_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS handbook_tip_frozen ON {TIP_TABLE};",
        "DROP FUNCTION IF EXISTS handbook_tip_frozen();",
        f"DROP TRIGGER IF EXISTS handbook_version_frozen ON {VERSION_TABLE};",
        "DROP FUNCTION IF EXISTS handbook_version_frozen();",
    ]


def install(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_forward, postgresql=postgresql_forward)


def uninstall(apps, schema_editor) -> None:
    run_vendor_sql(schema_editor, sqlite=sqlite_backward, postgresql=postgresql_backward)
