"""Single sign-on settings built from the environment (see README, "Single sign-on")."""

from __future__ import annotations


def openid_connect_apps(
    *,
    server_url: str,
    client_id: str,
    client_secret: str,
    name: str,
    provider_id: str = "municipal",
) -> list[dict]:
    """django-allauth's openid_connect APPS entry, or none when SSO is not configured.

    ``server_url`` is the issuer (allauth appends /.well-known/openid-configuration).
    """
    if not (server_url and client_id):
        return []
    return [
        {
            "provider_id": provider_id,
            "name": name,
            "client_id": client_id,
            "secret": client_secret,
            "settings": {"server_url": server_url},
        }
    ]


# allauth's SAML attributes (first match wins) plus the employee number.
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id", "urn:oid:0.9.2342.19200300.100.1.1"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
    ],
    # Without it a SAML e-mail address is unverified and matches only with
    # PORTAL_OIDC_TRUST_EMAIL (allauth's own default mapping has the Auth0 name).
    "email_verified": ["email_verified", "http://schemas.auth0.com/email_verified"],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}


def saml_apps(
    *,
    idp_metadata_url: str,
    idp_entity_id: str,
    sp_entity_id: str,
    name: str,
    employee_number_attribute: str = "",
    organization_slug: str = "gemeente",
) -> list[dict]:
    """django-allauth's saml APPS entry, or none when SAML is not configured.

    The portal's SAML URLs are /account/saml/<organization_slug>/{metadata,acs,sls}/;
    without ``sp_entity_id`` the portal's metadata URL is its entity ID.
    """
    if not (idp_metadata_url and idp_entity_id):
        return []
    mapping = dict(SAML_ATTRIBUTE_MAPPING)
    if employee_number_attribute:
        mapping["employee_number"] = [employee_number_attribute]
    app_settings: dict = {
        "idp": {"entity_id": idp_entity_id, "metadata_url": idp_metadata_url},
        "attribute_mapping": mapping,
    }
    if sp_entity_id:
        app_settings["sp"] = {"entity_id": sp_entity_id}
    return [
        {
            "provider_id": "saml",
            "name": name,
            "client_id": organization_slug,
            "settings": app_settings,
        }
    ]
