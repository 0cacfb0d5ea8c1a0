"""The admin site (/beheer/) in a real browser: every page an administrator uses passes
axe-core (and the checks beyond it), in Dutch, the portal's default, and in English.

For every registered ModelAdmin the journeys open the list, the add page, the change
(or view) page of one object, its history and its delete confirmation, as far as the
person may (portal/tests/admin_world.py), and the admin's index and app indexes. The
demo-like administrator (staff, the administrator role, an authenticator app) sees what
the role allows; a superuser sees every model, also those of allauth and the task
queue, and the widgets the administrator is not offered. Every page is checked, and the
test fails with the list of all violations found, not only the first.

What was wrong before templates/admin/ and static/portal/js/admin-accessibility.js:
inputs and selects of tabular inlines without a label, autocomplete fields without a
name, aria-label on the two-list selector's help icons (a plain <span>), and the date
widget's "Vandaag" link named "Today (...)" in Dutch (locale/nl/.../djangojs.po). The
same style sheet answers the checks beyond axe-core (a 2px focus outline at 3:1, no
motion for reduced motion, borders in forced colours, inline labels kept in their
table's scroll box).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from e2e.helpers import axe_check, click_and_follow, login, visit
from e2e.totp import activate_totp
from portal.tests.admin_world import AdminPage, add_social_account, admin_pages, build_admin_world


@pytest.fixture
def world(transactional_db):
    return build_admin_world()


@pytest.fixture
def administrator(world):
    """As the demo's administrator: staff with the administrator role, not a superuser."""
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Bas", last_name="Beheer", email="beheer@voorbeeldstad.nl", administrator=True
    )


def _superuser(world, language: str):
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        first_name="Sam",
        last_name="Super",
        email="super@voorbeeldstad.nl",
        administrator=True,
        is_superuser=True,
        preferred_language=language,
    )


def _log_in(page: Page, live_server, person) -> None:
    login(page, live_server, person, totp_secret=activate_totp(person))


def _visit_every_page(page: Page, pages: list[AdminPage], *, language: str) -> None:
    """Open every page and check it; fail at the end with every problem found."""
    problems = []
    for admin_page in pages:
        response = page.goto(admin_page.url)
        if response is None or response.status != 200:
            problems.append(f"{admin_page.name}: HTTP {response and response.status}")
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{admin_page.name}: not in language {language!r}")
        try:
            axe_check(page)
        except AssertionError as error:
            problems.append(f"{admin_page.name}: {error}")
    assert not problems, f"{len(problems)} of {len(pages)} admin pages fail:\n" + "\n".join(
        problems
    )


def test_administrator_meets_no_accessibility_problem_on_any_admin_page_in_dutch(
    page, live_server, world, administrator
):
    _log_in(page, live_server, administrator)

    pages = admin_pages(administrator)

    assert len(pages) > 40, [p.name for p in pages]
    _visit_every_page(page, pages, language="nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_superuser_meets_no_accessibility_problem_on_any_admin_page(
    page, live_server, world, language
):
    superuser = _superuser(world, language)
    _log_in(page, live_server, superuser)
    add_social_account(world["employee"])

    pages = admin_pages(superuser)

    assert {p.name for p in pages} >= {
        "socialaccount.SocialToken change",
        "mfa.Authenticator change",
        "auth.Group change",
        "handbook.GuidelineVersion change",
        "quizzes.Question change",
        "people.Employee delete",
    }
    _visit_every_page(page, pages, language=language)


# --------------------------------------------------------------------------- widgets at work


def test_the_date_widgets_today_link_is_dutch_in_the_dutch_admin(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    employee = world["employee"]

    visit(page, reverse("admin:people_employee_change", args=[employee.pk]))

    today = page.locator(".field-start_date .datetimeshortcuts a").first
    expect(today).to_have_text("Vandaag")
    expect(today).to_have_attribute("aria-label", _starts_with("Vandaag ("))
    assert "Today" not in page.locator("#content").inner_text()


def _starts_with(text: str):
    import re

    return re.compile("^" + re.escape(text))


def test_the_open_calendar_passes_axe_in_dutch(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    employee = world["employee"]
    visit(page, reverse("admin:people_employee_change", args=[employee.pk]))

    page.locator(".field-start_date .datetimeshortcuts button[id^=calendarlink]").click()

    calendar = page.locator(".calendarbox").first
    expect(calendar).to_be_visible()
    expect(calendar.locator(".calendarnav-previous")).to_have_attribute(
        "aria-label", _starts_with("Vorige (")
    )
    axe_check(page)


def test_an_open_autocomplete_field_passes_axe_and_is_named_by_its_label(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    visit(page, reverse("admin:people_department_add"))
    combobox = page.locator(".field-parent .select2-selection")

    expect(combobox).to_have_accessible_name(_starts_with("Valt onder"))
    combobox.click()
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    search.fill("Team")
    expect(page.locator(".select2-results__option").first).to_contain_text("Team")

    expect(search).to_have_accessible_name(_starts_with("Valt onder"))
    axe_check(page)


def test_a_tip_row_added_to_a_draft_in_the_admin_is_labelled(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    draft = world["draft"]
    visit(page, reverse("admin:handbook_guidelineversion_change", args=[draft.pk]))

    page.locator("#tips-group .add-row a").click()

    expect(page.locator("#id_tips-2-number")).to_have_accessible_name("Nummer")
    expect(page.locator("#id_tips-2-change")).to_have_accessible_name(_starts_with("Wijziging"))
    axe_check(page)


def test_the_two_list_selectors_search_boxes_are_named_by_their_help_text(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    visit(page, reverse("admin:auth_group_add"))

    icon = page.locator("label[for=id_permissions_input] .help-tooltip")
    expect(icon).not_to_have_attribute("aria-label", _starts_with(""))
    expect(icon).to_have_attribute("title", _starts_with("Typ in dit vak"))
    expect(page.locator("#id_permissions_input")).to_have_accessible_name(
        _starts_with("Typ in dit vak")
    )


def test_the_bulk_delete_confirmation_and_a_filtered_search_pass_axe(page, live_server, world):
    from handbook.models import Guideline

    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    guideline = Guideline.objects.get(slug="informatiebeveiliging")
    visit(page, reverse("admin:handbook_guideline_changelist") + "?q=beveiliging")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.locator(f"input.action-select[value='{guideline.pk}']").check()
    page.locator("select[name=action]").select_option("delete_selected")
    click_and_follow(page, page.locator("button[name=index]"))

    expect(page.locator("#content h1")).to_have_text("Meerdere objecten verwijderen")
    expect(page.locator("#content")).to_contain_text("Informatiebeveiliging")


def test_the_password_pages_pass_axe(page, live_server, world):
    superuser = _superuser(world, "nl")
    _log_in(page, live_server, superuser)
    employee = world["employee"]

    visit(page, reverse("admin:auth_user_password_change", args=[employee.pk]))
    visit(page, reverse("admin:password_change"))
