"""The portal's Content-Security-Policy, for Django's own CSP middleware (see README,
"Content-Security-Policy"). Built here so that settings and tests share one definition.

Scripts and styles come only from the portal itself, or from an element that carries the
page's nonce; inline event handlers (onclick=) and style attributes are refused.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# A host name or an IPv4 address; an IPv6 address comes in brackets. Nothing else may
# reach the header (a ";" or a space would start another directive or source).
_HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_IPV6 = re.compile(r"^[0-9a-f:.]+$")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, usable as a CSP source; else None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return None
    if _HOST.match(host):
        shown = host
    elif ":" in host and _IPV6.match(host):
        shown = f"[{host}]"
    else:
        return None
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")


def form_action_origins(values: list[str], *, name: str) -> list[str]:
    """Origins (``https://login.example.nl``) from a setting; anything else is refused."""
    origins = []
    for value in values:
        found = origin_of(value)
        rest = urlsplit(value.strip())
        if found is None or rest.path not in ("", "/") or rest.query or rest.fragment:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an origin such as https://login.example.nl."
            )
        origins.append(found)
    return origins


def content_security_policy(*, form_action: list[str]) -> dict[str, list[str]]:
    """SECURE_CSP. ``form_action``: origins besides the portal that forms may be sent
    (or redirected after a POST) to; the log-in page adds the SSO providers (portal.csp).

    img-src allows data: for the two-factor set-up's QR code and NL Design System's icons in its CSS
    (form controls), which are data: URLs in its style sheet.
    """
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": [CSP.SELF, "data:"],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF, *form_action],
    }
