"""Reading the security event log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.search import search_words
from security.models import SecurityEvent

# The kind filter's value for the files handed out (exports whose action is a download).
DOWNLOADS = "downloads"


def events(
    *,
    kind: str = "",
    person: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[SecurityEvent]:
    """Events newest first, by kind (``DOWNLOADS``: the files handed out), by a person
    (by or about them, matched on the identifier as it was at the time) and within a
    period of whole days (local time)."""
    found = SecurityEvent.objects.order_by("-created_at", "-pk")
    if kind == DOWNLOADS:
        found = found.filter(kind=SecurityEvent.Kind.EXPORT, details__action="download")
    elif kind:
        found = found.filter(kind=kind)
    for word in search_words(person):
        found = found.filter(
            Q(actor_identifier__icontains=word) | Q(subject_identifier__icontains=word)
        )
    if start:
        found = found.filter(created_at__gte=_midnight(start))
    if end:
        found = found.filter(created_at__lt=_midnight(end + datetime.timedelta(days=1)))
    return found


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
