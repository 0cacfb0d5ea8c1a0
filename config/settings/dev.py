"""Development mode: the only mode with defaults for the secret and DEBUG."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.env import env, env_bool  # noqa: E402
from config.settings.base import *  # noqa: E402,F403

# Mail is printed to the console unless an SMTP server is configured.
_backend = env(
    "PORTAL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", old="EMAIL_BACKEND"
)
if _backend != MAILERS["default"]["BACKEND"]:  # noqa: F405
    MAILERS = {"default": {"BACKEND": _backend}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# The demo (seed_demo, demo_totp): accounts with a known password, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# Reports are signed with a self-signed certificate made on first use.
REPORTS_SELF_SIGNED = env_bool("PORTAL_REPORTS_SELF_SIGNED", True, old="REPORTS_SELF_SIGNED")
