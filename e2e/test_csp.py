"""The Content-Security-Policy in a real browser: the policy is enforced, the journeys'
checker catches every kind of violation (and names it), and what moved out of inline
code (the theme colour, the print button) still works under the policy."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from e2e.csp import assert_no_csp_violations, forget_csp_violations
from e2e.helpers import axe_check, visit

pytestmark = pytest.mark.e2e

RED = "rgb(255, 0, 0)"
# What a journey might bring in, the directive that refuses it, and a check (true when
# the browser refused it, not only reported it).
INJECTIONS = {
    "style attribute": (
        """() => document.querySelector("main").insertAdjacentHTML(
             "beforeend", '<p id="injected" style="color: red">x</p>')""",
        "style-src-attr",
        f"() => getComputedStyle(document.getElementById('injected')).color !== '{RED}'",
    ),
    "inline style element": (
        """() => { const s = document.createElement("style");
             s.textContent = "#main { color: red; }"; document.head.append(s); }""",
        "style-src-elem",
        f"() => getComputedStyle(document.getElementById('main')).color !== '{RED}'",
    ),
    "inline script": (
        """() => { const s = document.createElement("script");
             s.textContent = "window.__ran = 1;"; document.body.append(s); }""",
        "script-src-elem",
        "() => window.__ran === undefined",
    ),
    "inline event handler": (
        """() => { const b = document.createElement("button"); b.textContent = "x";
             b.setAttribute("onclick", "window.__ran = 1");
             document.querySelector("main").append(b); b.click(); }""",
        "script-src-attr",
        "() => window.__ran === undefined",
    ),
}


@pytest.mark.parametrize("kind", INJECTIONS)
def test_the_journeys_fail_on_a_csp_violation_and_name_it(page, live_server, kind):
    script, directive, refused = INJECTIONS[kind]
    visit(page, reverse("accessibility"))
    page.evaluate(script)

    with pytest.raises(AssertionError) as failure:
        axe_check(page)

    message = str(failure.value)
    assert "Content-Security-Policy violation" in message
    assert directive in message
    assert page.evaluate(refused)
    forget_csp_violations(page)


def test_a_violation_on_a_page_the_journey_left_still_fails_it(page, live_server):
    visit(page, reverse("accessibility"))
    page.evaluate(INJECTIONS["style attribute"][0])
    page.goto(f"{live_server.url}{reverse('account_login')}")

    with pytest.raises(AssertionError, match="style-src-attr"):
        axe_check(page)
    forget_csp_violations(page)
    axe_check(page)


def test_every_portal_page_is_served_with_the_policy(page, live_server):
    response = visit(page, reverse("account_login"))

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_the_theme_tokens_apply_under_the_policy(page, live_server):
    """The theme is a static style sheet of design tokens: no inline style, and the
    menu bar takes the theme's colour through the --portal-* token."""
    visit(page, reverse("account_login"))

    token = page.evaluate(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--basis-color-accent-1-inverse-bg-document')"
    )
    assert token.strip(), "the theme's tokens did not load"
    assert settings.PORTAL_THEME_CLASS in page.locator("html").get_attribute("class")
    assert_no_csp_violations(page)


def test_the_print_button_prints_without_an_inline_handler(employee_page, live_server):
    from quizzes.tests.factories import quiz_version

    version = quiz_version(tips=1)
    page = employee_page
    visit(
        page,
        reverse("handbook:print", kwargs={"guideline": "sociale-media", "number": version.number}),
    )
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")

    page.locator("#print-button").click()

    expect(page.locator("#print-button")).not_to_have_attribute("onclick", "window.print()")
    assert page.evaluate("() => window.printed === true")


def test_djangos_admin_keeps_to_the_policy(page, live_server, employee):
    """The admin is Django's (its own scripts and nonce'd styles); its pages with the most
    script (a list with filters and actions, a change form with its widgets) break nothing."""
    from e2e.helpers import login
    from e2e.totp import activate_totp
    from people.tests.factories import EmployeeFactory

    administrator = EmployeeFactory(email="beheer@voorbeeldstad.nl", administrator=True)
    login(page, live_server, administrator, totp_secret=activate_totp(administrator))
    for url in (
        reverse("admin:people_employee_changelist"),
        reverse("admin:people_employee_change", args=[employee.pk]),
        reverse("admin:people_department_add"),
    ):
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
        axe_check(page)
        assert_no_csp_violations(page)
