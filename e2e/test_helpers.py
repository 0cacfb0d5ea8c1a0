"""The journeys' own safety nets: axe-core really finds problems, unchecked pages are caught,
and the checks beyond axe-core (e2e/beyond_axe.py) fail pages that break them."""

import pytest
from django.urls import reverse

from e2e import beyond_axe
from e2e.csp import CspViolations
from e2e.helpers import (
    PageTracker,
    axe_check,
    skip_axe_for_this_page,
    tab_to,
    visit,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def no_beyond_axe(settings, monkeypatch):
    """For the tests of axe-core and the keyboard helpers: the page's own findings beyond
    axe-core (tested below) are not what they look at."""
    monkeypatch.delenv("E2E_BEYOND_AXE", raising=False)
    settings.E2E_BEYOND_AXE = False


@pytest.mark.usefixtures("no_beyond_axe")
def test_axe_check_reports_rule_help_and_target(page, live_server):
    visit(page, reverse("accessibility"))
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.id = "no-alt";
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.querySelector("main").append(img);
        }"""
    )

    with pytest.raises(AssertionError) as failure:
        axe_check(page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "#no-alt" in message
    assert "alternative text" in message.lower()


def test_tracker_lists_pages_that_were_not_checked(page, live_server):
    tracker: PageTracker = page._e2e_tracker
    page.goto(reverse("accessibility"))
    page.evaluate("() => 0")

    assert any(url.endswith(reverse("accessibility")) for url in tracker.unchecked())

    skip_axe_for_this_page(page, "the test looks at the tracker itself")
    assert tracker.unchecked() == []


@pytest.mark.usefixtures("no_beyond_axe")
def test_tab_to_names_the_route_when_target_is_unreachable(page, live_server):
    visit(page, reverse("accessibility"))

    with pytest.raises(AssertionError, match="was not reached"):
        tab_to(page, "main h1", max_presses=3)


# --------------------------------------------------------------------------- beyond axe
# Each check of e2e/beyond_axe.py on a small page that breaks it, and on one that keeps
# it. The pages are served by Playwright itself (FIXTURE_ORIGIN), with a strict CSP.

FIXTURE_ORIGIN = "http://fixture.test"
FIXTURE_CSP = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:"
VISUALLY_HIDDEN = (
    ".visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0;"
    " margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }"
)
CSP_WATCH = """
window.__violations = [];
document.addEventListener(
  "securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective)
);
"""


@pytest.fixture
def fixture_page(browser):
    """A page of its own (no live server, no axe tracking) that shows fixture pages:
    ``show(page, body, css)`` serves them under FIXTURE_ORIGIN with a strict CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    pages: dict[str, tuple[str, str]] = {}

    def serve(route):
        path = route.request.url.removeprefix(FIXTURE_ORIGIN)
        if path.endswith(".css"):
            route.fulfill(content_type="text/css", body=pages[path.removesuffix(".css")][1])
            return
        body = pages[path][0]
        html = (
            f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>t</title>'
            f'<link rel="stylesheet" href="{path}.css"></head><body>{body}</body></html>'
        )
        route.fulfill(
            content_type="text/html", body=html, headers={"Content-Security-Policy": FIXTURE_CSP}
        )

    page.route(f"{FIXTURE_ORIGIN}/**", serve)

    def show(body: str, css: str = "", *, path: str | None = None):
        path = path or f"/page-{len(pages)}"
        pages[path] = (body, css)
        page.goto(FIXTURE_ORIGIN + path)
        return page

    page.show = show
    yield page
    context.close()


def failure_text(findings: list[beyond_axe.Finding]) -> str:
    return beyond_axe.format_findings(findings, "the fixture page")


WIDE_TABLE = (
    '<main><h1>Mensen</h1><div class="scroll" id="scroll"><table id="people"><tr>'
    + "".join(f"<td>kolom {i} met een lange inhoud</td>" for i in range(12))
    + '<td><a href="#x">Bekijk<span class="visually-hidden" id="hidden-name"> Jan Jansen'
    "</span></a></td></tr></table></div></main>"
)
WIDE_TABLE_CSS = VISUALLY_HIDDEN + " .scroll { overflow-x: auto; } td { white-space: nowrap; }"


def test_reflow_names_the_element_that_makes_the_page_scroll_sideways_at_320_px(fixture_page):
    page = fixture_page.show(
        '<main><h1>Titel</h1><div id="wide">breed</div></main>', "#wide { width: 600px; }"
    )

    findings = beyond_axe.check_reflow(page, size=beyond_axe.NARROW, name="reflow-320")

    message = failure_text(findings)
    assert "reflow-320" in message
    assert "scrollWidth 608 > clientWidth 320" in message
    assert "div#wide" in message
    assert "right 608" in message


def test_reflow_passes_over_the_hidden_content_of_a_closed_details(fixture_page):
    """A closed <details> (technical details with a long hash) shows only its summary;
    its content keeps a stale box, which is not on the page."""
    page = fixture_page.show(
        '<main><h1>Titel</h1><details id="more"><summary>Meer</summary>'
        '<p id="wide">breed</p></details></main>',
        "#wide { width: 600px; }",
    )
    page.evaluate("() => { const d = document.getElementById('more'); d.open = true; }")
    page.evaluate("() => document.getElementById('wide').getBoundingClientRect()")
    page.evaluate("() => { document.getElementById('more').open = false; }")

    assert beyond_axe.check_reflow(page, size=beyond_axe.NARROW, name="reflow-320") == []


def test_reflow_allows_a_wide_table_in_a_horizontal_scroll_box(fixture_page):
    page = fixture_page.show(WIDE_TABLE, WIDE_TABLE_CSS + " .scroll { position: relative; }")

    assert beyond_axe.check_reflow(page, size=beyond_axe.NARROW, name="reflow-320") == []


def test_reflow_catches_hidden_spans_escaping_a_table_scroll_box_at_1280_px(fixture_page):
    page = fixture_page.show(WIDE_TABLE, WIDE_TABLE_CSS)

    findings = beyond_axe.check_reflow(page, size=beyond_axe.DESKTOP, name="reflow-1280")

    message = failure_text(findings)
    assert "the page scrolls sideways at 1280 CSS px" in message
    assert "span.visually-hidden#hidden-name" in message
    assert "position absolute" in message
    assert "table#people" not in message  # the table itself scrolls in its box


def test_reflow_fails_content_that_sticks_out_of_a_page_that_hides_its_overflow(fixture_page):
    page = fixture_page.show(
        '<main><h1>Titel</h1><p id="wide">breed</p></main>',
        "body { overflow-x: hidden; } #wide { width: 700px; }",
    )

    findings = beyond_axe.check_reflow(page, size=beyond_axe.NARROW, name="reflow-320")

    message = failure_text(findings)
    assert "sticks out of the page at 320 CSS px and is cut off" in message
    assert "p#wide" in message


CLIPPED_BOX = (
    '<main><h1>Titel</h1><div class="box" id="box">Een zin die op een breed scherm op één'
    " regel past, maar op een smal scherm of bij 200 procent zoom over twee of meer regels"
    " loopt en dan wordt afgesneden.</div></main>"
)


def test_zoom_200_finds_text_cut_off_in_a_box_of_fixed_height(fixture_page):
    page = fixture_page.show(CLIPPED_BOX, ".box { height: 1.5em; overflow: hidden; }")

    message = failure_text(beyond_axe.check_zoom_200(page))

    assert "zoom-200" in message
    assert "text is cut off at 200 % (640 CSS px)" in message
    assert "div.box#box" in message
    assert "clientHeight 24" in message


def test_zoom_200_passes_a_box_that_grows_with_its_text(fixture_page):
    page = fixture_page.show(CLIPPED_BOX, ".box { min-height: 1.5em; overflow: hidden; }")

    assert beyond_axe.check_zoom_200(page) == []


def test_zoom_200_fails_a_page_that_scrolls_sideways_at_640_px(fixture_page):
    page = fixture_page.show(
        '<main><h1>Titel</h1><div id="wide">breed</div></main>', "#wide { width: 800px; }"
    )

    message = failure_text(beyond_axe.check_zoom_200(page))

    assert "scrolls sideways at 640 CSS px" in message
    assert "div#wide" in message


SPACED_BOX = (
    '<main><h1>Titel</h1><p class="badge" id="badge">Bekijk de richtlijn over het gebruik'
    " van sociale media en teken daarna voor gelezen en begrepen</p></main>"
)


def test_text_spacing_finds_text_cut_off_by_a_box_sized_for_normal_spacing(fixture_page):
    page = fixture_page.show(
        SPACED_BOX, ".badge { width: 330px; height: 3em; overflow: hidden; line-height: 1.2; }"
    )

    message = failure_text(beyond_axe.check_text_spacing(page))

    assert "text-spacing" in message
    assert "text is cut off with WCAG text spacing" in message
    assert "p.badge#badge" in message


def test_text_spacing_passes_a_box_that_grows_and_leaves_no_sheet_behind(fixture_page):
    page = fixture_page.show(SPACED_BOX, ".badge { width: 330px; min-height: 3em; }")

    assert beyond_axe.check_text_spacing(page) == []
    assert page.evaluate("() => document.adoptedStyleSheets.length") == 0
    assert page.evaluate("() => getComputedStyle(document.body).letterSpacing") == "normal"


def test_text_spacing_applies_under_a_strict_csp_without_a_violation(fixture_page):
    page = fixture_page.show(SPACED_BOX, "")

    applied = beyond_axe._call(page, "applyTextSpacing")

    assert applied["applied"], applied
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    assert page.evaluate("() => window.__violations") == []


def test_text_spacing_reports_a_page_whose_css_refuses_the_spacing(fixture_page):
    page = fixture_page.show(SPACED_BOX, "main p { letter-spacing: 0 !important; }")

    message = failure_text(beyond_axe.check_text_spacing(page))

    assert "the text spacing could not be applied" in message
    assert "letterSpacing normal" in message


MENU = (
    '<header class="bar"><nav aria-label="Hoofdmenu"><a href="#a" id="menu-link">Richtlijnen'
    '</a></nav></header><main><h1>Titel</h1><a href="#b" id="body-link">Lees meer</a>'
    '<button type="button" id="save">Opslaan</button></main>'
)
GOOD_FOCUS = (
    ".bar { background: #0b2a5b; } .bar a { color: #ffffff; }"
    " :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }"
    " main :focus-visible { outline-color: #1a1a1a; }"
    " button { border: 1px solid #333333; }"
)


def test_focus_visible_passes_a_2px_ring_with_3_to_1_contrast(fixture_page):
    page = fixture_page.show(MENU, GOOD_FOCUS)

    assert beyond_axe.check_focus_visible(page) == []


def test_focus_visible_skips_fields_in_a_disabled_fieldset(fixture_page):
    page = fixture_page.show(
        MENU + '<fieldset disabled><legend>Uit</legend><input id="off" aria-label="Uit">'
        "</fieldset>",
        GOOD_FOCUS,
    )

    assert beyond_axe.check_focus_visible(page) == []


def test_focus_visible_fails_a_menu_ring_that_is_faint_on_the_dark_blue_bar(fixture_page):
    page = fixture_page.show(MENU, GOOD_FOCUS + " .bar a:focus-visible { outline-color: #1d3f73; }")

    message = failure_text(beyond_axe.check_focus_visible(page))

    assert "focus-visible" in message
    assert "a#menu-link" in message
    assert "below 3:1" in message
    assert "against #0b2a5b" in message
    assert "#body-link" not in message


def test_focus_visible_fails_a_ring_made_of_box_shadow_only(fixture_page):
    page = fixture_page.show(
        MENU, GOOD_FOCUS + " #save:focus-visible { outline: none; box-shadow: 0 0 0 3px #000; }"
    )

    message = failure_text(beyond_axe.check_focus_visible(page))

    assert "button#save" in message
    assert "no focus outline" in message
    assert "boxShadow" in message.split("changed")[-1]


def test_focus_visible_fails_the_browser_default_ring_of_1px(fixture_page):
    page = fixture_page.show(MENU, ".bar { background: #0b2a5b; } .bar a { color: #fff; }")

    message = failure_text(beyond_axe.check_focus_visible(page))

    assert "focus outline 1px, thinner than 2px" in message


def test_focus_visible_fails_an_outline_whose_focus_is_only_a_slight_colour_change(fixture_page):
    page = fixture_page.show(
        '<main><h1>Titel</h1><label for="name">Naam</label><input id="name"></main>',
        "input { outline: 2px solid #767676; } input:focus-visible { outline-color: #595959; }",
    )

    message = failure_text(beyond_axe.check_focus_visible(page))

    assert "input#name" in message
    assert "focus changes its colour by only 1.5" in message


def test_forced_colors_fails_a_focus_ring_of_box_shadow_only(fixture_page):
    page = fixture_page.show(
        MENU, GOOD_FOCUS + " #save:focus-visible { outline: none; box-shadow: 0 0 0 3px #000; }"
    )

    message = failure_text(beyond_axe.check_forced_colors(page))

    assert "forced-colors" in message
    assert "button#save" in message
    assert "no focus outline in forced colours" in message


def test_forced_colors_fails_a_button_without_border_or_outline(fixture_page):
    page = fixture_page.show(
        MENU, GOOD_FOCUS + " button { border: none; background: #0b2a5b; color: #fff; }"
    )

    message = failure_text(beyond_axe.check_forced_colors(page))

    assert "button#save" in message
    assert "without a border or outline in forced colours" in message


def test_forced_colors_passes_outlines_and_bordered_buttons(fixture_page):
    page = fixture_page.show(MENU, GOOD_FOCUS)

    assert beyond_axe.check_forced_colors(page) == []
    assert not page.evaluate("() => matchMedia('(forced-colors: active)').matches")


MOVING = '<main><h1>Titel</h1><div class="spinner" id="spinner">Bezig</div></main>'
SPIN = "@keyframes spin { to { transform: rotate(360deg); } }"


def test_reduced_motion_fails_an_endless_animation_that_ignores_the_preference(fixture_page):
    page = fixture_page.show(MOVING, SPIN + " .spinner { animation: spin 1s linear infinite; }")

    message = failure_text(beyond_axe.check_reduced_motion(page))

    assert "reduced-motion" in message
    assert "div.spinner#spinner" in message
    assert "spin" in message


def test_reduced_motion_fails_a_running_script_animation(fixture_page):
    page = fixture_page.show(MOVING, "")
    page.evaluate(
        """() => document.getElementById("spinner").animate(
          [{opacity: 1}, {opacity: 0.2}], {duration: 800, iterations: Infinity})"""
    )

    message = failure_text(beyond_axe.check_reduced_motion(page))

    assert "div.spinner#spinner" in message
    assert "a running Animation" in message


def test_reduced_motion_fails_a_transition_longer_than_a_hundredth_second(fixture_page):
    page = fixture_page.show(MOVING, ".spinner { transition: background-color 0.3s; }")

    message = failure_text(beyond_axe.check_reduced_motion(page))

    assert "transition of 0.3 s (background-color)" in message


def test_reduced_motion_fails_smooth_scrolling_on_html(fixture_page):
    page = fixture_page.show(MOVING, "html { scroll-behavior: smooth; }")

    message = failure_text(beyond_axe.check_reduced_motion(page))

    assert "scroll-behavior: smooth on html" in message


def test_reduced_motion_passes_motion_kept_for_those_who_want_it(fixture_page):
    page = fixture_page.show(
        MOVING,
        SPIN + " @media (prefers-reduced-motion: no-preference) {"
        " html { scroll-behavior: smooth; }"
        " .spinner { animation: spin 1s linear infinite; transition: color 0.3s; } }",
    )

    assert beyond_axe.check_reduced_motion(page) == []
    assert page.evaluate("() => matchMedia('(prefers-reduced-motion: no-preference)').matches")


def test_the_checks_put_viewport_scroll_and_focus_back(fixture_page):
    page = fixture_page.show(
        MENU + '<div id="tall">lang</div><input id="kept" aria-label="Zoek">',
        GOOD_FOCUS + " #tall { height: 2000px; }",
    )
    page.locator("#kept").focus()
    page.evaluate("() => window.scrollTo(0, 300)")

    beyond_axe.run_checks(page)

    assert page.viewport_size == {"width": 1280, "height": 900}
    assert page.evaluate("() => document.activeElement.id") == "kept"
    assert page.evaluate("() => window.scrollY") == 300


def test_after_the_checks_the_first_tab_reaches_the_first_link(fixture_page):
    page = fixture_page.show(MENU, GOOD_FOCUS)

    beyond_axe.run_checks(page)
    page.keyboard.press("Tab")

    assert page.evaluate("() => document.activeElement.id") == "menu-link"


@pytest.fixture
def fresh_memo(monkeypatch, tmp_path):
    """The per-page hook starts afresh: nothing checked or reported yet in this test, the
    report in a file of its own, no switch from the environment."""
    monkeypatch.setattr(beyond_axe, "CHECKED", {})
    monkeypatch.setattr(beyond_axe, "FINDINGS", [])
    monkeypatch.setattr(beyond_axe, "REPORT_FILE", tmp_path / "beyond-axe.txt")
    monkeypatch.delenv("E2E_BEYOND_AXE", raising=False)
    monkeypatch.delenv("E2E_BEYOND_AXE_STRICT", raising=False)


def _as_portal_page(page):
    """Let the per-page hook treat the fixture origin as the portal's (it only checks
    the portal's own pages)."""
    page._e2e_csp = CspViolations(origin=FIXTURE_ORIGIN)
    return page


def test_strict_mode_fails_the_test_naming_url_check_and_element(
    fixture_page, settings, fresh_memo
):
    settings.E2E_BEYOND_AXE_STRICT = True
    page = _as_portal_page(fixture_page)
    page.show('<main><h1>T</h1><div id="wide">breed</div></main>', "#wide { width: 1400px; }")

    with pytest.raises(AssertionError) as failure:
        beyond_axe.beyond_axe_check(page)

    message = str(failure.value)
    assert f"on {FIXTURE_ORIGIN}/page-0" in message
    assert "reflow-1280" in message
    assert "div#wide" in message


def test_strict_mode_fails_a_later_page_of_a_failing_pattern_without_checking_again(
    fixture_page, settings, fresh_memo
):
    settings.E2E_BEYOND_AXE_STRICT = True
    page = _as_portal_page(fixture_page)
    page.show('<main><h1>T</h1><div id="wide">breed</div></main>', "#wide { width: 1400px; }")
    with pytest.raises(AssertionError):
        beyond_axe.beyond_axe_check(page)
    page.show("<main><h1>Goed</h1></main>", "")  # the same pattern ("no pattern"), now fine

    with pytest.raises(AssertionError) as failure:
        beyond_axe.beyond_axe_check(page)

    assert "found on this pattern's first page in the session" in str(failure.value)
    assert len(beyond_axe.CHECKED) == 1


def test_report_mode_records_the_findings_without_failing(fixture_page, settings, fresh_memo):
    settings.E2E_BEYOND_AXE_STRICT = False
    page = _as_portal_page(fixture_page)
    page.show('<main><h1>T</h1><div id="wide">breed</div></main>', "#wide { width: 1400px; }")

    beyond_axe.beyond_axe_check(page)

    assert len(beyond_axe.FINDINGS) == 1
    assert "div#wide" in beyond_axe.FINDINGS[0]
    assert "div#wide" in beyond_axe.REPORT_FILE.read_text(encoding="utf-8")


def test_the_setting_turns_the_checks_off(fixture_page, settings, fresh_memo):
    settings.E2E_BEYOND_AXE = False
    page = _as_portal_page(fixture_page)
    page.show('<main><h1>T</h1><div id="wide">breed</div></main>', "#wide { width: 1400px; }")

    beyond_axe.beyond_axe_check(page)

    assert beyond_axe.CHECKED == {}


@pytest.fixture
def counted_runs(monkeypatch, fresh_memo):
    """The checks start afresh for this test, and count how often they run."""
    runs = []
    real = beyond_axe.run_checks

    def counting(page):
        runs.append(page.url)
        return real(page)

    monkeypatch.setattr(beyond_axe, "run_checks", counting)
    return runs


def test_a_second_page_of_the_same_pattern_and_language_is_not_checked_again(
    page, live_server, counted_runs, settings
):
    settings.E2E_BEYOND_AXE_STRICT = False
    visit(page, reverse("accessibility"))
    visit(page, reverse("accessibility") + "?nog-een-keer")

    assert len(counted_runs) == 1
    assert ("toegankelijkheid/", "nl") in beyond_axe.CHECKED


def test_the_same_pattern_in_another_language_is_checked_again(
    page, live_server, counted_runs, settings
):
    settings.E2E_BEYOND_AXE_STRICT = False
    visit(page, reverse("accessibility"))
    page.context.add_cookies([{"name": "portal_language", "value": "en", "url": live_server.url}])
    visit(page, reverse("accessibility"))

    assert len(counted_runs) == 2
    assert {key[1] for key in beyond_axe.CHECKED} == {"nl", "en"}


def test_clipped_text_ignores_an_icon_button_whose_text_is_hidden_on_purpose(fixture_page):
    page = fixture_page.show(
        '<main><h1>Titel</h1><button type="button" class="icon" id="add">Geselecteerde'
        " rechten kiezen</button></main>",
        ".icon { width: 24px; height: 24px; overflow: hidden; text-indent: -9999px; }",
    )

    assert beyond_axe.check_clipped_text(page, name="zoom-200", when="at 200 %") == []
