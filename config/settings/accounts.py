"""Log-in: django-allauth (e-mail and password, no sign-up), its rate limits, single sign-on
(OpenID Connect, SAML) and the second factor. Read in by config.settings.base."""

from config.env import env, env_bool, env_int, env_list
from config.sso import openid_connect_apps, saml_apps

# django-allauth: e-mail and password, no public sign-up, TOTP for privileged roles.
ACCOUNT_ADAPTER = "people.auth.adapters.NoSignupAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Rate limits (allauth's; counted in the shared cache, CACHES in base.py, so that they hold
# whatever gunicorn worker or server answers). "5/5m/key": five in five minutes for one
# account or address. After five failed log-ins for one account (password or two-factor
# code), even the right password is refused for five minutes; the other limits answer 429
# (templates/429.html).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "signup": "20/m/ip",
}
# Behind a reverse proxy every request comes from the proxy's address, and the limits
# per address would count all staff together: the number of proxies in front of the
# portal whose X-Forwarded-For is to be trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# A reset request for an unknown address sends nothing (and no invitation to sign up).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The reset mail goes through the worker, known address or not (people/services/password_reset.py).
ACCOUNT_FORMS = {"reset_password": "people.services.password_reset.QueuedResetPasswordForm"}
# Single sign-on (OpenID Connect; see README, "Single sign-on"): only people already
# known in the portal get in, matched by e-mail or employee number; nobody signs up.
SOCIALACCOUNT_ADAPTER = "people.auth.adapters.MunicipalSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": openid_connect_apps(
            server_url=env("PORTAL_OIDC_SERVER_URL", ""),
            client_id=env("PORTAL_OIDC_CLIENT_ID", ""),
            client_secret=env("PORTAL_OIDC_CLIENT_SECRET", ""),
            name=env("PORTAL_OIDC_NAME", "Municipal account"),
        ),
    },
    "saml": {
        # allauth's SAML provider that also keeps the AuthnContextClassRef (people/auth/saml.py).
        "provider_class": "people.auth.saml.MunicipalSAMLProvider",
        "APPS": saml_apps(
            idp_metadata_url=env("PORTAL_SAML_IDP_METADATA_URL", ""),
            idp_entity_id=env("PORTAL_SAML_IDP_ENTITY_ID", ""),
            sp_entity_id=env("PORTAL_SAML_SP_ENTITY_ID", ""),
            name=env("PORTAL_SAML_NAME", "Municipal account (SAML)"),
            employee_number_attribute=env("PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE", ""),
        ),
    },
}
# The claim that carries the employee number (empty: match by e-mail only).
PORTAL_OIDC_EMPLOYEE_NUMBER_CLAIM = env("PORTAL_OIDC_EMPLOYEE_NUMBER_CLAIM", "employee_number")
# The SAML attribute that carries the employee number (empty: match by e-mail only).
PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE = env("PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE", "")
# Trust the provider's e-mail claim without `email_verified` (Entra ID sends none).
PORTAL_OIDC_TRUST_EMAIL = env_bool("PORTAL_OIDC_TRUST_EMAIL", False)
# `amr` values (RFC 8176) by which the identity provider asserts a second factor; such a
# log-in counts as two-factor for HR, editors and administrators. Empty: never.
PORTAL_OIDC_MFA_AMR = env_list("PORTAL_OIDC_MFA_AMR", ["mfa"])
# `acr` values that assert the same (e.g. an eIDAS level); empty: none.
PORTAL_OIDC_MFA_ACR = env_list("PORTAL_OIDC_MFA_ACR", [])
# SAML AuthnContextClassRef values by which the identity provider asserts a second factor
# (e.g. "...:ac:classes:MobileTwoFactorContract"); such a log-in counts as two-factor.
# Empty: a SAML log-in never does.
PORTAL_SAML_MFA_AUTHN_CONTEXTS = env_list("PORTAL_SAML_MFA_AUTHN_CONTEXTS", [])
# Whom staff contact when the portal does not know them (shown on the refusal page).
# Empty: the page says "the service desk" in the reader's language.
PORTAL_SUPPORT_CONTACT = env("PORTAL_SUPPORT_CONTACT", "")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("PORTAL_MUNICIPALITY_NAME", "Gemeente Voorbeeldstad")
