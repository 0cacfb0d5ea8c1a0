"""Settings shared by every mode. Modes: dev, test, production (see README)."""

from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

from config.cache import cache_from_url
from config.csp import content_security_policy, form_action_origins
from config.env import env, env_bool, env_int, env_list, report_retired
from config.security_log import add_security_log, retention_days
from config.sso import openid_connect_apps, saml_apps

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin with the portal's admin site: log-in through allauth only.
    "people.auth.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal",
    "people",
    "handbook",
    "quizzes",
    "acknowledgements",
    "campaigns",
    "reports",
    "security",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP below); the SSO pages widen form-action.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.csp.SingleSignOnFormActionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400 for control characters (a NUL) in the address or a form, before the session.
    "portal.input_guard.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.SecurityEventMiddleware",
    "people.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.RequireTwoFactorMiddleware",
    "people.auth.sso.LocalLoginMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "portal.context_processors.branding",
                "people.context_processors.roles",
                "people.auth.sso.local_login",
            ],
        },
    },
]

# SQLite is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("PORTAL_DATABASE_CONN_MAX_AGE", 0, old="DATABASE_CONN_MAX_AGE"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once; IMMEDIATE avoids deadlocks on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The busiest statements (signing: portal.db.prepared_cursor) bind on the server, and
    # psycopg prepares a statement after this many runs on a connection, so PostgreSQL
    # plans it once. Off behind a pooler in transaction mode that cannot keep prepared
    # statements (PgBouncer before 1.21): the statements are then planned every time.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        5
        if env_bool("PORTAL_DATABASE_PREPARED_STATEMENTS", True, old="DATABASE_PREPARED_STATEMENTS")
        else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Employee"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

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
# Rate limits (allauth's; counted in the shared cache, CACHES below, so that they hold
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
# One cache for every server process (log-in limits, used TOTP codes): the database by
# default (`manage.py createcachetable` makes its table); see config/cache.py.
CACHES = {"default": cache_from_url(env("PORTAL_CACHE_URL", "db"))}
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

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Bootstrap's files come from the XStatic-Bootstrap package: served by the portal itself.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded and generated files are never served directly: views check who may see them.
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy in every mode (config/csp.py; README, "Content-Security-Policy"):
# scripts and styles from the portal or with the page's nonce ({{ csp_nonce }}), no
# inline event handlers or style attributes. PORTAL_CSP_FORM_ACTION: more origins that
# forms may go to, e.g. an SSO provider whose sign-in page is not on the host of its
# issuer or metadata URL (those are allowed on the log-in page by themselves).
SECURE_CSP = content_security_policy(
    form_action=form_action_origins(
        env_list("PORTAL_CSP_FORM_ACTION", []), name="PORTAL_CSP_FORM_ACTION"
    )
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1 mailers. Development and tests replace the backend (see dev.py, test.py).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("PORTAL_EMAIL_HOST", "localhost", old="EMAIL_HOST"),
            "port": env_int("PORTAL_EMAIL_PORT", 25, old="EMAIL_PORT"),
            "username": env("PORTAL_EMAIL_HOST_USER", "", old="EMAIL_HOST_USER"),
            "password": env("PORTAL_EMAIL_HOST_PASSWORD", "", old="EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("PORTAL_EMAIL_USE_TLS", False, old="EMAIL_USE_TLS"),
            "timeout": env_int("PORTAL_EMAIL_TIMEOUT", 30, old="EMAIL_TIMEOUT"),
        },
    }
}
DEFAULT_FROM_EMAIL = env(
    "PORTAL_DEFAULT_FROM_EMAIL", "portal@voorbeeldstad.nl", old="DEFAULT_FROM_EMAIL"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The nightly `manage.py verify_ledger` mails the ledger's last intact entry (sequence
# number, hash, time) to this address outside the portal; empty: it sends nothing.
LEDGER_ANCHOR_EMAIL = env("PORTAL_LEDGER_ANCHOR_EMAIL", "")

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session ends after this many minutes without a request (0: never);
# SESSION_COOKIE_AGE stays its maximum length however active it is (portal.middleware).
PORTAL_SESSION_IDLE_MINUTES = env_int("PORTAL_SESSION_IDLE_MINUTES", 30)

# The portal's own settings.
PORTAL_MUNICIPALITY_NAME = env("PORTAL_MUNICIPALITY_NAME", "Gemeente Voorbeeldstad")
# The portal's address as staff reach it, for links in e-mails (no request to read it from).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_LOGO = env("PORTAL_LOGO", "portal/logo.svg")  # a path under static/
PORTAL_MAIN_COLOUR = env("PORTAL_MAIN_COLOUR", "#00579c")
# Roles that must use two-factor authentication (TOTP) before they can work.
PORTAL_MFA_REQUIRED = env_bool("PORTAL_MFA_REQUIRED", True)
# Staff log in with an e-mail address and a password of their own: people the staff
# import adds are invited by e-mail to set one. Off when everyone logs in another way.
PORTAL_LOCAL_LOGIN = env_bool("PORTAL_LOCAL_LOGIN", True)
# The staff import's invitations: a worker's claim on one runs out after this many
# seconds (then another run takes it over); a mail server error is retried this often.
# (A setting, not an environment variable: see "Performance settings" below.)
INVITATION_CLAIM_SECONDS = 300
INVITATION_MAX_ATTEMPTS = 5
# Caps on the staff CSV (checked before it is parsed): bytes and rows (they grow with the
# organisation: environment variables), characters per line and per cell, and the
# problems listed (the rest are counted).
STAFF_IMPORT_MAX_BYTES = env_int(
    "PORTAL_STAFF_IMPORT_MAX_BYTES", 5 * 1024 * 1024, old="STAFF_IMPORT_MAX_BYTES"
)
STAFF_IMPORT_MAX_ROWS = env_int("PORTAL_STAFF_IMPORT_MAX_ROWS", 20_000, old="STAFF_IMPORT_MAX_ROWS")
STAFF_IMPORT_MAX_LINE_CHARS = 4_000
STAFF_IMPORT_MAX_CELL_CHARS = 1_000
STAFF_IMPORT_MAX_PROBLEMS_SHOWN = 50
# Four-eyes: the editor who last changed a draft may not publish it.
HANDBOOK_FOUR_EYES = env_bool("PORTAL_HANDBOOK_FOUR_EYES", True, old="HANDBOOK_FOUR_EYES")
# Days before the review date on which the guideline's owner is reminded.
HANDBOOK_REVIEW_REMINDER_DAYS = env_int(
    "PORTAL_HANDBOOK_REVIEW_REMINDER_DAYS", 30, old="HANDBOOK_REVIEW_REMINDER_DAYS"
)
# Per-question quiz answers are a learning aid: removed after this many days by
# `manage.py prune_quiz_answers` (scores and pass/fail stay).
QUIZ_ANSWER_RETENTION_DAYS = env_int(
    "PORTAL_QUIZ_ANSWER_RETENTION_DAYS", 365, old="QUIZ_ANSWER_RETENTION_DAYS"
)
# Retention (Selectielijst gemeenten 2020), applied by `manage.py apply_retention`:
# acknowledgement evidence is a personnel file item, kept this many years after
# employment ends; quiz attempts are internal training, kept this many years.
RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT = env_int(
    "PORTAL_RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT",
    10,
    old="RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT",
)
RETENTION_QUIZ_ATTEMPT_YEARS = env_int(
    "PORTAL_RETENTION_QUIZ_ATTEMPT_YEARS", 5, old="RETENTION_QUIZ_ATTEMPT_YEARS"
)
# Where the customer's version 1 text lives (verbatim copy kept in the repository).
HANDBOOK_SEED_FILE = Path(
    env(
        "PORTAL_HANDBOOK_SEED_FILE",
        str(BASE_DIR / "handbook" / "seed" / "handreiking-sociale-media.txt"),
        old="HANDBOOK_SEED_FILE",
    )
)

# Background work (Django's task framework): tasks are stored in the database and run by
# `manage.py db_worker`; the periodic `manage.py run_campaigns` decides what is due.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Campaigns (see README, "Campaigns"): a new employee's assignment is due this many
# days after their start date; someone who joins a running campaign's audience gets at
# least this many days; quiz figures are shown only for groups of at least this size.
CAMPAIGN_ONBOARDING_DAYS = env_int(
    "PORTAL_CAMPAIGN_ONBOARDING_DAYS", 14, old="CAMPAIGN_ONBOARDING_DAYS"
)
CAMPAIGN_JOINER_MINIMUM_DAYS = env_int(
    "PORTAL_CAMPAIGN_JOINER_MINIMUM_DAYS", 14, old="CAMPAIGN_JOINER_MINIMUM_DAYS"
)
CAMPAIGN_MIN_GROUP_SIZE = env_int(
    "PORTAL_CAMPAIGN_MIN_GROUP_SIZE", 5, old="CAMPAIGN_MIN_GROUP_SIZE"
)
# Campaigns with more assignments show dashboard figures worked out in the background
# (campaigns.services.figures), at most CAMPAIGN_FIGURES_MAX_AGE seconds old.
CAMPAIGN_LIVE_FIGURES_LIMIT = 5000
CAMPAIGN_FIGURES_MAX_AGE = 60
# Escalations to HR go to this mailbox; empty: to everyone with the HR role.
CAMPAIGN_HR_EMAIL = env("PORTAL_CAMPAIGN_HR_EMAIL", "", old="CAMPAIGN_HR_EMAIL")
# Delivery of reminders: retries with back-off (seconds), then "failed" for HR to see.
CAMPAIGN_REMINDER_MAX_ATTEMPTS = 10
CAMPAIGN_REMINDER_FIRST_BACKOFF = 60
CAMPAIGN_REMINDER_MAX_BACKOFF = 6 * 60 * 60
# A worker's claim on a mail runs out after this many seconds (then another may take it);
# rows handed to the worker but not taken are handed over again after the timeout.
CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800

# Compliance reports (see README, "Compliance reports"): files are kept this many days,
# then removed by `manage.py remove_expired_reports` (the log of who made and downloaded
# them stays). PDFs are signed with the municipality's certificate: a PKCS#12 file and
# its password. Without one, PORTAL_REPORTS_SELF_SIGNED (on in development and tests)
# makes a self-signed certificate on first use; otherwise making a PDF report fails.
REPORTS_RETENTION_DAYS = env_int("PORTAL_REPORTS_RETENTION_DAYS", 30, old="REPORTS_RETENTION_DAYS")
REPORTS_SIGNING_CERTIFICATE = env(
    "PORTAL_REPORTS_SIGNING_CERTIFICATE", "", old="REPORTS_SIGNING_CERTIFICATE"
)
REPORTS_SIGNING_PASSWORD = env(
    "PORTAL_REPORTS_SIGNING_PASSWORD", "", old="REPORTS_SIGNING_PASSWORD"
)
REPORTS_SELF_SIGNED = env_bool("PORTAL_REPORTS_SELF_SIGNED", False, old="REPORTS_SELF_SIGNED")
# Archival signatures (PAdES B-LTA) on reports and certificates (portal/pdf/signing.py,
# docs/deployment.md): the RFC 3161 timestamp service, and the CA certificates (a PEM
# file) that the signing certificate and the timestamp service chain up to, if the
# PKCS#12 file lacks them. Without a timestamp service the signatures are PAdES B-B
# only, and `manage.py check` warns (portal.W004) when a real certificate is used.
PDF_TIMESTAMP_URL = env("PORTAL_PDF_TIMESTAMP_URL", "")
PDF_TRUST_ROOTS = env("PORTAL_PDF_TRUST_ROOTS", "")

# Performance settings: defaults measured on the benchmark (docs/benchmarks.md), the same
# for every installation, so settings rather than environment variables (docs/
# architecture.md, "Settings"); a settings module may still change them.
# A compliance PDF of more than REPORTS_PDF_PARTS_ABOVE people is rendered in parts of
# REPORTS_PDF_PART_ROWS table rows by REPORTS_PDF_WORKERS processes at a time (0: one
# per CPU) and joined (reports.pdf.workers): faster, and a worker's memory is that of a part.
REPORTS_PDF_PARTS_ABOVE = 1000
REPORTS_PDF_PART_ROWS = 1000
REPORTS_PDF_WORKERS = 0
# Background work whose row records progress (a report, a ledger check) writes a heartbeat
# every WORK_HEARTBEAT_SECONDS while it runs; work whose heartbeat stopped for
# WORK_STALLED_AFTER_SECONDS (at least three heartbeats: check portal.E001) lost its
# worker: the periodic command hands it to the worker once more, then marks it failed
# (portal.heartbeat).
WORK_HEARTBEAT_SECONDS = 30
WORK_STALLED_AFTER_SECONDS = 300
# Such work still waiting after WORK_TASK_LOST_AFTER_SECONDS with no task for it in the
# queue lost its task (the process died before queueing it, or the task row was removed):
# the periodic command queues it once more, then marks it failed (portal.heartbeat).
WORK_TASK_LOST_AFTER_SECONDS = 300
# These were environment variables until this release: one still set is ignored, with a
# warning that says where to set it instead (config.env).
report_retired(
    {
        name: name
        for name in (
            "INVITATION_CLAIM_SECONDS",
            "INVITATION_MAX_ATTEMPTS",
            "STAFF_IMPORT_MAX_LINE_CHARS",
            "STAFF_IMPORT_MAX_CELL_CHARS",
            "STAFF_IMPORT_MAX_PROBLEMS_SHOWN",
            "CAMPAIGN_LIVE_FIGURES_LIMIT",
            "CAMPAIGN_FIGURES_MAX_AGE",
            "CAMPAIGN_REMINDER_MAX_ATTEMPTS",
            "CAMPAIGN_REMINDER_FIRST_BACKOFF",
            "CAMPAIGN_REMINDER_MAX_BACKOFF",
            "CAMPAIGN_REMINDER_CLAIM_SECONDS",
            "CAMPAIGN_REMINDER_DISPATCH_TIMEOUT",
            "REPORTS_PDF_PARTS_ABOVE",
            "REPORTS_PDF_PART_ROWS",
            "REPORTS_PDF_WORKERS",
        )
    }
    | {
        "PORTAL_WORK_HEARTBEAT_SECONDS": "WORK_HEARTBEAT_SECONDS",
        "PORTAL_WORK_STALLED_AFTER_SECONDS": "WORK_STALLED_AFTER_SECONDS",
    }
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint tells every step of every PDF at INFO ("Step 7 - Adding PDF metadata"):
    # noise in the worker's log. Its warnings (a missing font, a refused URL) still show.
    # pikepdf (joining PDF parts) says at INFO that it was imported.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# The security event log (security app; README, "Security event log"). Events are kept
# PORTAL_SECURITY_LOG_RETENTION_DAYS days (two years by default: long enough to look
# back on an incident found late or a yearly audit, short enough not to keep a record
# of everyone's log-ins for ever; the SIEM keeps its own copy by its own rules), then
# removed by apply_retention. Each event is also a JSON line for the municipality's
# SIEM: in the console log always, in PORTAL_SECURITY_LOG_FILE (an absolute path) and at
# PORTAL_SECURITY_LOG_SYSLOG (/dev/log or host:port, UDP) when set.
PORTAL_SECURITY_LOG_RETENTION_DAYS = retention_days(
    env_int("PORTAL_SECURITY_LOG_RETENTION_DAYS", 730)
)
add_security_log(
    LOGGING,
    file=env("PORTAL_SECURITY_LOG_FILE", ""),
    syslog=env("PORTAL_SECURITY_LOG_SYSLOG", ""),
)
