"""A deactivated account loses its open sessions.

Sessions live in the database (Django's default engine), shared by every server. Django's
``ModelBackend.get_user`` (allauth's backend inherits it) already refuses a user whose
``is_active`` is off, so their very next request is anonymous on any server. The session
rows are deleted as well, so that reactivating the account later does not bring an old
session (or a stolen cookie) back to life.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

if TYPE_CHECKING:
    from people.models import Employee


def end_sessions_of(*, employee_ids: Iterable[int]) -> int:
    """Delete the open sessions of these employees; returns how many.

    A session's user is inside its signed data, so every unexpired session is read: a
    few milliseconds per thousand sessions, and only when someone is deactivated."""
    wanted = {str(pk) for pk in employee_ids}
    if not wanted:
        return 0
    store_class = Session.get_session_store_class()
    assert store_class is not None  # django-stubs: Session always names its store
    store = store_class()
    doomed = [
        key
        for key, data in Session.objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator(chunk_size=2000)
        if str(store.decode(data).get(SESSION_KEY)) in wanted
    ]
    for start in range(0, len(doomed), 500):
        Session.objects.filter(session_key__in=doomed[start : start + 500]).delete()
    return len(doomed)


def end_sessions_when_deactivated(
    sender: type[Employee],  # positional: a signal receiver (Django passes the sender)
    *,
    instance: Employee,
    update_fields: frozenset[str] | None = None,
    **kwargs: object,
) -> None:
    """post_save of Employee (the admin, any service that saves): switched off, logged
    out everywhere."""
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    end_sessions_of(employee_ids=[instance.pk])
