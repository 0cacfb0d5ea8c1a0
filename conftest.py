import pytest

# two_app_servers: real app-server processes for tests across servers (see the module).
pytest_plugins = ["portal.testing.servers"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language (Dutch). A request answered in
    English leaves English active in the thread (LocaleMiddleware does not reset it), and
    a later test that reads a lazy message would get it in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _session_clock_stands_still(monkeypatch):
    """The idle-session clock (portal.middleware.now) stands still during a test, unless
    the test moves it (portal/tests/test_idle_sessions.py). Otherwise a test whose set-up
    outlasts ACTIVITY_RESOLUTION on a busy machine gets a session write (three queries)
    in the request it counts, and a fixed query count fails by the clock."""
    import time

    from portal import middleware

    moment = time.time()
    monkeypatch.setattr(middleware, "now", lambda: moment)


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Every test starts with an empty cache: allauth counts log-in attempts there, so
    one test's failed log-ins must not lock out the next test's user.

    The cache is a database table (config/cache.py): only a test with database access
    can use it, and such a test gets that access first."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    in_database = isinstance(caches["default"], DatabaseCache)
    if in_database and not _uses_database(request):
        yield
        return
    if in_database:
        request.getfixturevalue("_django_db_helper")
    cache.clear()
    yield
    # A test's rollback takes its cache rows with it (and a test that ended in a failed
    # statement could run no more queries): only what committed needs clearing.
    if not in_database or _is_transactional(request):
        cache.clear()


def _uses_database(request) -> bool:
    return "_django_db_helper" in request.fixturenames or bool(
        request.node.get_closest_marker("django_db")
    )


def _is_transactional(request) -> bool:
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _allow_flush_of_frozen_versions(request):
    """Let Django empty the database after a transactional test.

    Django's flush is a DELETE on SQLite and a TRUNCATE on PostgreSQL, which the
    triggers that keep evidence (published versions, the ledger, the audit trails)
    rightly refuse. Around such tests the triggers are dropped for the flush only and
    put back before the next test runs.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from acknowledgements import triggers as ledger_triggers
    from campaigns import triggers as progress
    from handbook import triggers as handbook_triggers
    from quizzes import triggers as quiz_triggers
    from reports import triggers as report_triggers

    # (put on, take off) of each group of triggers that refuses a flush.
    groups = [
        (handbook_triggers.install, handbook_triggers.uninstall),
        (ledger_triggers.install, ledger_triggers.uninstall),
        (handbook_triggers.install_evidence, handbook_triggers.uninstall_evidence),
        (ledger_triggers.install_evidence, ledger_triggers.uninstall_evidence),
        (progress.EVENTS.install, progress.EVENTS.uninstall),
        (quiz_triggers.EVENTS.install, quiz_triggers.EVENTS.uninstall),
        (report_triggers.EVENTS.install, report_triggers.EVENTS.uninstall),
    ]
    with connection.schema_editor() as editor:
        for put_on, take_off in groups:
            take_off(None, editor)
            put_on(None, editor)
    yield
    with connection.schema_editor() as editor:
        for _put_on, take_off in groups:
            take_off(None, editor)


@pytest.fixture
def version_one(db):
    """The customer's guideline, loaded as published version 1, as `make run` does."""
    from django.core.management import call_command

    from handbook.models import GuidelineVersion

    call_command("load_handbook", verbosity=0)
    return GuidelineVersion.objects.get(number=1)


# The people the page tests log in as. A test module that needs someone else defines its
# own fixture of the same name, which wins over these.


@pytest.fixture
def hr_user(db):
    """An HR employee outside the departments, reading the portal in English."""
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(hr=True, department=None, preferred_language="en")


@pytest.fixture
def hr_client(client, hr_user):
    """The test client, logged in as ``hr_user`` past the second factor."""
    from people.tests.factories import login_with_second_factor

    login_with_second_factor(client, hr_user)
    return client


@pytest.fixture
def editor(db):
    """An editor of the handbook and its quiz."""
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(editor=True, first_name="Eva", last_name="Redacteur")


@pytest.fixture
def editor_client(editor):
    """A client of its own, logged in as ``editor`` past the second factor."""
    from django.test import Client

    from people.tests.factories import login_with_second_factor

    client = Client()
    login_with_second_factor(client, editor)
    return client


def pytest_report_header(config):
    """Say at the top of every run which database the tests use (DATABASE_URL)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    where = database.get("HOST") or ""
    if database.get("PORT"):
        where += f":{database['PORT']}"
    return f"database: {vendor} {where or database['NAME']} (tests use a fresh test database)"
