"""The WCAG 2.1 AA checks axe-core does not make, run by ``axe_check`` on every kind of
page the browser journeys visit (docs/accessibility.md, "Beyond axe-core").

axe-core looks at one page at one size. These checks change the page's surroundings as a
user would and measure what happens:

    reflow-320, reflow-1280   1.4.10 Reflow: no sideways page scroll at 320 and 1280 CSS px;
                              names the elements whose right edge sticks out of the page
                              and is not inside a horizontal scroll box (a table in an
                              ``overflow-x: auto`` box is allowed)
    zoom-200                  1.4.4 Resize text: 1280 px at 200 % is a 640 CSS px viewport:
                              no sideways scroll, no text cut off
    text-spacing              1.4.12 Text spacing: line height 1.5, paragraph spacing 2em,
                              letter spacing 0.12em, word spacing 0.16em on every element
                              (a constructable style sheet, so the strict CSP stays as it
                              is); no text cut off, no sideways scroll at 1280 px
    focus-visible             2.4.7 Focus visible, with 3:1: each kind of interactive
                              element, focused as by keyboard (``:focus-visible``), shows
                              an outline of at least 2px with 3:1 against what is behind
                              it, and more than a colour change of less than 3:1
    forced-colors             Windows high contrast: the focused element still shows an
                              outline (a box-shadow ring disappears); buttons and fields
                              keep a border or outline
    reduced-motion            2.3.3 (best practice): with ``prefers-reduced-motion:
                              reduce`` nothing animates or transitions longer than 0.01 s
                              and the page does not scroll smoothly

They run once per URL pattern and language in a test session (``CHECKED``), and put the
page back as they found it: viewport, media emulation, scroll position and focus.
Settings: ``E2E_BEYOND_AXE`` (default True) turns them on; ``E2E_BEYOND_AXE_STRICT``
(default True) makes a finding fail the test; set False, a finding is only reported
(``FINDINGS``, printed at the end of the session and written to
test-results/beyond-axe.txt). The environment variables of the same names ("1"/"0")
override the settings.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

# The checks in the browser (e2e/beyond_axe.js): installs window.__e2eBeyondAxe once per
# document. Evaluated through the DevTools protocol, so the page's CSP does not govern it.
BEYOND_AXE_JS = Path(__file__).with_name("beyond_axe.js").read_text(encoding="utf-8")

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 900}  # 1280 px at 400 %
ZOOM_200 = {"width": 640, "height": 450}  # 1280 x 900 at 200 %
FOCUS_KINDS_PER_PAGE = 25
REPORT_FILE = Path(settings.BASE_DIR) / "test-results" / "beyond-axe.txt"

CRITERIA = {
    "reflow-320": "1.4.10 Reflow (320 CSS px)",
    "reflow-1280": "1.4.10 Reflow (1280 CSS px)",
    "zoom-200": "1.4.4 Resize text (200 %, 640 CSS px)",
    "text-spacing": "1.4.12 Text spacing",
    "focus-visible": "2.4.7 Focus visible (3:1)",
    "forced-colors": "Forced colours (1.4.11, 2.4.7 in Windows high contrast)",
    "reduced-motion": "2.3.3 Animation from interactions (reduced motion)",
}


@dataclass
class Finding:
    """One check that failed on a page: what, and the elements it is about."""

    check: str
    summary: str
    elements: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0

    def format(self) -> str:
        lines = [f"- {self.check} ({CRITERIA.get(self.check, '')}): {self.summary}"]
        for element in self.elements:
            facts = ", ".join(
                f"{key} {value}"
                for key, value in element.items()
                if key not in ("selector", "text", "problem") and value not in ("", None)
            )
            text = f' "{element["text"]}"' if element.get("text") else ""
            problem = f"{element['problem']}; " if element.get("problem") else ""
            lines.append(f"    at {element['selector']}{text}")
            if problem or facts:
                lines.append(f"       {problem}{facts}")
        if self.more:
            lines.append(f"    ... and {self.more} more elements")
        return "\n".join(lines)


def format_findings(
    findings: list[Finding], url: str, *, key: tuple[str, str] | None = None
) -> str:
    where = f" (pattern {key[0]!r}, language {key[1]!r})" if key else ""
    lines = [f"beyond axe-core: {len(findings)} WCAG 2.1 AA problem(s) on {url}{where}:"]
    lines.extend(finding.format() for finding in findings)
    return "\n".join(lines)


# --------------------------------------------------------------------------- in the page


def _install(page: Page) -> None:
    if not page.evaluate("() => typeof window.__e2eBeyondAxe !== 'undefined'"):
        page.evaluate(BEYOND_AXE_JS)


def _call(page: Page, function: str, *args: Any) -> Any:
    _install(page)
    return page.evaluate(
        f"async (args) => await window.__e2eBeyondAxe.{function}(...args)", list(args)
    )


def _resize(page: Page, size: dict[str, int]) -> None:
    if page.viewport_size != size:
        page.set_viewport_size(size)
        page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => resolve()))")


def check_reflow(page: Page, *, size: dict[str, int], name: str) -> list[Finding]:
    """No sideways page scroll at the viewport ``size``: names the elements that stick out."""
    _resize(page, size)
    result = _call(page, "reflow")
    scrolls = result["scrollWidth"] > result["clientWidth"] + 1 and not result["hidden"]
    if not scrolls and not result["offenders"]:
        return []
    if scrolls:
        summary = (
            f"the page scrolls sideways at {size['width']} CSS px "
            f"(scrollWidth {result['scrollWidth']} > clientWidth {result['clientWidth']})"
        )
    else:
        summary = f"content sticks out of the page at {size['width']} CSS px and is cut off"
    if result["offenders"]:
        summary += "; these elements' right edge sticks out, outside any scroll box"
    else:
        summary += "; no element sticks out (a pseudo-element or margin does)"
    return [Finding(name, summary, result["offenders"], result["more"])]


def check_clipped_text(page: Page, *, name: str, when: str) -> list[Finding]:
    """No text cut off by a box with ``overflow: hidden`` or ``clip``."""
    clipped = _call(page, "clippedText")
    if not clipped:
        return []
    return [Finding(name, f"text is cut off {when}", clipped)]


def check_zoom_200(page: Page) -> list[Finding]:
    """1.4.4: 1280 px at 200 % (a 640 CSS px viewport): no sideways scroll, no cut text."""
    return check_reflow(page, size=ZOOM_200, name="zoom-200") + check_clipped_text(
        page, name="zoom-200", when="at 200 % (640 CSS px)"
    )


def check_text_spacing(page: Page) -> list[Finding]:
    """1.4.12: with the WCAG text spacing on every element no text is cut off and the
    page does not scroll sideways at 1280 px."""
    _resize(page, DESKTOP)
    applied = _call(page, "applyTextSpacing")
    try:
        if not applied["applied"]:
            return [
                Finding(
                    "text-spacing",
                    "the text spacing could not be applied (the page's CSS overrides it)",
                    [applied["probe"]],
                )
            ]
        findings = check_clipped_text(page, name="text-spacing", when="with WCAG text spacing")
        for finding in check_reflow(page, size=DESKTOP, name="text-spacing"):
            finding.summary += " with WCAG text spacing"
            findings.append(finding)
        return findings
    finally:
        _call(page, "removeTextSpacing")


@contextmanager
def _focus_candidates(page: Page) -> Iterator[int]:
    """Pick one element per kind to focus; put the focus back as it was afterwards."""
    count = _call(page, "focusCandidates", FOCUS_KINDS_PER_PAGE)
    try:
        yield count
    finally:
        _call(page, "restoreFocus")


def check_focus_visible(page: Page) -> list[Finding]:
    """2.4.7 with 3:1: every kind of interactive element shows a keyboard-focus outline of
    at least 2px with 3:1 against the background behind it."""
    _resize(page, DESKTOP)
    with _focus_candidates(page):
        problems = _call(page, "focusVisible")
    if not problems:
        return []
    return [
        Finding(
            "focus-visible",
            "focused by keyboard, these show no outline of 2px with 3:1 contrast",
            problems,
        )
    ]


@contextmanager
def _emulated(page: Page, *, forced_colors: bool = False, reduced_motion: bool = False):
    """Emulate forced colours and/or reduced motion, and switch it off again afterwards
    (no journey emulates either)."""
    switches: dict[str, Any] = {}
    if forced_colors:
        switches["forced_colors"] = "active"
    if reduced_motion:
        switches["reduced_motion"] = "reduce"
    if switches:
        page.emulate_media(**switches)
    try:
        yield
    finally:
        if switches and not page.is_closed():
            page.emulate_media(**dict.fromkeys(switches, "null"))


def check_forced_colors(page: Page, *, emulate: bool = True) -> list[Finding]:
    """Forced colours: the focused element shows an outline; buttons and fields keep a
    border or outline. ``emulate=False``: the caller has switched forced colours on."""
    _resize(page, DESKTOP)
    with _emulated(page, forced_colors=emulate), _focus_candidates(page):
        problems = _call(page, "forcedColors")
    if not problems:
        return []
    return [Finding("forced-colors", "in forced colours (Windows high contrast)", problems)]


def check_reduced_motion(page: Page, *, emulate: bool = True) -> list[Finding]:
    """2.3.3: with prefers-reduced-motion: reduce, no animation or transition longer than
    0.01 s runs or is set, and html does not scroll smoothly. ``emulate=False``: the
    caller has switched reduced motion on (after finishing the running transitions)."""
    if emulate:
        _call(page, "finishAllTransitions")
    with _emulated(page, reduced_motion=emulate):
        problems = _call(page, "reducedMotion")
    if not problems:
        return []
    return [Finding("reduced-motion", "with prefers-reduced-motion: reduce", problems)]


@contextmanager
def page_as_it_was(page: Page) -> Iterator[None]:
    """Put back the viewport and the scroll position after the checks; the checks put
    back the focus and the media emulation themselves."""
    viewport = page.viewport_size
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    try:
        yield
    finally:
        if not page.is_closed():
            if viewport and page.viewport_size != viewport:
                page.set_viewport_size(viewport)
            page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)


def run_checks(page: Page) -> list[Finding]:
    """Every check on the page now shown; the page is put back as it was."""
    findings: list[Finding] = []
    with page_as_it_was(page):
        # Both emulations at once (one restyle); motion first, before focusing starts
        # transitions.
        _resize(page, DESKTOP)
        _call(page, "finishAllTransitions")
        with _emulated(page, forced_colors=True, reduced_motion=True):
            findings += check_reduced_motion(page, emulate=False)
            findings += check_forced_colors(page, emulate=False)
        findings += check_reflow(page, size=DESKTOP, name="reflow-1280")
        findings += check_focus_visible(page)
        findings += check_text_spacing(page)
        findings += check_zoom_200(page)
        findings += check_reflow(page, size=NARROW, name="reflow-320")
        findings += check_clipped_text(page, name="reflow-320", when="at 320 CSS px")
    return findings


# --------------------------------------------------------------------------- per page


@dataclass
class Checked:
    """A page kind already checked in this session: where, and what was found."""

    url: str
    findings: list[Finding]
    seconds: float


CHECKED: dict[tuple[str, str], Checked] = {}
FINDINGS: list[str] = []  # report mode: the formatted findings, for the session's summary


def _switch(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is not None:
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(getattr(settings, name, default))


def enabled() -> bool:
    return _switch("E2E_BEYOND_AXE", True)


def strict() -> bool:
    return _switch("E2E_BEYOND_AXE_STRICT", True)


def page_key(page: Page) -> tuple[str, str]:
    """(URL pattern, language) of the page shown: the route, or the view's name for a
    pattern without a route; "(no pattern)" for a 404."""
    path = urlsplit(page.url).path
    try:
        match = resolve(path)
        pattern = match.route or match.view_name
    except Resolver404:
        pattern = "(no pattern)"
    language = page.evaluate("() => document.documentElement.lang || ''")
    return pattern, language


def _portal_origin(page: Page) -> str:
    recorder = getattr(page, "_e2e_csp", None)
    return getattr(recorder, "origin", "") or ""


def beyond_axe_check(page: Page) -> None:
    """The per-page hook of ``axe_check``: run the checks once per URL pattern and
    language on the portal's own pages; fail on findings in strict mode, else report."""
    if not enabled():
        return
    origin = _portal_origin(page)
    if not origin or not page.url.startswith(origin):
        return  # not a portal page (an identity provider's, a test's own)
    key = page_key(page)
    checked = CHECKED.get(key)
    if checked is None:
        started = time.monotonic()
        findings = run_checks(page)
        checked = Checked(page.url, findings, time.monotonic() - started)
        CHECKED[key] = checked
        if findings:
            _report(format_findings(findings, page.url, key=key))
    if checked.findings and strict():
        message = format_findings(checked.findings, checked.url, key=key)
        if checked.url != page.url:
            message += f"\n(found on this pattern's first page in the session, {checked.url})"
        raise AssertionError(message)


def _report(message: str) -> None:
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    text = f"{message}\n  (in {test})\n" if test else f"{message}\n"
    FINDINGS.append(text)
    REPORT_FILE.parent.mkdir(exist_ok=True)
    with REPORT_FILE.open("a", encoding="utf-8") as report:
        report.write(text + "\n")


def timing_summary() -> str:
    """How long the checks took per page kind, for the session's summary."""
    if not CHECKED:
        return ""
    seconds = [checked.seconds for checked in CHECKED.values()]
    failing = sum(1 for checked in CHECKED.values() if checked.findings)
    return (
        f"beyond axe-core: {len(seconds)} page kind(s) checked, {failing} with findings; "
        f"{sum(seconds):.1f} s in all, {sum(seconds) / len(seconds):.2f} s per page kind "
        f"(slowest {max(seconds):.2f} s)"
    )
