"""The account's pages no other journey opens (issue 22), by keyboard where they are a
journey: changing the password, the inactive account, e-mail verification, the second
factor asked again, recovery codes and switching the authenticator app off, and the
single sign-on connections. Every page passes axe-core and the checks beyond it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import (
    click_and_follow,
    login,
    login_by_keyboard,
    path_of,
    press_and_follow,
    submit_button,
    tab_to,
    type_into,
    visit,
)
from e2e.totp import current_code
from people.models import Employee

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Nieuw-wachtwoord-2026!"


def _log_out(page) -> None:
    click_and_follow(
        page, page.locator(f"header form[action='{reverse('account_logout')}'] button")
    )


def test_an_employee_changes_their_password_by_keyboard_and_logs_in_with_it(
    page, live_server, employee
):
    login_by_keyboard(page, live_server, employee)
    visit(page, reverse("account_change_password"))

    type_into(page, "#id_oldpassword", "Voorbeeldstad-2026!")
    type_into(page, "#id_password1", NEW_PASSWORD)
    type_into(page, "#id_password2", NEW_PASSWORD)
    press_and_follow(page, "Enter")

    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    _log_out(page)
    login(page, live_server, employee, password=NEW_PASSWORD)


def test_a_new_password_that_does_not_match_is_refused_with_the_error_tied_to_its_field(
    page, live_server, employee
):
    login(page, live_server, employee)
    visit(page, reverse("account_change_password"))

    page.locator("#id_oldpassword").fill("Voorbeeldstad-2026!")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD + "x")
    click_and_follow(page, submit_button(page))

    assert path_of(page) == reverse("account_change_password")
    described_by = page.locator("#id_password2").get_attribute("aria-describedby") or ""
    assert described_by, "the error is not tied to the field"
    employee.refresh_from_db()
    assert not employee.check_password(NEW_PASSWORD)


def test_someone_whose_account_was_closed_is_told_so_on_logging_in(page, live_server, employee):
    Employee.objects.filter(pk=employee.pk).update(is_active=False)
    visit(page, reverse("account_login"))

    type_into(page, "#id_login", employee.email)
    type_into(page, "#id_password", "Voorbeeldstad-2026!")
    press_and_follow(page, "Enter")

    assert path_of(page) == reverse("account_inactive")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("header nav")).to_have_count(0)


def test_the_e_mail_verification_pages_say_what_to_do_in_both_languages(new_page, transactional_db):
    for locale, lang in (("nl-NL", "nl"), ("en-GB", "en")):
        page = new_page(locale=locale)

        visit(page, reverse("account_email_verification_sent"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("main h1")).to_be_visible()

        # A link from a mail that is not (or no longer) valid.
        visit(page, reverse("account_confirm_email", kwargs={"key": "verlopen-sleutel"}))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("main h1")).to_be_visible()


def test_hr_sees_new_recovery_codes_after_giving_the_code_again_by_keyboard(
    page, live_server, hr_with_totp
):
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("mfa_index"))

    visit(page, reverse("mfa_generate_recovery_codes"))
    assert path_of(page) == reverse("mfa_reauthenticate"), page.url
    type_into(page, "#id_code", current_code(secret))
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("mfa_generate_recovery_codes"), page.url
    tab_to(page, submit_button(page))
    press_and_follow(page, "Enter")

    assert path_of(page) == reverse("mfa_view_recovery_codes"), page.url
    from allauth.mfa.models import Authenticator

    codes = Authenticator.objects.get(user=hr, type=Authenticator.Type.RECOVERY_CODES)
    first = codes.wrap().get_unused_codes()[0]
    expect(page.locator("main")).to_contain_text(first)


def test_an_employee_switches_their_authenticator_app_off_after_giving_the_code_again(
    page, live_server, employee
):
    from e2e.totp import activate_totp

    secret = activate_totp(employee)
    login(page, live_server, employee, totp_secret=secret)

    visit(page, reverse("mfa_deactivate_totp"))
    assert path_of(page) == reverse("mfa_reauthenticate"), page.url
    type_into(page, "#id_code", current_code(secret))
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("mfa_deactivate_totp"), page.url
    tab_to(page, submit_button(page))
    press_and_follow(page, "Enter")

    from allauth.mfa.models import Authenticator

    assert not Authenticator.objects.filter(user=employee, type=Authenticator.Type.TOTP).exists()


def test_an_employee_sees_their_single_sign_on_connections(page, live_server, employee):
    login(page, live_server, employee)

    visit(page, reverse("socialaccount_connections"))

    expect(page.locator("main h1")).to_be_visible()
    assert path_of(page) == reverse("socialaccount_connections")
