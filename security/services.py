"""Writing the security event log (the only writer of SecurityEvent)."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from portal.http import client_ip
from security.middleware import FORMATS, current_request
from security.models import SecurityEvent

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin

    # The user model (people.Employee) lives in an app above this one, which security
    # may not import: django-stubs reads its alias _User (stubs only) as that model.
    from django.contrib.auth.models import AnonymousUser, _User

logger = logging.getLogger("portal.security")

USER_AGENT_MAX = SecurityEvent._meta.get_field("user_agent").max_length
# Details are short facts (a method, a role, a model name), not text about a person.
DETAIL_KEYS_MAX = 10
DETAIL_TEXT_MAX = 100


def _identifier(employee: object) -> str:
    return getattr(employee, "email", "") or ""


def _check_details(details: Mapping[str, object] | None) -> dict[str, object]:
    details = dict(details or {})
    if len(details) > DETAIL_KEYS_MAX:
        raise ValueError(f"A security event has at most {DETAIL_KEYS_MAX} details.")
    for key, value in details.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is not None and not isinstance(item, str | int | bool):
                raise ValueError(f"Detail {key!r} must be short text, a number or a flag.")
            if isinstance(item, str) and len(item) > DETAIL_TEXT_MAX:
                raise ValueError(f"Detail {key!r} is longer than {DETAIL_TEXT_MAX} characters.")
    return details


def event_as_json(*, event: SecurityEvent) -> str:
    """One line of JSON for the SIEM: time in ISO 8601 UTC, kind, who, about whom, from where."""
    return json.dumps(
        {
            "time": event.created_at.astimezone(datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "kind": event.kind,
            "actor": event.actor_identifier or None,
            "actor_id": event.actor_id,
            "subject": event.subject_identifier or None,
            "subject_id": event.subject_id,
            "ip": event.ip_address,
            "user_agent": event.user_agent or None,
            "details": event.details,
            "id": event.pk,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def record_event(
    *,
    kind: SecurityEvent.Kind | str,
    request: HttpRequest | None = None,
    actor: _User | AnonymousUser | None = None,
    subject: _User | None = None,
    details: Mapping[str, object] | None = None,
    actor_identifier: str = "",
) -> SecurityEvent:
    """Store a security event and send it to the SIEM log (``portal.security``).

    ``request`` defaults to the request being answered (:mod:`security.middleware`; none
    in the worker or a command); ``actor`` defaults to its logged-in user;
    ``actor_identifier`` names who was tried when there is no account (a failed log-in).
    The address is the client's by the trusted-proxy rule (:func:`portal.http.client_ip`).
    Written in the caller's transaction: an event of a change that is rolled back goes
    with it; the log line is emitted once the event is committed.
    """
    kind = SecurityEvent.Kind(kind)
    if request is None:
        request = current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    if subject is not None and not getattr(subject, "pk", None):
        subject = None
    event = SecurityEvent.objects.create(
        kind=kind,
        # An AnonymousUser has no pk: it was set to None above.
        actor=cast("_User | None", actor),
        actor_identifier=(_identifier(actor) or actor_identifier)[:254],
        subject=subject,
        subject_identifier=_identifier(subject)[:254],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(
            request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX] if request is not None else ""
        ),
        details=_check_details(details),
    )
    transaction.on_commit(lambda: logger.info(event_as_json(event=event)), robust=True)
    return event


def record_download(
    *,
    request: HttpRequest,
    response: HttpResponseBase,
    what: str,
    subject: _User | None = None,
    details: Mapping[str, object] | None = None,
) -> HttpResponseBase:
    """Log a file of personal data handed out (who, what, when, from where; whose, when
    it is one person's) and return the response, so that a download view's last line
    is ``return record_download(request=request, response=response, what="...")``.

    ``what`` is a short name of the file (the log page shows its label,
    security.hooks); the format comes from the response, the page from the URL. The
    security middleware records any other attachment under its page's name, and not
    this one a second time."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    match = getattr(request, "resolver_match", None)
    facts: dict[str, object] = {
        "action": "download",
        "what": what[:DETAIL_TEXT_MAX],
        "view": (match.view_name if match else "")[:DETAIL_TEXT_MAX],
        "format": FORMATS.get(content_type, content_type.rsplit("/", 1)[-1][:DETAIL_TEXT_MAX]),
    }
    if match and "pk" in match.kwargs:
        facts["object"] = str(match.kwargs["pk"])[:DETAIL_TEXT_MAX]
    if not what:
        del facts["what"]
    facts.update(details or {})
    record_event(kind=SecurityEvent.Kind.EXPORT, request=request, subject=subject, details=facts)
    response.download_recorded = True  # type: ignore[attr-defined]
    return response


def remove_expired_events(*, today: datetime.date | None = None, dry_run: bool = False) -> int:
    """Remove the events from before the day PORTAL_SECURITY_LOG_RETENTION_DAYS days
    before ``today`` (local time; apply_retention runs this, with its --today); returns
    how many were (or, in a dry run, would be) removed."""
    today = today or timezone.localdate()
    first_kept = today - datetime.timedelta(days=settings.PORTAL_SECURITY_LOG_RETENTION_DAYS)
    cutoff = timezone.make_aware(datetime.datetime.combine(first_kept, datetime.time.min))
    expired = SecurityEvent.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return expired.count()
    removed, _per_model = expired.delete()
    return removed


def record_login_limit_reached(*, request: HttpRequest, tried: str) -> SecurityEvent:
    """A log-in refused by the log-in limits (too many failures for the account): a
    failed log-in that never reached the password check, so Django sent no signal."""
    return record_event(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        actor_identifier=tried[:254],
        details={"method": "password", "limit_reached": True},
    )


def record_sso_refused(
    *, request: HttpRequest, sociallogin: SocialLogin | None = None
) -> SecurityEvent:
    """A single sign-on the portal refused (someone it does not know, an account switched
    off, connecting another identity): a failed log-in, under the name the identity
    provider gave."""
    account = getattr(sociallogin, "account", None)
    known = getattr(sociallogin, "user", None) if sociallogin is not None else None
    tried = next((a.email for a in getattr(sociallogin, "email_addresses", []) if a.email), "")
    return record_event(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        actor_identifier=tried or getattr(known, "email", "") or "",
        subject=known if getattr(known, "pk", None) else None,
        details={"method": "sso", "provider": str(getattr(account, "provider", ""))[:100]},
    )
