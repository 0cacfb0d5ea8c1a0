"""Codes from an authenticator app, computed as the app would (RFC 6238, allauth's settings)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

# The last time step for which a code was handed out, per secret: allauth refuses a code
# that was used before within its period, so a second log-in waits for the next step.
_last_counter: dict[str, int] = {}


def current_code(secret: str, *, margin: float = 3.0) -> str:
    """The code for now, waiting for a fresh time step when this one is nearly over
    (so that the server still accepts it) or was used already."""
    period = app_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now // period)
        left = period - (now % period)
        if left > margin and _last_counter.get(secret) != counter:
            _last_counter[secret] = counter
            return format_hotp_value(hotp_value(secret, counter))
        time.sleep(left + 0.05)


def activate_totp(employee, secret: str | None = None) -> str:
    """Give the employee an authenticator app (as if they had set it up); returns the secret."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    secret = secret or generate_totp_secret()
    TOTP.activate(employee, secret)
    return secret
