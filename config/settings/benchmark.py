"""Benchmark mode (`manage.py run_benchmarks`, scripts/benchmark.sh): production's
settings over plain HTTP on 127.0.0.1, plus a trivial page to compare with.

DEBUG is off and the middleware, templates and session handling are production's. What
differs: no redirect to HTTPS and no HSTS (the benchmark's gunicorn speaks plain HTTP on
127.0.0.1), static files without a manifest (no collectstatic needed), mail kept in
memory, persistent database connections unless PORTAL_DATABASE_CONN_MAX_AGE says otherwise,
the benchmarks app (production does not install it), and ROOT_URLCONF
config.urls_benchmark: the portal's URLs plus /benchmark/trivial/.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-insecure-key-never-use-in-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("PORTAL_DATABASE_CONN_MAX_AGE", "600")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("PORTAL_REPORTS_SELF_SIGNED", "true")

from config.settings.production import *  # noqa: E402,F403

DEBUG = False
# The benchmark commands (generate_scale_data, run_benchmarks, benchmark_reports) and the
# trivial page: installed here and in the tests only, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
ROOT_URLCONF = "config.urls_benchmark"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# No collectstatic for a benchmark: WhiteNoise need not say that STATIC_ROOT is missing.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
