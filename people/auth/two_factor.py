"""Two-factor per session: whether this session's log-in passed the second factor, and
whether it was confirmed a moment ago (before a sensitive act).

allauth keeps a record of every authentication step in the session (password, single
sign-on, "mfa" for a TOTP or recovery code, each with its time); we read those records
rather than asking whether the account *has* a TOTP device: a stolen password alone gives
a session without an "mfa" record, whatever the account has set up.
"""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings

from people.auth.sso import recently_signed_on, session_has_idp_mfa
from people.selectors import must_use_two_factor

MFA = "mfa"


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_second_factor(user) -> bool:
    """The user must pass a second factor in each session (PORTAL_MFA_REQUIRED)."""
    return settings.PORTAL_MFA_REQUIRED and user.is_authenticated and must_use_two_factor(user=user)


def session_passed_second_factor(request) -> bool:
    """This session's log-in passed the second factor: an "mfa" record after the last
    first-factor log-in (password, single sign-on, ...), or a single sign-on whose
    identity provider asserted MFA (people.auth.sso.session_has_idp_mfa)."""
    if session_has_idp_mfa(request):
        return True
    records = get_authentication_records(request, request.user)
    last_login = max(
        (_at(r) for r in records if r.get("method") != MFA and not r.get("reauthenticated")),
        default=0.0,
    )
    return any(r.get("method") == MFA and _at(r) >= last_login for r in records)


def second_factor_confirmed_recently(request) -> bool:
    """The second factor was given within allauth's REAUTHENTICATION_TIMEOUT (at log-in
    or when asked again). Someone without TOTP has no second factor here to give: then
    allauth's own rule (password again, or a single sign-on a moment ago) when two-factor
    is required (their session passed it at the identity provider), nothing when not."""
    user = request.user
    if has_totp(user):
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return any(
            r.get("method") == MFA and time.time() - _at(r) < timeout
            for r in get_authentication_records(request, user)
        )
    if not settings.PORTAL_MFA_REQUIRED:
        return True
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate

    return did_recently_reauthenticate(request) or recently_signed_on(request)


def require_second_factor_recently(request) -> None:
    """Raise allauth's ReauthenticationRequired unless the second factor was given a
    moment ago: allauth's middleware then keeps the request (a POST too) and sends the
    user to its first reauthentication method, the code for whoever has TOTP
    (people.auth.adapters), and carries on with the request after it."""
    if not second_factor_confirmed_recently(request):
        raise ReauthenticationRequired()


def count_activation_as_passed(sender, request, user, authenticator, **kwargs) -> None:
    """allauth's ``authenticator_added``: setting up TOTP asks for a code from the new
    device, so the session that did it has passed the second factor."""
    from allauth.mfa.models import Authenticator

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if getattr(request, "user", None) is None or request.user.pk != user.pk:
        return
    record_authentication(request, user, MFA, id=authenticator.pk, type=authenticator.type)


def _at(record: dict) -> float:
    try:
        return float(record.get("at") or 0)
    except (TypeError, ValueError):
        return 0.0
