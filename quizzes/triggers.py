"""Database triggers that keep the quiz events (``QuizEvent``) append-only.

An audit trail is evidence: events are added, never changed or removed, also not by a
raw query, TRUNCATE on PostgreSQL or an INSERT OR REPLACE on SQLite (see
portal.triggers.append_only). Put on by migration 0003_append_only_events (with its
historical model's table); changing the SQL means a new migration. The system check
quizzes.E001 (portal.triggers) fails when one of them is missing.
"""

from portal.triggers import AppendOnlyTrail

EVENTS = AppendOnlyTrail(
    model="quizzes.QuizEvent",
    prefix="quiz_event",
    message="quizzes: the audit trail is append-only",
    installed_by=("quizzes", "0003_append_only_events"),
)
