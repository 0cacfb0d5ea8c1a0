"""Helpers for the browser journeys: axe-core checks, navigation, keyboard, log-in.

Every page a journey visits must pass axe-core (WCAG 2.0/2.1, A and AA): the law asks it
of an intranet (Besluit digitale toegankelijkheid overheid). Use ``visit`` to open a page
and ``follow`` (or ``click_and_follow``/``press_and_follow``) for a click or key press that
loads a new page: both run ``axe_check`` on the page that arrives. The ``page`` fixture
(e2e/conftest.py) fails a test that let a page go by unchecked, and checks the last one.
The same checks fail on any Content-Security-Policy violation on a portal page
(e2e/csp.py), and run the WCAG 2.1 AA checks axe-core does not make (reflow, 200 % zoom,
text spacing, focus visible with 3:1, forced colours, reduced motion) once per URL
pattern and language (e2e/beyond_axe.py).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Locator, Page

from e2e.beyond_axe import beyond_axe_check
from e2e.csp import assert_no_csp_violations
from e2e.totp import current_code
from people.tests.factories import DEFAULT_PASSWORD

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)


@functools.cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0"


def chromium_path() -> str:
    """Debian's Chromium (never a browser that Playwright downloads): E2E_CHROMIUM_PATH,
    else the setting E2E_CHROMIUM_PATH, else /usr/bin/chromium."""
    return os.environ.get("E2E_CHROMIUM_PATH") or getattr(
        settings, "E2E_CHROMIUM_PATH", "/usr/bin/chromium"
    )


# --------------------------------------------------------------------------- axe-core

# Each document gets an id when it starts; it reports its "load" to Python (see
# PageTracker). axe_check records the id of the document it checked, so the page fixture
# can tell exactly which loaded pages were never checked.
TRACKER_INIT_SCRIPT = """
(() => {
  if (window.top !== window || window.__e2eDocId) return;
  const id = Date.now().toString(36) + Math.random().toString(36).slice(2);
  Object.defineProperty(window, "__e2eDocId", { value: id });
  window.addEventListener("load", () => {
    if (window.__e2eReportLoad) window.__e2eReportLoad(id, location.href);
  });
})();
"""


class PageTracker:
    """Which documents loaded in a page, and which of them axe-core checked."""

    def __init__(self) -> None:
        self.loaded: dict[str, str] = {}  # document id -> URL
        self.checked: set[str] = set()
        self.exempt: set[str] = set()

    def report_load(self, doc_id: str, url: str) -> None:
        if url.startswith("http"):
            self.loaded[doc_id] = url

    def unchecked(self) -> list[str]:
        return [
            url
            for doc_id, url in self.loaded.items()
            if doc_id not in self.checked and doc_id not in self.exempt
        ]


def _tracker(page: Page) -> PageTracker | None:
    return getattr(page, "_e2e_tracker", None)


def _document_id(page: Page) -> str | None:
    return page.evaluate("() => window.__e2eDocId || null")


def format_violations(violations: list[dict[str, Any]], url: str) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"\n    {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(
                json.dumps(t) if not isinstance(t, str) else t for t in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def axe_check(
    page: Page,
    *,
    include: str | None = None,
    disable_rules: tuple[str, ...] = (),
) -> None:
    """Run axe-core on the page (or on the element ``include`` selects), fail on violations.

    Only WCAG 2.0/2.1 A and AA rules run. ``disable_rules`` is for a documented exception,
    never for hiding a real problem. Then the checks beyond axe-core run, once per URL
    pattern and language (e2e/beyond_axe.py: they fail the test in strict mode).
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Run through the DevTools protocol, which the page's CSP does not govern
        # (add_script_tag would add an inline <script>, which the policy refuses).
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable_rules},
    }
    result = page.evaluate(
        "async ([context, options]) => await axe.run(context || document, options)",
        [include, options],
    )
    tracker = _tracker(page)
    doc_id = _document_id(page)
    if tracker is not None and doc_id:
        tracker.checked.add(doc_id)
    violations = result["violations"]
    assert not violations, format_violations(violations, page.url)
    assert_no_csp_violations(page)
    beyond_axe_check(page)


def skip_axe_for_this_page(page: Page, reason: str) -> None:
    """Exempt the page now shown from the "every page is checked" rule (say why)."""
    assert reason, "give the reason why this page is not checked"
    tracker = _tracker(page)
    doc_id = _document_id(page)
    if tracker is not None and doc_id:
        tracker.exempt.add(doc_id)


# --------------------------------------------------------------------------- navigation


def visit(page: Page, url: str, *, check: bool = True):
    """Open the URL (absolute, or relative to the live server) and check it with axe-core."""
    response = page.goto(url)
    if check:
        axe_check(page)
    return response


def follow(page: Page, action: Callable[[], Any], *, check: bool = True) -> None:
    """Do something that loads a new page (submit, link), wait for it, check it."""
    with page.expect_navigation():
        action()
    if check:
        axe_check(page)


def click_and_follow(page: Page, target: Locator | str, *, check: bool = True) -> None:
    locator = page.locator(target) if isinstance(target, str) else target
    follow(page, locator.click, check=check)


def press_and_follow(page: Page, key: str = "Enter", *, check: bool = True) -> None:
    follow(page, lambda: page.keyboard.press(key), check=check)


def submit_button(page: Page) -> Locator:
    """The submit button of the (first) form in <main>."""
    return page.locator("main form button[type=submit]").first


def path_of(page: Page) -> str:
    from urllib.parse import urlsplit

    return urlsplit(page.url).path


# --------------------------------------------------------------------------- keyboard


def focused(page: Page) -> dict[str, str]:
    """A short description of the element that has the keyboard focus."""
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          if (!e) return {};
          return {tag: e.tagName.toLowerCase(), id: e.id || "", name: e.name || "",
                  text: (e.innerText || e.value || "").trim().slice(0, 60)};
        }"""
    )


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus indicator (WCAG 2.4.7)."""
    style = page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
                  shadow: s.boxShadow};
        }"""
    )
    visible = (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none"
    assert visible, f"no visible focus indicator on {focused(page)}: {style}"


def tab_to(page: Page, target: Locator | str, *, max_presses: int = 40, back: bool = False) -> int:
    """Press Tab (Shift+Tab with back=True) until ``target`` has the focus; returns the
    number of presses. Fails, listing where the focus went, if it is not reachable."""
    locator = page.locator(target) if isinstance(target, str) else target
    if locator.count() != 1:
        raise AssertionError(f"{target} matches {locator.count()} elements, not one")
    route = []
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if locator.evaluate("el => el === document.activeElement"):
            assert_focus_visible(page)
            return presses
        route.append(focused(page))
    raise AssertionError(
        f"{target} was not reached with {max_presses} Tab presses; the focus went: {route}"
    )


def type_into(page: Page, target: Locator | str, text: str) -> None:
    """Reach a field by Tab and type into it, as a keyboard user does."""
    tab_to(page, target)
    page.keyboard.type(text)


# --------------------------------------------------------------------------- log-in


def login_url(live_server) -> str:
    return f"{live_server.url}{reverse('account_login')}"


def is_logged_in(page: Page) -> bool:
    return page.locator(f"header form[action='{reverse('account_logout')}']").count() > 0


def login(
    page: Page,
    live_server,
    employee,
    totp_secret: str | None = None,
    *,
    password: str = DEFAULT_PASSWORD,
) -> None:
    """Log in through allauth's real form (and its code step when the account has an
    authenticator app); every page on the way is checked with axe-core."""
    visit(page, login_url(live_server))
    page.locator("#id_login").fill(employee.email)
    page.locator("#id_password").fill(password)
    click_and_follow(page, submit_button(page))
    if totp_secret:
        assert path_of(page) == reverse("mfa_authenticate"), page.url
        page.locator("#id_code").fill(current_code(totp_secret))
        click_and_follow(page, submit_button(page))
    assert is_logged_in(page), f"log-in of {employee.email} failed; now on {page.url}"


def login_by_keyboard(
    page: Page,
    live_server,
    employee,
    totp_secret: str | None = None,
    *,
    password: str = DEFAULT_PASSWORD,
) -> None:
    """Log in with Tab, typing and Enter only (no mouse, no fill())."""
    visit(page, login_url(live_server))
    type_into(page, "#id_login", employee.email)
    type_into(page, "#id_password", password)
    press_and_follow(page, "Enter")
    if totp_secret:
        assert path_of(page) == reverse("mfa_authenticate"), page.url
        type_into(page, "#id_code", current_code(totp_secret))
        press_and_follow(page, "Enter")
    assert is_logged_in(page), f"log-in of {employee.email} failed; now on {page.url}"


# --------------------------------------------------------------------------- journeys


def read_pass_and_sign(page: Page, employee) -> None:
    """From the signing page, as the employee: read every unread tip (the first from the
    list, then "next" to the end), pass the quiz (the right answers come from the
    database) and sign by keyboard. Ends on the receipt."""
    from playwright.sync_api import expect

    from acknowledgements.models import Acknowledgement
    from quizzes.models import Attempt

    sign_url = reverse("signing:sign", kwargs={"guideline": "sociale-media"})
    assert path_of(page) == sign_url, page.url
    click_and_follow(page, page.locator("#unread-tips a").first)
    while page.locator("#next-tip").count():
        click_and_follow(page, "#next-tip")

    visit(page, reverse("quizzes:start", kwargs={"guideline": "sociale-media"}))
    click_and_follow(page, "#start-quiz")
    attempt = Attempt.objects.filter(employee=employee).latest("pk")
    for served in attempt.served.select_related("question"):
        for option in served.question.options.filter(is_correct=True):
            page.locator(f"#option-{option.pk}").check()
    click_and_follow(page, "#submit-attempt")
    expect(page.locator("#result-summary")).to_have_attribute("data-passed", "true")

    visit(page, reverse("signing:sign", kwargs={"guideline": "sociale-media"}))
    type_into(page, "#id_typed_name", employee.full_name)
    tab_to(page, "#id_confirmed")
    page.keyboard.press("Space")
    tab_to(page, "#sign-button")
    press_and_follow(page, "Enter")
    assert Acknowledgement.objects.filter(employee=employee).exists(), f"not signed: {page.url}"


def wait_until_served(url: str, process: subprocess.Popen, *, what: str, timeout: float) -> None:
    """Wait until the test's own server ``process`` answers 200 at ``url``; fail the test,
    with the server's output, if it stops or does not answer in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"the {what} stopped: {output}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the {what} did not answer on {url}")
