"""Settings shared by every mode. Modes: dev, test, production (see README).

Django's own settings are here; log-in and single sign-on are in ``accounts.py``, the
portal's own (``PORTAL_*`` and the apps' settings) in ``portal.py``, both read in at the
end. Every value an operator sets per installation comes from an environment variable
(``config.env``: a required one that is missing stops the start)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.cache import cache_from_url
from config.csp import content_security_policy, form_action_origins
from config.env import env, env_bool, env_int, env_list
from config.security_log import add_security_log, retention_days
from config.theme import theme_folder

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
    # A role held on one object only (people.ObjectRoleGrant): has_perm(perm, obj).
    "people.auth.object_roles.ObjectRoleBackend",
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

# One cache for every server process (log-in limits, used TOTP codes): the database by
# default (`manage.py createcachetable` makes its table); see config/cache.py.
CACHES = {"default": cache_from_url(env("PORTAL_CACHE_URL", "db"))}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English writes the day before the month (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The portal's files, NL Design System's CSS among them (static/vendor/), and the
# municipality's own theme folder (PORTAL_THEME_DIR) first, so that it can replace a file.
STATICFILES_DIRS = [*theme_folder(env("PORTAL_THEME_DIR", "")), BASE_DIR / "static"]
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

# Forms render through the portal's own crispy template pack for NL Design System
# (templates/nlds/: fieldsets with legends, hints and errors tied by aria-describedby,
# the error summary), modelled on crispy-forms-gds.
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nlds",)
CRISPY_TEMPLATE_PACK = "nlds"

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

# Background work (Django's task framework): tasks are stored in the database and run by
# `manage.py db_worker`; the periodic `manage.py run_campaigns` decides what is due.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
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

from config.settings.accounts import *  # noqa: E402,F403
from config.settings.portal import *  # noqa: E402,F403
