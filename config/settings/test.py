"""Test mode: fast hashing, mail kept in memory, no manifest needed for static files."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
WHITENOISE_AUTOREFRESH = True
# Tested here, never installed in production: the demo (dev) and the benchmarks (benchmark).
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "benchmarks"]  # noqa: F405
# The browser suite's WCAG checks beyond axe-core (e2e/beyond_axe.py, docs/accessibility.md),
# once per URL pattern and language; STRICT: a finding fails the journey (False: reported).
E2E_BEYOND_AXE = True
E2E_BEYOND_AXE_STRICT = True
# Tasks run at once in the test's own thread; worker tests switch to the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
REPORTS_SELF_SIGNED = True
