"""Every kind of page of the portal, opened in a real browser in Dutch and in English.

``test_every_page_in_<language>`` logs in once per role through the real log-in page (the
code step too, for the roles that need a second factor) and opens each page in VISITS as
the role that may see it; every page passes ``axe_check`` (axe-core, the checks beyond
axe, the Content-Security-Policy: e2e/helpers.py) and is in the language asked for. One
browser context per role, so a role's session is reused for all its pages.

``test_every_url_pattern_is_visited_or_excluded`` lists every URL pattern of the portal
(django.urls.get_resolver(); the admin under /beheer/ has its own journey) and fails when
one is neither in VISITS nor in EXCLUDED, the short list of what is not an HTML page to
look at (POST-only endpoints, downloads, redirects), each with the reason. A new page
therefore gets a row here, and with it the browser's checks in both languages.

The data are the access matrix's world (portal/tests/test_access_matrix.py): a published
version and a draft, the employee's attempts and acknowledgement, campaigns, a report, a
staff import, a destruction list, the object keys named in VISITS' kwargs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Page

from e2e.helpers import click_and_follow, path_of, submit_button, visit
from e2e.totp import activate_totp, current_code
from people.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e

ROLES = ("anonymous", "employee", "manager", "hr", "editor", "auditor")


@dataclasses.dataclass(frozen=True)
class Visit:
    """A page to open: the URL's name, the role that opens it, the URL's kwargs (a string
    names an object of the world, as in the access matrix), the status it answers with,
    and ``via``: a page the browser passes first (asking for the password or the code
    again), which the visit gets through before it checks where it arrived."""

    name: str
    role: str
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    status: int = 200
    via: str = ""


def page_of(name: str, role: str, *, status: int = 200, via: str = "", **kwargs) -> Visit:
    assert role in ROLES, role
    return Visit(name, role, kwargs, status, via)


G = {"guideline": "guideline"}

# fmt: off
VISITS = [
    # Before log-in: allauth's pages about the account, the accessibility statement.
    page_of("account_login", "anonymous"),
    page_of("account_signup", "anonymous"),
    page_of("account_inactive", "anonymous"),
    page_of("account_email_verification_sent", "anonymous"),
    page_of("account_confirm_email", "anonymous", key="bogus"),
    page_of("account_reset_password", "anonymous"),
    page_of("account_reset_password_done", "anonymous"),
    page_of("account_reset_password_from_key", "anonymous", uidb36=1, key="bogus"),
    page_of("account_reset_password_from_key_done", "anonymous"),
    page_of("socialaccount_login_cancelled", "anonymous"),
    page_of("socialaccount_login_error", "anonymous", status=401),
    page_of("accessibility", "anonymous"),

    # The employee: the handbook, the quiz, signing, their records and their account.
    page_of("home", "employee"),
    page_of("handbook:list", "employee"),
    page_of("handbook:current", "employee", **G),
    page_of("handbook:current_tip", "employee", **G, tip=1),
    page_of("handbook:history", "employee", **G),
    page_of("handbook:version", "employee", **G, number="v1"),
    page_of("handbook:tip", "employee", **G, number="v1", tip=1),
    page_of("handbook:print", "employee", **G, number="v1"),
    page_of("handbook:diff", "employee", **G),
    page_of("quizzes:start", "employee", **G),
    page_of("quizzes:attempt", "employee", **G, pk="attempt"),
    page_of("quizzes:result", "employee", **G, pk="result"),
    page_of("signing:sign", "employee", **G),
    page_of("signing:changes", "employee", **G),
    page_of("acknowledgements:overview", "employee"),
    page_of("acknowledgements:verify", "employee"),
    page_of("acknowledgements:personal_data", "employee"),
    page_of("acknowledgements:receipt", "employee", code="code"),
    page_of("account_logout", "employee"),
    page_of("account_change_password", "employee"),
    page_of("account_reauthenticate", "employee"),
    page_of("mfa_index", "employee"),
    # Setting up an authenticator app asks for the password again first.
    page_of("mfa_activate_totp", "employee", via="account_reauthenticate"),
    page_of("socialaccount_connections", "employee"),
    # Not offered (HR keeps the addresses): the portal's "not found" page.
    page_of("account_email", "employee", status=404),

    # A manager: their team.
    page_of("campaigns_team:team", "manager"),

    # HR: staff and their import, the ledger, campaigns, reports, their second factor.
    page_of("people:staff", "hr"),
    page_of("people:staff_import", "hr"),
    page_of("people:staff_import_log", "hr"),
    page_of("people:staff_import_detail", "hr", pk="staff_import"),
    page_of("ledger:overview", "hr"),
    page_of("ledger:on_behalf", "hr"),
    page_of("ledger:destruction_lists", "hr"),
    page_of("ledger:destruction_list", "hr", pk="destruction"),
    page_of("campaigns:list", "hr"),
    page_of("campaigns:create", "hr"),
    page_of("campaigns:onboarding", "hr"),
    page_of("campaigns:onboarding_guidelines", "hr"),
    page_of("campaigns:detail", "hr", pk="running"),
    page_of("campaigns:launch", "hr", pk="planned"),
    page_of("campaigns:close", "hr", pk="running"),
    page_of("campaigns:schedule", "hr", pk="running"),
    page_of("campaigns:people", "hr", pk="running"),
    page_of("campaigns:reminders", "hr", pk="running"),
    page_of("campaigns:exempt", "hr", pk="assignment"),
    page_of("campaigns:lift_exemption", "hr", pk="exempted"),
    page_of("campaigns:exemptions_waiting", "hr"),
    page_of("campaigns:exemption_decide", "hr", pk="request"),
    page_of("reports:list", "hr"),
    page_of("reports:create", "hr"),
    page_of("reports:individual", "hr"),
    page_of("reports:log", "hr"),
    page_of("reports:detail", "hr", pk="report"),
    page_of("mfa_reauthenticate", "hr"),
    # Changing the second factor asks for the code again first.
    page_of("mfa_deactivate_totp", "hr", via="mfa_reauthenticate"),
    page_of("mfa_view_recovery_codes", "hr"),
    page_of("mfa_generate_recovery_codes", "hr"),

    # An editor: the guidelines they edit, a draft, the quiz's question bank.
    page_of("handbook:library", "editor"),
    page_of("handbook:create_guideline", "editor"),
    page_of("handbook:editor", "editor", **G),
    page_of("handbook:edit", "editor", **G, number="v2"),
    page_of("handbook:publish", "editor", **G, number="v2"),
    page_of("handbook:discard", "editor", **G, number="v2"),
    page_of("handbook:retire", "editor", **G, number="v1"),
    page_of("handbook:topics", "editor", **G, number="v1"),
    page_of("handbook:audience", "editor", **G),
    page_of("handbook:import", "editor", **G),
    page_of("quiz_editor:bank", "editor", **G),
    page_of("quiz_editor:settings", "editor", **G),
    page_of("quiz_editor:import", "editor", **G),
    page_of("quiz_editor:statistics", "editor", **G),

    # An auditor: the security event log.
    page_of("security:log", "auditor"),
]

# Passed on every log-in with a code (HR, editor, auditor), checked on the way.
PASSED_ON_LOG_IN = {"mfa_authenticate"}

POST_ONLY = "POST only: a button's action, its form is on another page"
DOWNLOAD = "a download (PDF, CSV, JSON, YAML, Excel or a scan), not an HTML page"
REDIRECT = "a redirect only, to a page that is visited"
SSO = (
    "single sign-on: not found without a configured provider; the SSO and SAML journeys "
    "(e2e/test_sso_journey.py, e2e/test_saml_journey.py) open it with one"
)
EXCLUDED = {
    "people:switch_language": POST_ONLY,
    "people:staff_import_apply": POST_ONLY,
    "handbook:create_draft": POST_ONLY,
    "handbook:confirm_retirement": POST_ONLY,
    "handbook:cancel_retirement": POST_ONLY,
    "handbook:confirm_import": POST_ONLY,
    "quiz_editor:import_confirm": POST_ONLY,
    "ledger:check": POST_ONLY,
    "ledger:destruction_propose": POST_ONLY,
    "ledger:destruction_approve": POST_ONLY,
    "ledger:destruction_carry_out": POST_ONLY,
    "campaigns:reminder_retry": POST_ONLY,
    "campaigns_team:remind_all": POST_ONLY,
    "campaigns_team:remind_one": POST_ONLY,
    "reports:retry": POST_ONLY,
    "handbook:pdf": DOWNLOAD,
    "handbook:export": DOWNLOAD,
    "quiz_editor:export": DOWNLOAD,
    "quiz_editor:statistics_csv": DOWNLOAD,
    "acknowledgements:personal_data_download": DOWNLOAD,
    "acknowledgements:personal_data_pdf": DOWNLOAD,
    "acknowledgements:certificate": DOWNLOAD,
    "ledger:export": DOWNLOAD,
    "ledger:paper_form": DOWNLOAD,
    "ledger:destruction_csv": DOWNLOAD,
    "campaigns:overdue_csv": DOWNLOAD,
    "reports:download": DOWNLOAD,
    "mfa_download_recovery_codes": DOWNLOAD,
    # A part of the report's page, fetched while the report is being made.
    "reports:status": "an HTML fragment of the report's page (reports:detail), not a page",
    "handbook_legacy:legacy": REDIRECT,
    "quizzes_legacy:start": REDIRECT,
    "quizzes_legacy:page": REDIRECT,
    "acknowledgements:legacy_sign": REDIRECT,
    "acknowledgements:legacy_changes": REDIRECT,
    "account_set_password": REDIRECT,
    "account_confirm_login_code": REDIRECT + " (log-in by code is not switched on)",
    "socialaccount_signup": REDIRECT + " (nobody signs up)",
    "/account/social/login/cancelled/": REDIRECT + " (allauth's old address)",
    "/account/social/login/error/": REDIRECT + " (allauth's old address)",
    "/account/social/signup/": REDIRECT + " (allauth's old address)",
    "/account/social/connections/": REDIRECT + " (allauth's old address)",
    "openid_connect_login": SSO,
    "openid_connect_callback": SSO,
    "saml_login": SSO,
    "saml_acs": SSO,
    "saml_finish_acs": SSO,
    "saml_sls": SSO,
    "saml_metadata": SSO,
}
# fmt: on

ADMIN_PREFIX = "beheer/"


def portal_url_names(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, name) of every URL pattern, following includes; a pattern without a name
    is named by its path (as in the access matrix)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from portal_url_names(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route, f"/{route}"


def test_every_url_pattern_is_visited_or_excluded():
    names = {name for route, name in portal_url_names() if not route.startswith(ADMIN_PREFIX)}
    visited = {visit.name for visit in VISITS} | PASSED_ON_LOG_IN

    missing = sorted(names - visited - set(EXCLUDED))
    stale = sorted((visited | set(EXCLUDED)) - names)
    both = sorted(visited & set(EXCLUDED))

    assert not missing, (
        "visit these pages in e2e/test_every_page.py (VISITS), or say in EXCLUDED why "
        f"they are no page to look at: {missing}"
    )
    assert not stale, f"these name no URL pattern of the portal any more: {stale}"
    assert not both, f"both visited and excluded: {both}"


# Visiting ----------------------------------------------------------------------------------


def _world(language: str) -> dict:
    """The access matrix's world, everyone preferring ``language``; each role that needs
    a second factor gets an authenticator app of its own (one shared secret would make
    every log-in wait for the next code)."""
    from allauth.mfa.models import Authenticator

    from people.models import Employee
    from portal.tests.test_access_matrix import _build_world

    world = _build_world()
    Employee.objects.update(preferred_language=language)
    world["secrets"] = {}
    for role, user in world["users"].items():
        if user is not None and Authenticator.objects.filter(user=user, type="totp").exists():
            Authenticator.objects.filter(user=user, type="totp").delete()
            world["secrets"][role] = activate_totp(user)
    return world


def _url(world: dict, visit_: Visit) -> str:
    kwargs = {k: world[v] if isinstance(v, str) else v for k, v in visit_.kwargs.items()}
    return reverse(visit_.name, kwargs=kwargs)


def _name_of(page: Page) -> str:
    return resolve(path_of(page)).view_name


class Browser:
    """One page (one browser context, one session) per role, logged in on first use
    through the real log-in page; which URL names it saw, checked, in the language."""

    def __init__(self, new_page, live_server, world: dict, language: str) -> None:
        self.new_page = new_page
        self.live_server = live_server
        self.world = world
        self.language = language
        self.locale = {"nl": "nl-NL", "en": "en-GB"}[language]
        self.pages: dict[str, Page] = {}
        self.seen: set[str] = set()

    def check(self, page: Page, *, status: int | None = None, response=None) -> None:
        """The page now shown is in the language, and (given) answered with ``status``."""
        lang = page.evaluate("() => document.documentElement.lang")
        assert lang == self.language, f"{page.url} is in {lang!r}, not {self.language!r}"
        if status is not None:
            assert response is not None and response.status == status, (
                f"{page.url} answered {response and response.status}, not {status}"
            )
        self.seen.add(_name_of(page))

    def as_role(self, role: str) -> Page:
        if role not in self.pages:
            page = self.new_page(locale=self.locale)
            self.pages[role] = page
            if role != "anonymous":
                self._log_in(page, role)
        return self.pages[role]

    def _log_in(self, page: Page, role: str) -> None:
        user = self.world["users"][role]
        visit(page, reverse("account_login"))
        self.check(page)
        page.locator("#id_login").fill(user.email)
        page.locator("#id_password").fill(DEFAULT_PASSWORD)
        click_and_follow(page, submit_button(page))
        secret = self.world["secrets"].get(role)
        if secret:
            assert path_of(page) == reverse("mfa_authenticate"), page.url
            self.check(page)
            page.locator("#id_code").fill(current_code(secret))
            click_and_follow(page, submit_button(page))
        assert path_of(page) == reverse("home"), f"log-in as {role} ended on {page.url}"

    def open(self, visit_: Visit) -> None:
        page = self.as_role(visit_.role)
        url = _url(self.world, visit_)
        response = visit(page, url)
        if visit_.via:
            assert _name_of(page) == visit_.via, f"{url} did not ask first: {page.url}"
            self.check(page)
            self._get_through(page, visit_)
            response = None
        assert path_of(page) == url, f"{visit_.role} asked for {url}, got {page.url}"
        self.check(page, status=None if visit_.via else visit_.status, response=response)

    def _get_through(self, page: Page, visit_: Visit) -> None:
        if visit_.via == "account_reauthenticate":
            page.locator("#id_password").fill(DEFAULT_PASSWORD)
        else:
            page.locator("#id_code").fill(current_code(self.world["secrets"][visit_.role]))
        click_and_follow(page, submit_button(page))


def _visit_every_page(new_page, live_server, language: str) -> None:
    browser = Browser(new_page, live_server, _world(language), language)
    failures = []
    for visit_ in VISITS:
        try:
            browser.open(visit_)
        except AssertionError as error:
            failures.append(f"{visit_.name} as {visit_.role}: {error}")
    unseen = sorted({visit_.name for visit_ in VISITS} - browser.seen)
    assert not failures, f"{len(failures)} page(s) failed:\n" + "\n\n".join(failures)
    assert not unseen, f"not reached: {unseen}"
    assert browser.seen >= PASSED_ON_LOG_IN, "the code page of the log-in was not checked"


def test_every_page_in_dutch(new_page, live_server, transactional_db):
    _visit_every_page(new_page, live_server, "nl")


def test_every_page_in_english(new_page, live_server, transactional_db):
    _visit_every_page(new_page, live_server, "en")
