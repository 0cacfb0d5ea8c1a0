"""The error pages 400, 403, 404, 409, 410 and 500 in a real browser: where staff meet
them, what they read, and the way on by keyboard (templates/4xx.html, 500.html,
portal/views/errors.py). Every page passes axe-core and the checks beyond it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import click_and_follow, login, path_of, press_and_follow, tab_to, visit
from quizzes.models import Attempt
from quizzes.tests.factories import attempt_url

pytestmark = pytest.mark.e2e


def _heading(page: Page, status: int):
    return page.locator(f"main h1[data-status='{status}']")


def _home_by_keyboard(page: Page) -> None:
    tab_to(page, "#home-link")
    press_and_follow(page, "Enter")


@pytest.fixture
def attempt(employee):
    from quizzes.tests.factories import quiz_version, served_attempt

    version = quiz_version(tips=3, questions_per_attempt=3)
    return served_attempt(employee=employee, version=version)


def test_a_control_character_in_the_address_gets_the_400_page_and_the_way_home(employee_page):
    page = employee_page

    response = visit(page, reverse("handbook:list") + "?zoek=%00")

    assert response.status == 400
    expect(_heading(page, 400)).to_have_text("Aanvraag niet geaccepteerd")
    expect(page.locator("main")).to_contain_text("controleteken")
    _home_by_keyboard(page)
    assert path_of(page) == reverse("home")


def test_a_page_for_other_roles_gets_the_403_page_and_the_way_home(employee_page):
    page = employee_page

    response = visit(page, reverse("campaigns:list"))

    assert response.status == 403
    expect(_heading(page, 403)).to_have_text("Geen toegang")
    _home_by_keyboard(page)
    assert path_of(page) == reverse("home")


def test_an_address_that_does_not_exist_gets_the_404_page_and_the_way_home(employee_page):
    page = employee_page

    response = visit(page, "/handreikingen/bestaat-niet/versies/1/")

    assert response.status == 404
    expect(_heading(page, 404)).to_have_text("Pagina niet gevonden")
    expect(page.locator("main")).not_to_contain_text("Http404")
    _home_by_keyboard(page)
    assert path_of(page) == reverse("home")


def test_answers_sent_a_second_time_get_the_409_page_and_the_way_to_the_result(
    page, live_server, employee, attempt
):
    from quizzes.services import submit_attempt
    from quizzes.tests.factories import right_answers

    login(page, live_server, employee)
    visit(page, attempt_url(attempt))
    answers = right_answers(attempt)
    for option_ids in answers.values():
        for option_id in option_ids:
            page.locator(f"#option-{option_id}").check()
    # Meanwhile the same answers were sent from another tab.
    submit_attempt(employee=employee, attempt_id=attempt.pk, answers=answers)

    click_and_follow(page, "#submit-attempt")

    expect(_heading(page, 409)).to_have_text("Al ingeleverd")
    expect(page.locator("#quiz-error")).to_have_attribute("data-code", "already_submitted")
    tab_to(page, "#see-result")
    press_and_follow(page, "Enter")
    assert path_of(page) == attempt_url(attempt, "result")


def test_an_attempt_whose_time_is_up_gets_the_410_page_and_the_way_to_the_quiz(
    page, live_server, employee, attempt
):
    Attempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    login(page, live_server, employee)

    response = visit(page, attempt_url(attempt))

    assert response.status == 410
    expect(_heading(page, 410)).to_have_text("De tijd is om")
    expect(page.locator("main")).to_contain_text("beperkte tijd")
    tab_to(page, "#back-to-quiz")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("quizzes:start", kwargs={"guideline": "sociale-media"})


@pytest.mark.urls("portal.tests.error_urls")
def test_a_fault_in_the_portal_gets_the_500_page_with_the_menu_and_the_way_home(employee_page):
    page = employee_page

    response = visit(page, "/fouten/500/")

    assert response.status == 500
    expect(_heading(page, 500)).to_have_text("Er ging iets mis")
    expect(page.locator("header nav")).to_be_visible()
    _home_by_keyboard(page)
    assert path_of(page) == reverse("home")


@pytest.mark.urls("portal.tests.error_urls")
def test_every_error_page_is_in_english_for_an_english_reader(new_page, transactional_db):
    page = new_page(locale="en-GB")
    titles = {
        "/fouten/400/": (400, "Request not accepted"),
        "/fouten/403/": (403, "No access"),
        "/bestaat-niet/": (404, "Page not found"),
        "/fouten/409/": (409, "This cannot be done now"),
        "/fouten/410/": (410, "No longer available"),
        "/fouten/500/": (500, "Something went wrong"),
    }
    for url, (status, title) in titles.items():
        response = visit(page, url)

        assert response.status == status, url
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(_heading(page, status)).to_have_text(title)
        expect(page.locator("#home-link")).to_have_text("Back to the home page")
