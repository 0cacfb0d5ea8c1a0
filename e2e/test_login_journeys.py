"""Log-in journeys in a real browser; every page on the way passes axe-core."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import (
    axe_check,
    click_and_follow,
    focused,
    is_logged_in,
    login,
    login_by_keyboard,
    path_of,
    press_and_follow,
    submit_button,
    tab_to,
    visit,
)
from e2e.totp import current_code
from people.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e


def test_employee_logs_in_with_email_and_password(page, live_server, employee):
    login(page, live_server, employee)

    assert path_of(page) == reverse("home")
    expect(page.locator("h1")).to_contain_text("Jan")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_employee_logs_in_by_keyboard_only(page, live_server, employee):
    login_by_keyboard(page, live_server, employee)

    assert path_of(page) == reverse("home")
    # On every page the skip link is the first Tab stop and leads to the main content.
    visit(page, reverse("accessibility"))
    page.keyboard.press("Tab")
    assert focused(page)["text"], "the first Tab stop has no text"
    expect(page.locator(".utrecht-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_wrong_password_shows_a_clear_message_and_does_not_log_in(page, live_server, employee):
    visit(page, reverse("account_login"))
    page.locator("#id_login").fill(employee.email)
    page.locator("#id_password").fill("dit-is-niet-het-wachtwoord")

    click_and_follow(page, submit_button(page))

    assert path_of(page) == reverse("account_login")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    assert summary.inner_text().strip()
    assert not is_logged_in(page)
    visit(page, reverse("home"))
    assert path_of(page) == reverse("account_login")


def test_empty_form_errors_are_tied_to_their_fields(page, live_server):
    visit(page, reverse("account_login"))

    click_and_follow(page, submit_button(page))

    field = page.locator("#id_login")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    assert "id_login_error" in described_by.split()
    expect(page.locator("#id_login_error")).to_be_visible()
    # The summary's link takes the focus to the field.
    click = page.locator("#error-summary a[href='#id_login']")
    click.click()
    expect(field).to_be_focused()


def test_hr_without_authenticator_is_made_to_set_one_up(page, live_server, hr_employee):
    login(page, live_server, hr_employee)

    # The portal sends HR to the TOTP set-up; allauth first asks for the password again.
    if path_of(page) == reverse("account_reauthenticate"):
        page.locator("#id_password").fill(DEFAULT_PASSWORD)
        click_and_follow(page, submit_button(page))
    assert path_of(page) == reverse("mfa_activate_totp")
    visit(page, reverse("home"))
    assert path_of(page) == reverse("mfa_activate_totp"), "HR could work without TOTP"

    qr = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("alt") or "").strip(), "the QR code has no text alternative"
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.locator("#id_code").fill(current_code(secret))
    click_and_follow(page, submit_button(page))

    assert path_of(page) == reverse("mfa_view_recovery_codes")
    expect(page.locator("#recovery_codes")).to_be_visible()
    visit(page, reverse("mfa_index"))
    visit(page, reverse("home"))
    assert path_of(page) == reverse("home")
    hr_employee.refresh_from_db()
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=hr_employee, type=Authenticator.Type.TOTP).exists()


def test_editor_with_authenticator_logs_in_with_a_code(page, live_server, editor_with_totp):
    editor, secret = editor_with_totp

    login(page, live_server, editor, totp_secret=secret)

    assert path_of(page) == reverse("home")


def test_editor_with_authenticator_logs_in_by_keyboard(page, live_server, editor_with_totp):
    editor, secret = editor_with_totp

    login_by_keyboard(page, live_server, editor, totp_secret=secret)

    assert path_of(page) == reverse("home")


def test_wrong_code_does_not_log_in(page, live_server, editor_with_totp):
    editor, _secret = editor_with_totp
    visit(page, reverse("account_login"))
    page.locator("#id_login").fill(editor.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    click_and_follow(page, submit_button(page))
    assert path_of(page) == reverse("mfa_authenticate")

    page.locator("#id_code").fill("000000")
    click_and_follow(page, submit_button(page))

    expect(page.locator("#error-summary")).to_be_visible()
    assert not is_logged_in(page)


def test_language_switch_shows_the_page_in_english(page, live_server, employee):
    login(page, live_server, employee)
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    click_and_follow(page, page.locator("header button[name=language][value=en]"))

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert path_of(page) == reverse("home")
    employee.refresh_from_db()
    assert employee.preferred_language == "en"
    # and back, by keyboard
    tab_to(page, "header button[name=language][value=nl]")
    press_and_follow(page, "Enter")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_language_switch_works_before_log_in(page, live_server):
    visit(page, reverse("accessibility"))

    click_and_follow(page, page.locator("header button[name=language][value=en]"))

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert path_of(page) == reverse("accessibility")
    visit(page, reverse("account_login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_password_reset_sends_a_mail_and_sets_a_new_password(page, live_server, employee):
    visit(page, reverse("account_login"))
    click_and_follow(page, page.locator(f"main a[href='{reverse('account_reset_password')}']"))
    assert path_of(page) == reverse("account_reset_password")

    page.locator("#id_email").fill(employee.email)
    click_and_follow(page, submit_button(page))

    assert path_of(page) == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [employee.email]
    # The link names the portal's address (PORTAL_BASE_URL), not this live server's.
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    visit(page, link.group(1))
    new_password = "Een-nieuw-wachtwoord-2027"
    page.locator("#id_password1").fill(new_password)
    page.locator("#id_password2").fill(new_password)
    click_and_follow(page, submit_button(page))

    assert path_of(page) == reverse("account_reset_password_from_key_done")
    login(page, live_server, employee, password=new_password)


def test_log_out_asks_and_logs_out(page, live_server, employee):
    login(page, live_server, employee)

    visit(page, reverse("account_logout"))
    click_and_follow(page, submit_button(page))

    assert not is_logged_in(page)


def test_sign_up_page_says_accounts_come_from_hr(page, live_server):
    visit(page, reverse("account_signup"))

    assert re.search(r"\bHR\b|P&O|personeel", page.locator("main").inner_text())
    expect(page.locator("main form")).to_have_count(0)


def test_accessibility_statement_passes_axe(page, live_server):
    visit(page, reverse("accessibility"))

    expect(page.locator("h1")).to_be_visible()
    axe_check(page, include="main")


def test_logged_in_page_fixtures(employee_page, live_server):
    assert is_logged_in(employee_page)
    assert path_of(employee_page) == reverse("home")


def test_hr_with_authenticator_logs_in_with_a_code(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp

    login(page, live_server, hr, totp_secret=secret)

    assert path_of(page) == reverse("home")


# --------------------------------------------------------------------------- the admin site


@pytest.fixture
def administrator_with_totp(transactional_db):
    """An administrator (staff) with an authenticator app: (employee, secret)."""
    from e2e.totp import activate_totp
    from people.tests.factories import EmployeeFactory

    administrator = EmployeeFactory(
        first_name="Bas", last_name="Beheer", email="beheer@voorbeeldstad.nl", administrator=True
    )
    return administrator, activate_totp(administrator)


def _admin_reached(page) -> None:
    from e2e.helpers import axe_check

    assert path_of(page) == reverse("admin:index"), page.url
    expect(page.locator("#site-name")).to_be_visible()
    axe_check(page)


def test_administrator_opens_the_admin_through_the_portal_log_in_with_a_code(
    page, live_server, administrator_with_totp
):
    administrator, secret = administrator_with_totp

    visit(page, reverse("admin:index"))

    assert path_of(page) == reverse("account_login"), "the admin has a log-in of its own"
    page.locator("#id_login").fill(administrator.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    click_and_follow(page, submit_button(page))
    assert path_of(page) == reverse("mfa_authenticate")
    page.locator("#id_code").fill(current_code(secret))
    click_and_follow(page, submit_button(page), check=False)
    _admin_reached(page)


def test_someone_with_only_the_password_is_stopped_at_the_code_step(
    page, live_server, administrator_with_totp
):
    administrator, _secret = administrator_with_totp
    visit(page, reverse("admin:index"))
    page.locator("#id_login").fill(administrator.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    click_and_follow(page, submit_button(page))
    assert path_of(page) == reverse("mfa_authenticate")

    page.locator("#id_code").fill("000000")
    click_and_follow(page, submit_button(page))
    expect(page.locator("#error-summary")).to_be_visible()
    visit(page, reverse("admin:index"))

    # The log-in waits at its code step; the admin stays closed.
    assert path_of(page) == reverse("mfa_authenticate")
    assert not is_logged_in(page)
