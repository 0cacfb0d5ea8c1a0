"""The security event log in a real browser: an auditor's own log-in (with its address)
is on the page, and the filters work by keyboard. Every page passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import click_and_follow, login, press_and_follow, tab_to
from e2e.totp import activate_totp
from people.tests.factories import EmployeeFactory
from security.models import SecurityEvent
from security.services import record_event

pytestmark = pytest.mark.e2e


@pytest.fixture
def auditor(transactional_db):
    person = EmployeeFactory(
        first_name="Aart", last_name="Auditor", email="aart.auditor@voorbeeldstad.nl", auditor=True
    )
    return person, activate_totp(person)


def test_an_auditor_reads_the_log_with_their_own_log_in_and_filters_it(page, live_server, auditor):
    person, secret = auditor
    record_event(kind=SecurityEvent.Kind.LOGIN_FAILED, actor_identifier="indringer@example.org")
    login(page, live_server, person, totp_secret=secret)

    click_and_follow(page, page.locator(f"nav a[href='{reverse('security:log')}']"))

    expect(page.locator("h1")).to_have_text("Beveiligingslog")
    own_login = page.locator("tbody tr[data-kind='login']").first
    expect(own_login).to_contain_text("aart.auditor@voorbeeldstad.nl")
    expect(own_login).to_contain_text("127.0.0.1")
    expect(own_login).to_contain_text("Tweede stap: Authenticator-app")

    tab_to(page, "#id_soort")
    page.select_option("#id_soort", "login_failed")
    tab_to(page, "#filter-form button[type=submit]")
    press_and_follow(page, "Enter")

    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("indringer@example.org")
    expect(page.locator("tbody")).to_contain_text("Inloggen mislukt")


def test_a_refused_period_is_explained_by_its_field(page, live_server, auditor):
    person, secret = auditor
    login(page, live_server, person, totp_secret=secret)
    click_and_follow(page, page.locator(f"nav a[href='{reverse('security:log')}']"))

    page.fill("#id_van", "2026-03-02")
    page.fill("#id_tot", "2026-03-01")
    click_and_follow(page, page.locator("#filter-form button[type=submit]"))

    expect(page.locator("#id_tot")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#filter-form")).to_contain_text("vóór het begin")
    expect(page.locator("#no-events")).to_be_visible()
