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

  // Shown on the page: a box, and not inside a closed <details> (whose content keeps a
  // stale box under content-visibility: hidden) or another hidden subtree.
  const rendered = (el) => el.getClientRects().length > 0 && el.checkVisibility();

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
