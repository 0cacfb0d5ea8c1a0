"""The shared cache, from PORTAL_CACHE_URL, failing closed.

allauth counts log-in attempts and remembers used TOTP codes in Django's cache, so every
server process must see the same cache: a limit counted per process multiplies by the
number of gunicorn workers and servers. The default is the database (no extra server).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_CACHE_TABLE = "portal_cache"
# Enough room that no flood of distinct keys makes Django cull live log-in counts
# (expired rows go first; the default of 300 would let an attacker reset the limits).
MAX_ENTRIES = 100_000


def cache_from_url(url: str) -> dict:
    """A CACHES entry for ``db``, ``redis://``/``rediss://``/``unix://``,
    ``memcached://host:port`` or ``locmem`` (one process only: never in production)."""
    url = url.strip()
    options = {"MAX_ENTRIES": MAX_ENTRIES}
    if url == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            "OPTIONS": options,
        }
    if url == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": options}
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        location = urlsplit(url).netloc
        if not location:
            raise ImproperlyConfigured(
                f"PORTAL_CACHE_URL {url!r} names no server (memcached://host:port)."
            )
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": location,
        }
    raise ImproperlyConfigured(
        f"PORTAL_CACHE_URL must be db, locmem, redis://..., rediss://..., unix://... "
        f"or memcached://host:port, not {url!r}."
    )


def per_process_cache_check(app_configs=None, **kwargs) -> list:
    """`check --deploy`: a cache per process would let the log-in limits count per
    gunicorn worker (registered in portal.apps)."""
    from django.conf import settings
    from django.core import checks

    backend = settings.CACHES["default"]["BACKEND"]
    if backend.rsplit(".", 1)[-1] in {"LocMemCache", "DummyCache"}:
        return [
            checks.Warning(
                "The cache is kept per process: the log-in limits count per server process.",
                hint="Set PORTAL_CACHE_URL to db (the default), redis://... or memcached://...",
                id="portal.W001",
            )
        ]
    return []
