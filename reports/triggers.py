"""Database triggers that keep the report events (``ReportEvent``) append-only.

An audit trail is evidence: events are added, never changed or removed, also not by a
raw query, TRUNCATE on PostgreSQL or an INSERT OR REPLACE on SQLite (see
portal.triggers.append_only). Put on by migration 0003_append_only_events (with its
historical model's table); changing the SQL means a new migration. The system check
reports.E001 (portal.triggers) fails when one of them is missing.
"""

from portal.triggers import AppendOnlyTrail

EVENTS = AppendOnlyTrail(
    model="reports.ReportEvent",
    prefix="report_event",
    message="reports: the audit trail is append-only",
    installed_by=("reports", "0003_append_only_events"),
)
