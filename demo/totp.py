"""The demo accounts' second factor: fixed TOTP secrets, and the code an authenticator
app would show (``manage.py demo_totp``), so the demo can be tried without one.

Never for production: the secrets follow from the addresses and are printed.
"""

from __future__ import annotations

import base64
import hashlib
import time

from people.models import Employee


def demo_totp_secret(email: str) -> str:
    """The fixed base32 TOTP secret of a demo account (derived from its address)."""
    digest = hashlib.sha256(f"voorbeeldstad-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit TOTP code for a base32 secret at a moment (default now).

    Uses allauth's own algorithm and settings (period, digits), so the code is exactly
    what the login page accepts. For browser tests: allauth accepts each code only
    once per user per period; wait for the next period to log in again.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def seconds_left_for_code(at: float | None = None) -> int:
    from allauth.mfa import app_settings

    moment = time.time() if at is None else at
    return app_settings.TOTP_PERIOD - int(moment) % app_settings.TOTP_PERIOD


def stored_totp_secret(employee: Employee) -> str | None:
    """The TOTP secret allauth stores for an employee, or None without TOTP."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(
        user=employee, type=Authenticator.Type.TOTP
    ).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_totp_code_for(email: str) -> str:
    """The code an account's authenticator app would show now (reads its stored secret)."""
    employee = Employee.objects.get(email__iexact=email)
    secret = stored_totp_secret(employee)
    if secret is None:
        raise LookupError(f"{email} has no TOTP authenticator.")
    return totp_code(secret)


def ensure_totp(employee: Employee) -> str:
    """Give the employee a TOTP authenticator with the demo secret, unless they have one."""
    from allauth.mfa.totp.internal.auth import TOTP

    existing = stored_totp_secret(employee)
    if existing is not None:
        return existing
    secret = demo_totp_secret(employee.email)
    TOTP.activate(employee, secret)
    return secret
