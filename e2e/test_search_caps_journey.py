"""A search over the caps (portal.search) in a real browser: the box says why, in Dutch,
the list shows nothing, and the page still passes axe-core (WCAG 2.1 A and AA)."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login, press_and_follow, type_into, visit
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.e2e


def test_a_manager_who_types_six_words_is_told_to_search_with_five(page, live_server, employee):
    EmployeeFactory(manager=employee, first_name="Zoë", name_prefix="de", last_name="Vries")
    login(page, live_server, employee)
    visit(page, "/mijn-team/")

    expect(page.locator("#id_q")).to_have_attribute("maxlength", "100")
    expect(page.locator("#id_q_helptext")).to_have_text("Maximaal 5 woorden en 100 tekens.")
    type_into(page, "#id_q", "zoë de vries zoë de vries")
    press_and_follow(page, "Enter")

    expect(page.locator("#id_q")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_q_error")).to_have_text(
        "Gebruik maximaal 5 woorden; deze zoekopdracht heeft er 6."
    )
    expect(page.locator("tbody tr")).to_have_count(0)
