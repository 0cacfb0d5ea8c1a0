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

# The checks in the browser: installs window.__e2eBeyondAxe once per document. Evaluated
# through the DevTools protocol, so the page's CSP does not govern it.
BEYOND_AXE_JS = r"""
// The WCAG 2.1 AA checks axe-core does not make, measured in the browser (e2e/beyond_axe.py
// runs them and explains them; docs/accessibility.md describes them). Evaluated through the
// DevTools protocol, so the page's Content-Security-Policy does not govern it; it installs
// window.__e2eBeyondAxe once per document and changes nothing in the page by itself.
(() => {
  if (window.__e2eBeyondAxe) return;

  // ------------------------------------------------------------------ naming elements
  function selector(el) {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 5;) {
      const tag = node.tagName.toLowerCase();
      let part = tag + [...node.classList].slice(0, 3).map((c) => "." + CSS.escape(c)).join("");
      if (node.id) {
        parts.unshift(part + "#" + CSS.escape(node.id));
        break;
      }
      const parent = node.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.tagName === node.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      if (tag === "body") break;
      node = parent;
    }
    return parts.join(" > ");
  }

  function textOf(el) {
    const text = el.innerText || el.value || el.getAttribute("aria-label") || el.textContent || "";
    return text.trim().replace(/\s+/g, " ").slice(0, 50);
  }

  function describe(el, extra) {
    return Object.assign({ selector: selector(el), text: textOf(el) }, extra || {});
  }

  const round = (n) => Math.round(n * 100) / 100;

  // ------------------------------------------------------------------ colours (WCAG)
  let canvasContext = null;
  function parseColor(value) {
    const number = String.raw`\s*([\d.]+)`;
    const m = new RegExp(
      String.raw`^rgba?\(${number}[,\s]${number}[,\s]${number}(?:\s*[,/]${number}(%?))?\s*\)$`
    ).exec(value);
    if (m) {
      let a = m[4] === undefined ? 1 : parseFloat(m[4]);
      if (m[5]) a /= 100;
      return { r: +m[1], g: +m[2], b: +m[3], a };
    }
    // Other colour spaces (color(srgb ...), oklch(...)): let a canvas convert them.
    canvasContext = canvasContext ||
      document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    canvasContext.clearRect(0, 0, 1, 1);
    canvasContext.fillStyle = "rgba(0, 0, 0, 0)";
    canvasContext.fillStyle = value;
    canvasContext.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvasContext.getImageData(0, 0, 1, 1).data;
    return { r, g, b, a: a / 255 };
  }

  function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
  }

  function luminance(c) {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  }

  function contrast(a, b) {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }

  const hex = (c) =>
    "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  // The first opaque background behind an element (its ancestors' background colours,
  // composited; the canvas is white). Background images are not looked at.
  function backgroundBehind(el, includeSelf) {
    const layers = [];
    for (let node = includeSelf ? el : el.parentElement; node; node = node.parentElement) {
      const colour = parseColor(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 0.999) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  }

  // ------------------------------------------------------------------ geometry
  function makesContainingBlock(node) {
    const s = getComputedStyle(node);
    return s.transform !== "none" || s.filter !== "none" || s.perspective !== "none" ||
      /paint|layout|strict|content/.test(s.contain) ||
      /transform|perspective|filter/.test(s.willChange);
  }

  // The element's containing block: what its overflow is clipped or scrolled by.
  function containingBlock(el) {
    const position = getComputedStyle(el).position;
    if (position === "fixed" || position === "absolute") {
      for (let node = el.parentElement; node; node = node.parentElement) {
        if (position === "absolute" && getComputedStyle(node).position !== "static") return node;
        if (makesContainingBlock(node)) return node;
      }
      return null; // the viewport / the initial containing block
    }
    return el.parentElement;
  }

  // The box between the element and the page that keeps its overflow to itself:
  // {kind: "scroll"|"clip", node} or null when its overflow reaches the page.
  function overflowContainer(el) {
    for (let node = containingBlock(el); node; node = containingBlock(node)) {
      if (node === document.body || node === document.documentElement) return null;
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") return { kind: "scroll", node };
      if (overflow === "hidden" || overflow === "clip") return { kind: "clip", node };
    }
    return null;
  }

  const rendered = (el) => el.getClientRects().length > 0;

  // 1.4.10: does the page scroll sideways, and which elements stick out of it?
  function reflow() {
    const root = document.documentElement;
    const limit = root.clientWidth + 1;
    const offenders = new Set();
    for (const el of document.body.querySelectorAll("*")) {
      const rect = el.getBoundingClientRect();
      if (rect.right + window.scrollX <= limit) continue;
      if (!rendered(el)) continue;
      const empty = rect.width === 0 && rect.height === 0;
      if (empty && getComputedStyle(el).position === "static") continue;
      if (overflowContainer(el)) continue;
      offenders.add(el);
    }
    // Name the outermost: an offender inside another offender adds nothing.
    const outermost = [...offenders].filter((el) => {
      for (let node = el.parentElement; node; node = node.parentElement) {
        if (offenders.has(node)) return false;
      }
      return true;
    });
    const hides = (node) => /hidden|clip/.test(getComputedStyle(node).overflowX);
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      hidden: hides(root) || hides(document.body),
      offenders: outermost.slice(0, 10).map((el) => {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return describe(el, {
          right: round(rect.right + window.scrollX), width: round(rect.width),
          position: style.position,
        });
      }),
      more: Math.max(0, outermost.length - 10),
    };
  }

  // 1.4.12 / 1.4.4: text cut off by a box that hides its overflow.
  function clipsItself(node) {
    const s = getComputedStyle(node);
    return s.overflowX !== "visible" || s.overflowY !== "visible" ||
      s.clip !== "auto" || s.clipPath !== "none";
  }

  function isVisuallyHidden(node) {
    const s = getComputedStyle(node);
    return node.clientWidth <= 1 || node.clientHeight <= 1 ||
      (s.clip !== "auto" && s.position === "absolute");
  }

  const NOT_TEXT = "input, textarea, select, option, svg, svg *, img, video, iframe, canvas";

  function clippedText() {
    const found = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) continue;
      if (el.matches(NOT_TEXT)) continue;
      const s = getComputedStyle(el);
      const clipX = s.overflowX === "hidden" || s.overflowX === "clip";
      const clipY = s.overflowY === "hidden" || s.overflowY === "clip";
      if (!clipX && !clipY) continue;
      if (!rendered(el) || isVisuallyHidden(el)) continue;
      const rect = el.getBoundingClientRect();
      const box = {
        left: rect.left + el.clientLeft, top: rect.top + el.clientTop,
        right: rect.left + el.clientLeft + el.clientWidth,
        bottom: rect.top + el.clientTop + el.clientHeight,
      };
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      // Text is cut off when part of the box's text shows and part does not. A box none
      // of whose text shows hides it on purpose (an icon button's text-indent: -9999px).
      let clipped = null;
      let shows = false;
      let seen = 0;
      for (let n = walker.nextNode(); n && seen < 300; n = walker.nextNode()) {
        if (clipped && shows) break;
        seen += 1;
        if (!n.data.trim()) continue;
        let nested = false;
        for (let p = n.parentElement; p && p !== el; p = p.parentElement) {
          if (clipsItself(p) || getComputedStyle(p).visibility === "hidden") {
            nested = true;
            break;
          }
        }
        if (nested) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          if (r.width === 0 || r.height === 0) continue;
          const slack = Math.max(2, r.height * 0.25);
          if ((clipX && (r.right > box.right + 1 || r.left < box.left - 1)) ||
              (clipY && (r.bottom > box.bottom + slack || r.top < box.top - slack))) {
            clipped = clipped || n.data.trim().replace(/\s+/g, " ").slice(0, 50);
          }
          const inside = r.right > box.left && r.left < box.right;
          if (inside && r.bottom > box.top && r.top < box.bottom) shows = true;
        }
      }
      if (!shows) clipped = null;
      if (clipped !== null) {
        found.push(describe(el, {
          clipped, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
          scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
          overflow: s.overflowX + " " + s.overflowY,
        }));
        if (found.length >= 10) break;
      }
    }
    return found;
  }

  // 1.4.12: the text-spacing override, as a constructable style sheet (no <style>, so
  // the strict CSP stays as it is).
  let spacingSheet = null;
  function applyTextSpacing() {
    spacingSheet = new CSSStyleSheet();
    spacingSheet.replaceSync(
      "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;" +
      " word-spacing: 0.16em !important; }\n" +
      "p { margin-bottom: 2em !important; }"
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, spacingSheet];
    const probe = ["main p", "p", "main", "body"].map((q) => document.querySelector(q))
      .find(Boolean);
    const s = getComputedStyle(probe);
    const size = parseFloat(s.fontSize);
    return {
      applied: Math.abs(parseFloat(s.letterSpacing) - 0.12 * size) < 0.05 &&
        Math.abs(parseFloat(s.wordSpacing) - 0.16 * size) < 0.05 &&
        Math.abs(parseFloat(s.lineHeight) - 1.5 * size) < 0.5,
      probe: describe(probe, {
        letterSpacing: s.letterSpacing, wordSpacing: s.wordSpacing, lineHeight: s.lineHeight,
      }),
    };
  }

  function removeTextSpacing() {
    const sheets = document.adoptedStyleSheets;
    document.adoptedStyleSheets = sheets.filter((sheet) => sheet !== spacingSheet);
    spacingSheet = null;
  }

  // ------------------------------------------------------------------ focus
  const FOCUSABLE = "a[href], area[href], button, input:not([type=hidden]), select, textarea, " +
    "summary, [tabindex]";
  const LANDMARK = "header, nav, main, footer, aside, form, [role=banner], [role=navigation], " +
    "[role=main], [role=contentinfo], [role=search], [role=complementary], [role=dialog]";
  let candidates = [];
  let savedFocus = null;

  // One element per kind (tag, type, classes, landmark), in document order.
  function focusCandidates(limit) {
    savedFocus = document.activeElement;
    const kinds = new Set();
    candidates = [];
    for (const el of document.querySelectorAll(FOCUSABLE)) {
      if (el.tabIndex < 0 || el.matches(":disabled") || el.closest("[inert]")) continue;
      const summary = el.tagName === "SUMMARY";
      if (summary && el.parentElement.querySelector(":scope > summary") !== el) continue;
      if (!el.checkVisibility({ checkVisibilityCSS: true }) || !rendered(el)) continue;
      const landmark = el.parentElement && el.parentElement.closest(LANDMARK);
      const kind = [el.tagName, el.type || "", [...el.classList].sort().join("."),
        landmark ? landmark.tagName + (landmark.getAttribute("role") || "") : ""].join("|");
      if (kinds.has(kind)) continue;
      kinds.add(kind);
      candidates.push(el);
      if (candidates.length >= limit) break;
    }
    return candidates.length;
  }

  function finishTransitions(el) {
    for (const animation of el.getAnimations()) {
      try { animation.finish(); } catch (e) { /* an endless animation cannot finish */ }
    }
  }

  function look(el) {
    finishTransitions(el);
    const s = getComputedStyle(el);
    return {
      outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
      outlineColor: s.outlineColor, outlineOffset: parseFloat(s.outlineOffset) || 0,
      boxShadow: s.boxShadow, color: s.color, backgroundColor: s.backgroundColor,
      borderColor: s.borderTopColor, borderStyle: s.borderTopStyle,
      borderWidth: parseFloat(s.borderTopWidth) || 0,
      textDecoration: s.textDecorationLine,
    };
  }

  const hasOutline = (l) =>
    l.outlineStyle !== "none" && l.outlineStyle !== "hidden" && l.outlineWidth > 0;
  const hasBorder = (l) =>
    l.borderStyle !== "none" && l.borderStyle !== "hidden" && l.borderWidth > 0;

  function blurActive() {
    const active = document.activeElement;
    if (active && active !== document.body) active.blur();
  }

  function focusLike(el) {
    el.focus({ preventScroll: true, focusVisible: true });
    return document.activeElement === el && el.matches(":focus-visible");
  }

  // 2.4.7 with 3:1: a keyboard-focus outline of at least 2px with 3:1 against what is
  // behind it, and not just a colour change of less than 3:1 from the unfocused look.
  function focusVisible() {
    const problems = [];
    for (const el of candidates) {
      blurActive();
      const before = look(el);
      if (!focusLike(el)) {
        const problem = "cannot be focused by keyboard (:focus-visible does not match)";
        problems.push(describe(el, { problem }));
        continue;
      }
      const after = look(el);
      el.blur();
      const behind = backgroundBehind(el, after.outlineOffset < 0);
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      const facts = {
        outline: `${after.outlineStyle} ${after.outlineWidth}px ${after.outlineColor}`,
        background: hex(behind), changed: changed.join(", ") || "nothing",
      };
      const fail = (problem) => problems.push(describe(el, Object.assign({ problem }, facts)));
      if (!hasOutline(after)) {
        fail("no focus outline");
        continue;
      }
      if (after.outlineWidth < 2) {
        fail(`focus outline ${after.outlineWidth}px, thinner than 2px`);
        continue;
      }
      const ring = over(parseColor(after.outlineColor), behind);
      const ratio = contrast(ring, behind);
      if (ratio < 3) {
        fail(`focus outline contrast ${round(ratio)}:1 against ${hex(behind)}, below 3:1`);
        continue;
      }
      if (hasOutline(before) && after.outlineWidth <= before.outlineWidth) {
        const change = contrast(ring, over(parseColor(before.outlineColor), behind));
        if (change < 3) {
          fail(`the outline is there without focus too; focus changes its colour by only ` +
            `${round(change)}:1`);
        }
      }
    }
    return problems;
  }

  // Forced colours (Windows high contrast): box-shadows and backgrounds go, outlines
  // and borders stay. The focused element needs an outline; buttons and fields a border
  // or outline of their own.
  const CONTROLS = "button, select, textarea, [role=button], input:not([type=hidden], " +
    "[type=checkbox], [type=radio], [type=range], [type=color], [type=file], [type=image])";
  function forcedColors() {
    const problems = [];
    if (!matchMedia("(forced-colors: active)").matches) {
      return [{ selector: "html", text: "", problem: "forced colours are not active" }];
    }
    for (const el of candidates) {
      blurActive();
      const before = look(el);
      if (el.matches(CONTROLS) && !hasOutline(before) && !hasBorder(before)) {
        const problem = "a button or field without a border or outline in forced colours";
        problems.push(describe(el, { problem }));
      }
      if (!focusLike(el)) continue;
      const after = look(el);
      el.blur();
      if (!hasOutline(after)) {
        const problem = "no focus outline in forced colours";
        problems.push(describe(el, { problem, boxShadow: after.boxShadow }));
      }
    }
    return problems;
  }

  // Put the focus back as it was: on the element that had it, or nowhere, with the
  // sequential-focus starting point at the top of the page, so a journey's next Tab
  // goes where it would have gone.
  function restoreFocus() {
    blurActive();
    if (savedFocus && savedFocus !== document.body && savedFocus.isConnected) {
      savedFocus.focus({ preventScroll: true });
    } else {
      const marker = document.createElement("span");
      marker.tabIndex = -1;
      document.body.prepend(marker);
      marker.focus({ preventScroll: true });
      marker.blur();
      marker.remove();
    }
    savedFocus = null;
    candidates = [];
  }

  // ------------------------------------------------------------------ motion
  function finishAllTransitions() {
    for (const animation of document.getAnimations()) {
      if (animation instanceof CSSTransition) animation.finish();
    }
  }

  // 2.3.3: with prefers-reduced-motion: reduce, nothing moves for longer than 0.01 s.
  function reducedMotion() {
    const problems = [];
    const one = (v) => (v.trim().endsWith("ms") ? parseFloat(v) / 1000 : parseFloat(v)) || 0;
    const seconds = (list) => Math.max(0, ...list.split(",").map(one));
    for (const animation of document.getAnimations()) {
      const timing = animation.effect && animation.effect.getComputedTiming();
      if (animation.playState !== "running" || !timing) continue;
      if (timing.iterations === Infinity || (timing.duration || 0) > 10) {
        const target = animation.effect.target;
        const element = target && target.nodeType === 1 ? target : document.documentElement;
        const name = animation.animationName || animation.transitionProperty || animation.id ||
          "script";
        const kind = animation.constructor.name;
        const problem = `a running ${kind} (${name}) of ${timing.duration} ms`;
        problems.push(describe(element, { problem }));
      }
    }
    const kinds = new Set();
    const everything = [document.documentElement, document.body];
    for (const el of everything.concat([...document.body.querySelectorAll("*")])) {
      const s = getComputedStyle(el);
      const transition = s.transitionProperty !== "none" ? seconds(s.transitionDuration) : 0;
      const animation = s.animationName !== "none" ? seconds(s.animationDuration) : 0;
      if (transition <= 0.01 && animation <= 0.01) continue;
      const kind = el.tagName + "." + [...el.classList].sort().join(".");
      if (kinds.has(kind)) continue;
      kinds.add(kind);
      problems.push(describe(el, {
        problem: transition > 0.01
          ? `transition of ${transition} s (${s.transitionProperty})`
          : `animation ${s.animationName} of ${animation} s`,
      }));
      if (problems.length >= 15) break;
    }
    const behaviour = getComputedStyle(document.documentElement).scrollBehavior;
    if (behaviour === "smooth") {
      const problem = "scroll-behavior: smooth on html";
      problems.push(describe(document.documentElement, { problem }));
    }
    return problems;
  }

  Object.defineProperty(window, "__e2eBeyondAxe", {
    value: {
      reflow, clippedText, applyTextSpacing, removeTextSpacing, focusCandidates, focusVisible,
      forcedColors, restoreFocus, finishAllTransitions, reducedMotion,
    },
  });
})();
"""

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
