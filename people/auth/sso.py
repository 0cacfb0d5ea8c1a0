"""Single sign-on rules: who an identity provider's log-in is, and whether it asserted a
second factor (see README, "Single sign-on")."""

from __future__ import annotations

from typing import Any

from allauth.mfa.stages import AuthenticateStage
from django.conf import settings

# Session flag: this session's log-in was by an identity provider that asserted MFA.
IDP_MFA_SESSION_KEY = "portal_idp_mfa"
# extra_data key of a SAML log-in: the assertion's AuthnContextClassRef values (set by
# people.auth.saml.MunicipalSAMLProvider).
SAML_AUTHN_CONTEXTS_KEY = "portal_authn_context_class_refs"


def claims_of(sociallogin) -> dict[str, Any]:
    """The ID token's claims with the userinfo's on top (both as allauth stored them)."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return dict(data)


def id_token_of(sociallogin) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or {}


def asserts_mfa(id_token: dict[str, Any]) -> bool:
    """True when the ID token's ``amr`` holds one of PORTAL_OIDC_MFA_AMR or its ``acr`` is
    one of PORTAL_OIDC_MFA_ACR."""
    amr = id_token.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    wanted_amr = {value.lower() for value in settings.PORTAL_OIDC_MFA_AMR}
    if wanted_amr & {str(value).lower() for value in amr}:
        return True
    acr = id_token.get("acr")
    return bool(acr) and acr in settings.PORTAL_OIDC_MFA_ACR


def saml_asserts_mfa(extra_data: dict[str, Any]) -> bool:
    """True when the SAML assertion's AuthnContextClassRef is one of
    PORTAL_SAML_MFA_AUTHN_CONTEXTS (exact match; empty setting: never)."""
    trusted = set(settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS)
    contexts = extra_data.get(SAML_AUTHN_CONTEXTS_KEY) or []
    return (
        bool(trusted)
        and isinstance(contexts, list)
        and any(isinstance(value, str) and value in trusted for value in contexts)
    )


def sociallogin_asserts_mfa(sociallogin) -> bool:
    """Whether this log-in's identity provider asserted a second factor the portal trusts:
    OIDC by amr/acr, SAML by AuthnContextClassRef (each only by its own rule)."""
    if sociallogin is None:
        return False
    if getattr(sociallogin.provider, "id", None) == "saml":
        return saml_asserts_mfa(sociallogin.account.extra_data or {})
    return asserts_mfa(id_token_of(sociallogin))


def find_employee(sociallogin):
    """The active employee this log-in belongs to, or None.

    Matched by a verified e-mail address (case-insensitive; every address the provider
    gives when PORTAL_OIDC_TRUST_EMAIL is on), else by the employee-number
    claim (PORTAL_OIDC_EMPLOYEE_NUMBER_CLAIM).
    """
    from people.models import Employee

    active = Employee.objects.filter(is_active=True)
    for address in sociallogin.email_addresses:
        trusted = address.verified or settings.PORTAL_OIDC_TRUST_EMAIL
        if trusted and address.email:
            found = active.filter(email__iexact=address.email.strip()).first()
            if found is not None:
                return found
    claims = claims_of(sociallogin)
    for claim in (
        settings.PORTAL_OIDC_EMPLOYEE_NUMBER_CLAIM,
        settings.PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE,
    ):
        value = claims.get(claim) if claim else None
        if isinstance(value, list):  # SAML attributes are lists of values
            value = value[0] if value else None
        number = str(value or "").strip()
        if number:
            return active.filter(employee_number=number).first()
    return None


class IdentityProviderMfaStage(AuthenticateStage):
    """allauth's TOTP step at log-in, skipped when the identity provider asserted MFA."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin_asserts_mfa(sociallogin):
            return False
        return super()._should_handle(request)


def remember_idp_mfa(sender, request, user, sociallogin=None, **kwargs) -> None:
    """On every log-in: note in the session whether the identity provider asserted MFA."""
    if sociallogin_asserts_mfa(sociallogin):
        request.session[IDP_MFA_SESSION_KEY] = user.pk
    else:
        request.session.pop(IDP_MFA_SESSION_KEY, None)


def session_has_idp_mfa(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(IDP_MFA_SESSION_KEY) == request.user.pk


def local_login(request) -> dict:
    """Context processor: whether the password form is offered (PORTAL_LOCAL_LOGIN)."""
    return {"local_login_enabled": settings.PORTAL_LOCAL_LOGIN}


class LocalLoginMiddleware:
    """With PORTAL_LOCAL_LOGIN off, passwords are not accepted: a password log-in is
    refused and the password reset, change and set pages do not exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_LOCAL_LOGIN:
            from django.http import Http404, HttpResponseForbidden
            from django.urls import reverse
            from django.utils.translation import gettext

            if request.path.startswith(reverse("account_change_password").rsplit("change/", 1)[0]):
                raise Http404
            if request.method == "POST" and request.path == reverse("account_login"):
                return HttpResponseForbidden(
                    gettext("Log-in with a password is switched off: use your municipal account.")
                )
        return self.get_response(request)


def recently_signed_on(request) -> bool:
    """The session's last authentication was a single sign-on within allauth's
    reauthentication window: that counts as having just confirmed who you are (allauth
    cannot send someone back to the identity provider to reauthenticate)."""
    import time

    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records or records[-1].get("method") != "socialaccount":
        return False
    at = records[-1].get("at") or 0
    return time.time() - at < account_settings.REAUTHENTICATION_TIMEOUT
