"""Helpers for the security app's tests."""

import datetime

from security.models import SecurityEvent


def backdate(event: SecurityEvent, moment: datetime.datetime) -> SecurityEvent:
    """``event`` as if it had been recorded at ``moment``: for tests of what happens to
    older events. The database refuses to rewrite an event (security.triggers), so the
    trigger is set aside for the one statement, as someone with direct database access
    could. Plain SQL: also inside a test's transaction."""
    from django.db import connection

    from security import triggers

    (no_rewrite,) = [
        trigger
        for trigger in triggers.triggers(connection.vendor, triggers.tables())
        if trigger.name == "security_event_no_rewrite"
    ]
    with connection.cursor() as cursor:
        for statement in no_rewrite.drop:
            cursor.execute(statement)
        SecurityEvent.objects.filter(pk=event.pk).update(created_at=moment)
        for statement in no_rewrite.create:
            cursor.execute(statement)
    return event
