"""django-allauth's SAML provider, keeping the assertion's authentication context.

allauth stores only the SAML attributes in ``SocialAccount.extra_data``; the portal's
two-factor rule (``people.auth.sso.sociallogin_asserts_mfa``) also needs the assertion's
AuthnContextClassRef, which python3-saml reads from the validated (signed) assertion.
Registered by SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"].
"""

from __future__ import annotations

from allauth.socialaccount.providers.saml.provider import SAMLProvider

from people.auth.sso import SAML_AUTHN_CONTEXTS_KEY


class MunicipalSAMLProvider(SAMLProvider):
    # allauth finds a provider's URLs in its package: keep allauth's SAML URLs.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data) -> dict:
        """The attributes, plus the AuthnContextClassRef values under a key of the
        portal's own, set last so that an attribute of that name cannot stand in for it."""
        extra_data = dict(super().extract_extra_data(data))
        extra_data[SAML_AUTHN_CONTEXTS_KEY] = [
            str(value) for value in data.get_last_authn_contexts() or []
        ]
        return extra_data
