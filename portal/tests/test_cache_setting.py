"""PORTAL_CACHE_URL (config/cache.py): the shared cache, failing closed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.cache import DATABASE_CACHE_TABLE, cache_from_url


def test_the_default_is_the_database_cache_with_room_for_many_counts():
    cache = cache_from_url("db")

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == DATABASE_CACHE_TABLE
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 100_000


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (
            "redis://cache.gemeente.nl:6379/0",
            "redis.RedisCache",
            "redis://cache.gemeente.nl:6379/0",
        ),
        (
            "rediss://cache.gemeente.nl:6380/1",
            "redis.RedisCache",
            "rediss://cache.gemeente.nl:6380/1",
        ),
        (
            "memcached://cache.gemeente.nl:11211",
            "memcached.PyMemcacheCache",
            "cache.gemeente.nl:11211",
        ),
    ],
)
def test_another_shared_cache_is_named_by_its_url(url, backend, location):
    cache = cache_from_url(url)

    assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert cache["LOCATION"] == location


@pytest.mark.parametrize(
    "url", ["", "redsi://cache:6379", "database", "memcached://", "file:///tmp"]
)
def test_an_unknown_or_incomplete_cache_url_refuses_to_start(url):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_CACHE_URL"):
        cache_from_url(url)


def test_the_deployment_check_warns_about_a_cache_per_process(settings):
    from config.cache import per_process_cache_check

    settings.CACHES = {"default": cache_from_url("locmem")}
    [warning] = per_process_cache_check()

    assert warning.id == "portal.W001"


def test_the_deployment_check_accepts_the_database_cache(settings):
    from config.cache import per_process_cache_check

    settings.CACHES = {"default": cache_from_url("db")}

    assert per_process_cache_check() == []
