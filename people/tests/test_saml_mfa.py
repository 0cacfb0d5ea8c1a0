"""When a SAML log-in counts as the second factor: PORTAL_SAML_MFA_AUTHN_CONTEXTS and the
AuthnContextClassRef of the signed assertion (people/auth/sso.py, people/auth/saml.py). The browser
journeys through a real SAML identity provider are in e2e/test_saml_journey.py."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers import registry
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from people.auth.saml import MunicipalSAMLProvider
from people.auth.sso import (
    IDP_MFA_SESSION_KEY,
    SAML_AUTHN_CONTEXTS_KEY,
    remember_idp_mfa,
    saml_asserts_mfa,
    session_has_idp_mfa,
    sociallogin_asserts_mfa,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

PASSWORD_ONLY = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
TWO_FACTOR = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


def _request():
    request = RequestFactory().get("/account/saml/gemeente/acs/finish/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def _saml_provider():
    app = SocialApp(
        provider="saml",
        client_id="gemeente",
        name="Gemeente-account (SAML)",
        settings={
            "idp": {"entity_id": "https://idp.example", "metadata_url": "https://idp.example/m"}
        },
    )
    return app.get_provider(_request())


def _saml_login(extra_data: dict) -> SocialLogin:
    account = SocialAccount(provider="saml", uid="id-1", extra_data=extra_data)
    return SocialLogin(provider=_saml_provider(), account=account, email_addresses=[])


class _ValidatedResponse:
    """What allauth's SAML provider is handed: python3-saml's Auth after it validated the
    response (attributes and AuthnContextClassRef of the signed assertion)."""

    def __init__(self, attributes: dict, contexts: list[str]):
        self._attributes, self._contexts = attributes, contexts

    def get_attributes(self) -> dict:
        return self._attributes

    def get_last_authn_contexts(self) -> list[str]:
        return self._contexts


def test_a_saml_login_never_counts_as_two_factor_by_default():
    assert not sociallogin_asserts_mfa(_saml_login({SAML_AUTHN_CONTEXTS_KEY: [TWO_FACTOR]}))


def test_a_configured_authn_context_counts_as_two_factor(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    assert sociallogin_asserts_mfa(_saml_login({SAML_AUTHN_CONTEXTS_KEY: [TWO_FACTOR]}))


def test_another_authn_context_does_not_count_as_two_factor(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    assert not sociallogin_asserts_mfa(_saml_login({SAML_AUTHN_CONTEXTS_KEY: [PASSWORD_ONLY]}))
    assert not sociallogin_asserts_mfa(_saml_login({}))


def test_an_authn_context_must_match_exactly(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    for near_miss in (TWO_FACTOR.upper(), TWO_FACTOR + "X", TWO_FACTOR[:-1], f" {TWO_FACTOR}"):
        assert not saml_asserts_mfa({SAML_AUTHN_CONTEXTS_KEY: [near_miss]}), near_miss


def test_a_malformed_authn_context_value_counts_for_nothing(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    assert not saml_asserts_mfa({SAML_AUTHN_CONTEXTS_KEY: TWO_FACTOR})  # a string, not a list
    assert not saml_asserts_mfa({SAML_AUTHN_CONTEXTS_KEY: [[TWO_FACTOR]]})


def test_an_oidc_style_amr_in_a_saml_login_does_not_count_as_two_factor(settings):
    """The OIDC rule (amr "mfa", on by default) is not applied to a SAML log-in."""
    settings.PORTAL_OIDC_MFA_AMR = ["mfa"]
    login = _saml_login({"id_token": {"amr": ["mfa"]}, "amr": ["mfa"]})
    assert not sociallogin_asserts_mfa(login)


def test_the_portals_saml_provider_keeps_the_assertions_authn_context():
    response = _ValidatedResponse({"urn:oid:0.9.2342.19200300.100.1.3": ["a@b.nl"]}, [TWO_FACTOR])

    extra_data = _saml_provider().extract_extra_data(response)

    assert extra_data[SAML_AUTHN_CONTEXTS_KEY] == [TWO_FACTOR]
    assert extra_data["urn:oid:0.9.2342.19200300.100.1.3"] == ["a@b.nl"]


def test_an_attribute_named_like_the_portals_key_cannot_claim_the_authn_context(settings):
    """An attribute the person may edit at the IdP, named like the key, is overwritten by
    the assertion's own AuthnContextClassRef."""
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    response = _ValidatedResponse({SAML_AUTHN_CONTEXTS_KEY: [TWO_FACTOR]}, [PASSWORD_ONLY])

    extra_data = _saml_provider().extract_extra_data(response)

    assert extra_data[SAML_AUTHN_CONTEXTS_KEY] == [PASSWORD_ONLY]
    assert not saml_asserts_mfa(extra_data)


def test_the_saml_provider_is_the_portals_and_keeps_allauths_urls():
    assert registry.get_class("saml") is MunicipalSAMLProvider
    assert reverse("saml_acs", kwargs={"organization_slug": "gemeente"}) == (
        "/account/saml/gemeente/acs/"
    )


def test_a_trusted_saml_login_marks_the_session_as_two_factor(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    hr = EmployeeFactory(hr=True)
    request = _request()
    request.user = hr

    remember_idp_mfa(
        None, request, hr, sociallogin=_saml_login({SAML_AUTHN_CONTEXTS_KEY: [TWO_FACTOR]})
    )

    assert session_has_idp_mfa(request)


def test_an_untrusted_saml_login_clears_the_sessions_two_factor_mark(settings):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    hr = EmployeeFactory(hr=True)
    request = _request()
    request.user = hr
    request.session[IDP_MFA_SESSION_KEY] = hr.pk

    login = _saml_login({SAML_AUTHN_CONTEXTS_KEY: [PASSWORD_ONLY]})
    remember_idp_mfa(None, request, hr, sociallogin=login)

    assert not session_has_idp_mfa(request)
