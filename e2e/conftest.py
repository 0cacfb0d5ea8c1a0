"""Fixtures for the browser journeys (pytest marker ``e2e``).

    browser                   one headless Debian Chromium per test session
    context                   a fresh browser context per test (cookies, storage)
    page                      a fresh page per test; every page it loads must pass axe_check
    second_page               another user's page in its own browser context, checked alike
    new_page                  new_page(locale="en-GB"): more pages, each in a context of its own
    employee                  an ordinary employee (no role, no second factor)
    hr_employee, editor       privileged accounts without an authenticator app yet
    editor_with_totp          (editor, secret): an editor whose authenticator app is set up
    hr_with_totp              (HR employee, secret), likewise
    employee_page             ``page``, logged in as ``employee`` (on the home page)
    editor_page               ``page``, logged in as the editor with TOTP (on the home page)

Helpers to import from e2e.helpers: login, login_by_keyboard, visit, follow,
click_and_follow, press_and_follow, axe_check, tab_to, type_into, assert_focus_visible,
skip_axe_for_this_page; from e2e.totp: current_code, activate_totp.

Playwright's sync API runs an event loop in the test's thread, so Django's ORM would
refuse to run (SynchronousOnlyOperation): DJANGO_ALLOW_ASYNC_UNSAFE is set while the
browser lives, in tests only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from e2e.csp import assert_no_csp_violations, watch_csp
from e2e.helpers import (
    AXE_SCRIPT,
    CHROMIUM_ARGS,
    TRACKER_INIT_SCRIPT,
    PageTracker,
    axe_check,
    chromium_path,
    login,
)
from e2e.totp import activate_totp


def pytest_collection_modifyitems(config, items):
    """Everything under e2e/ is a browser journey: mark it so -m "not e2e" skips it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    """The checks beyond axe-core (e2e/beyond_axe.py): what they found in report mode,
    and how long they took."""
    from e2e import beyond_axe

    if beyond_axe.FINDINGS:
        terminalreporter.section("beyond axe-core: findings (report mode)")
        for finding in beyond_axe.FINDINGS:
            terminalreporter.write_line(finding)
    if beyond_axe.CHECKED:
        terminalreporter.write_line(beyond_axe.timing_summary())


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not Path(executable).exists():
        pytest.fail(
            f"Chromium not found at {executable}: apt-get install chromium "
            "(or set E2E_CHROMIUM_PATH). Never `playwright install`."
        )
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make test does).")

    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=os.environ.get("E2E_HEADED", "") != "1",
            args=list(CHROMIUM_ARGS),
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser, live_server, *, locale: str = "nl-NL"):
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    return context


def _tracked_page(context, live_server):
    tracker = PageTracker()
    context.expose_function("__e2eReportLoad", tracker.report_load)
    context.add_init_script(TRACKER_INIT_SCRIPT)
    csp = watch_csp(context, origin=live_server.url)
    page = context.new_page()
    page._e2e_tracker = tracker
    page._e2e_csp = csp
    return page


@pytest.fixture
def context(browser, live_server):
    context = _new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server, request):
    """A page whose every loaded document must have passed axe_check by the end, with
    no Content-Security-Policy violation on any portal page (e2e/csp.py).

    The page shown last is checked here if the test did not do it. On failure a
    screenshot goes to test-results/.
    """
    page = _tracked_page(context, live_server)
    yield page
    _check_every_page(page, request)


@pytest.fixture
def second_page(browser, live_server, request):
    """A page in a second browser context (its own cookies: another user logged in at
    the same time as on ``page``), held to the same axe-core rule."""
    context = _new_context(browser, live_server)
    page = _tracked_page(context, live_server)
    yield page
    try:
        _check_every_page(page, request, suffix="-second")
    finally:
        context.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Open more pages, each in a browser context of its own (its own cookies: one per
    role), in the language ``locale`` asks for: ``new_page(locale="en-GB")``. Each is held
    to the same axe-core rule as ``page`` (e2e/test_every_page.py)."""
    opened = []

    def make(*, locale: str = "nl-NL"):
        context = _new_context(browser, live_server, locale=locale)
        page = _tracked_page(context, live_server)
        opened.append((context, page))
        return page

    yield make
    try:
        for number, (_context, page) in enumerate(opened):
            _check_every_page(page, request, suffix=f"-{number}")
    finally:
        for context, _page in opened:
            context.close()


def _check_every_page(page, request, *, suffix: str = "") -> None:
    tracker = page._e2e_tracker
    call = getattr(request.node, "_e2e_report_call", None)
    if call is not None and call.failed:
        _screenshot(page, request.node.nodeid + suffix)
        return
    if page.is_closed():
        return
    page.wait_for_load_state("load")
    page.evaluate("() => 0")  # let the last load report arrive
    current = page.evaluate("() => window.__e2eDocId || null")
    if current in tracker.loaded and current not in tracker.checked | tracker.exempt:
        axe_check(page)
    unchecked = tracker.unchecked()
    assert not unchecked, (
        f"pages loaded without an axe-core check (use visit()/follow() or axe_check()): {unchecked}"
    )
    assert_no_csp_violations(page)


def _screenshot(page, nodeid: str) -> None:
    if page.is_closed():
        return
    folder = Path(settings.BASE_DIR) / "test-results"
    folder.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    try:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
        print(f"screenshot failed: {exc}")


# --------------------------------------------------------------------------- accounts


@pytest.fixture
def employee(transactional_db):
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Jan", last_name="Jansen", email="jan.jansen@voorbeeldstad.nl"
    )


@pytest.fixture
def hr_employee(transactional_db):
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Hanna", last_name="de Haan", email="hanna.dehaan@voorbeeldstad.nl", hr=True
    )


@pytest.fixture
def editor(transactional_db):
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Eva", last_name="Evers", email="eva.evers@voorbeeldstad.nl", editor=True
    )


@pytest.fixture
def editor_with_totp(editor):
    """The editor with an authenticator app already set up: (employee, secret)."""
    return editor, activate_totp(editor)


@pytest.fixture
def hr_with_totp(hr_employee):
    """The HR employee with an authenticator app already set up: (employee, secret)."""
    return hr_employee, activate_totp(hr_employee)


@pytest.fixture
def employee_page(page, live_server, employee):
    login(page, live_server, employee)
    return page


@pytest.fixture
def editor_page(page, live_server, editor_with_totp):
    editor, secret = editor_with_totp
    login(page, live_server, editor, totp_secret=secret)
    return page
