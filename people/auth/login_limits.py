"""The key under which allauth counts an account's failed log-ins ("login_failed",
5/5m per key in ACCOUNT_RATE_LIMITS).

allauth's own key begins with the site's domain, which without django.contrib.sites is
the request's Host header: every server name, and every port an attacker writes after
it ("portal.gemeente.nl:1", ":2", ...: Django's ALLOWED_HOSTS ignores the port), would
count on its own, and the limit would be no limit. The portal counts per account only.
"""

from __future__ import annotations


def failed_login_key(*, credentials: dict) -> str:
    login = credentials.get("email", credentials.get("username", ""))
    return f"portal:{str(login).strip().lower()}"
