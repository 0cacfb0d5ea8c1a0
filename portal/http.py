"""Facts about the HTTP request that more than one app needs."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address by the same rule as the log-in limits, or None if unknown.

    Delegates to allauth's adapter so that the event log and the rate limits can never
    disagree: with ``ALLAUTH_TRUSTED_PROXY_COUNT`` (PORTAL_TRUSTED_PROXY_COUNT) at 0,
    REMOTE_ADDR; with n trusted proxies, the n-th X-Forwarded-For entry from the right
    (the one our outermost proxy appended), so entries a client adds in front are ignored.
    A header with fewer entries than trusted proxies did not pass our proxies: unknown.
    """
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return None
