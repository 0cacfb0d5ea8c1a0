"""People pages in a real browser: a manager's team, HR's staff list, the admin's entry.

Every page on the way passes axe-core (WCAG 2.1 A and AA).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import (
    click_and_follow,
    login,
    path_of,
    press_and_follow,
    tab_to,
    type_into,
    visit,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.e2e


def test_a_manager_sees_their_team_in_the_menu_and_searches_it(page, live_server, employee):
    lead = EmployeeFactory(manager=employee, first_name="Ümit", last_name="Yıldız")
    EmployeeFactory(manager=lead, first_name="Zoë", name_prefix="de", last_name="Vries")
    login(page, live_server, employee)

    click_and_follow(page, page.locator(f"nav a[href='{reverse('campaigns_team:team')}']"))
    expect(page.locator("tbody tr")).to_have_count(2)

    type_into(page, "#id_q", "vries")
    press_and_follow(page, "Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Vries, Zoë de")


def test_hr_finds_someone_in_the_staff_list_by_keyboard(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp
    EmployeeFactory.create_batch(3)
    EmployeeFactory(
        first_name="Frédérique", name_prefix="van den", last_name="Berg", employee_number="777"
    )
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("people:staff"))

    tab_to(page, "#id_q")
    page.keyboard.type("777")
    press_and_follow(page, "Enter")

    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Berg, Frédérique van den")


def test_hr_sees_the_ledger_check(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)

    click_and_follow(page, page.locator(f"nav a[href='{reverse('ledger:overview')}']"))

    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#check-none")).to_be_visible()

    # The worker runs the check when the request commits (immediate backend in tests).
    click_and_follow(page, page.locator("#check-form button"))
    assert path_of(page) == reverse("ledger:overview")
    expect(page.locator("#check-result")).to_be_visible()
    expect(page.locator("#check-when")).to_contain_text(hr.full_name)
