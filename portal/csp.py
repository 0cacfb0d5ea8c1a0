"""Content-Security-Policy: the pages with a single sign-on button may send their form on
to the identity provider.

The SSO button posts to the portal, which answers with a redirect to the provider's
sign-in page; Chromium holds that redirect to the page's ``form-action`` too. So on these
pages only, ``form-action`` also names the origin of every configured provider (in the
settings or in the admin): an OpenID Connect issuer, a SAML provider's metadata or
sign-on URL. Every other page keeps ``form-action 'self'`` (and PORTAL_CSP_FORM_ACTION).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.csp import origin_of

# allauth's pages that hold a form whose POST redirects to a provider.
SSO_FORM_PAGES = frozenset(
    {"account_login", "socialaccount_connections", "openid_connect_login", "saml_login"}
)
_UNSET = object()


def _sign_on_urls(app) -> Iterator[str]:
    app_settings = app.settings or {}
    if app.provider == "openid_connect":
        yield app_settings.get("server_url") or ""
    elif app.provider == "saml":
        idp = app_settings.get("idp") or {}
        yield idp.get("sso_url") or ""
        yield idp.get("metadata_url") or ""


def identity_provider_origins(request: HttpRequest) -> list[str]:
    """The origins of the configured SSO providers' sign-in pages, sorted."""
    from allauth.socialaccount.adapter import get_adapter

    origins = set()
    for app in get_adapter(request).list_apps(request):
        for url in _sign_on_urls(app):
            found = origin_of(url) if url else None
            if found:
                origins.add(found)
    return sorted(origins)


class SingleSignOnFormActionMiddleware:
    """Widen ``form-action`` on the SSO pages. Listed after Django's
    ContentSecurityPolicyMiddleware, which then writes the header from the policy set
    here on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in SSO_FORM_PAGES:
            return response
        policy = getattr(response, "_csp_config", _UNSET)
        if policy is _UNSET:
            policy = settings.SECURE_CSP
        if not policy or "form-action" not in policy:
            return response
        origins = identity_provider_origins(request)
        if origins:
            allowed = list(policy["form-action"])
            response._csp_config = {
                **policy,
                "form-action": allowed + [o for o in origins if o not in allowed],
            }
        return response
