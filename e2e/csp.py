"""The browser journeys run with the portal's Content-Security-Policy enforced, and any
violation of it on a portal page fails the test, naming it.

Every document reports each violation (its ``securitypolicyviolation`` event) to Python
and keeps it on window, so that one is caught even on a page the journey has left.
``axe_check`` (every checked page) and the ``page`` fixture's last check call
``assert_no_csp_violations``. The identity provider's pages in the SSO journeys are not
the portal's: only violations in documents under the live server's origin count.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page

# Installed before any of the page's own scripts run (an init script), in every frame.
CSP_INIT_SCRIPT = """
(() => {
  if (window.__e2eCspViolations) return;
  const seen = [];
  Object.defineProperty(window, "__e2eCspViolations", { value: seen });
  document.addEventListener("securitypolicyviolation", (event) => {
    const t = event.target;
    const element = t && t.tagName
      ? [t.tagName.toLowerCase() + (t.id ? "#" + t.id : ""), ...t.classList].join(".")
      : "";
    const violation = {
      document: event.documentURI, directive: event.effectiveDirective,
      blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber,
      column: event.columnNumber, element, disposition: event.disposition,
    };
    seen.push(violation);
    if (window.__e2eReportCspViolation) window.__e2eReportCspViolation(violation);
  }, true);
})();
"""


class CspViolations:
    """The violations reported in one page's documents under ``origin``."""

    def __init__(self, origin: str = "") -> None:
        self.origin = origin
        self.found: list[dict[str, Any]] = []

    def report(self, violation: dict[str, Any]) -> None:
        if self.origin and not str(violation.get("document", "")).startswith(self.origin):
            return
        if violation not in self.found:
            self.found.append(violation)


def watch_csp(context: BrowserContext, *, origin: str) -> CspViolations:
    """Record the violations in every page of the context made after this call."""
    violations = CspViolations(origin)
    context.expose_function("__e2eReportCspViolation", violations.report)
    context.add_init_script(CSP_INIT_SCRIPT)
    return violations


def _recorder(page: Page) -> CspViolations:
    recorder = getattr(page, "_e2e_csp", None)
    if recorder is None:
        recorder = CspViolations()
        page._e2e_csp = recorder
    return recorder


def csp_violations(page: Page) -> list[dict[str, Any]]:
    """The violations so far: those reported from every page the test loaded, and those
    of the page now shown (whose last reports may still be on their way)."""
    recorder = _recorder(page)
    if not page.is_closed():
        for violation in page.evaluate("() => window.__e2eCspViolations || []"):
            recorder.report(violation)
    return list(recorder.found)


def format_csp_violations(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} Content-Security-Policy violation(s):"]
    for v in violations:
        where = f"{v.get('source') or v.get('document')}:{v.get('line')}:{v.get('column')}"
        element = f" on <{v['element']}>" if v.get("element") else ""
        blocked = v.get("blocked") or "?"
        lines.append(f"- {v.get('directive')} refused {blocked}{element} at {where}")
    return "\n".join(lines)


def assert_no_csp_violations(page: Page) -> None:
    violations = csp_violations(page)
    assert not violations, format_csp_violations(violations)


def forget_csp_violations(page: Page) -> None:
    """For the tests of the checker itself: start again with none."""
    _recorder(page).found.clear()
    if not page.is_closed():
        page.evaluate("() => { (window.__e2eCspViolations || []).splice(0); }")
