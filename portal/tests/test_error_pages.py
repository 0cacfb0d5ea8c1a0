"""The error pages 400, 403, 404, 409, 410 and 500: each in the portal's layout, in the
reader's language, with a short explanation and the way on to the home page; the 500
page also when the database or a context processor fails (portal/views/errors.py)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, one, parse, select, text

pytestmark = pytest.mark.django_db

TITLES = {
    400: {"nl": "Aanvraag niet geaccepteerd", "en": "Request not accepted"},
    403: {"nl": "Geen toegang", "en": "No access"},
    404: {"nl": "Pagina niet gevonden", "en": "Page not found"},
    409: {"nl": "Dit kan nu niet", "en": "This cannot be done now"},
    410: {"nl": "Niet meer beschikbaar", "en": "No longer available"},
    500: {"nl": "Er ging iets mis", "en": "Something went wrong"},
}
HOME_LINK = {"nl": "Terug naar de startpagina", "en": "Back to the home page"}


def _anonymous(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.raise_request_exception = False
    return client


def _assert_error_page(response, status: int, language: str) -> None:
    assert response.status_code == status
    page = parse(response)
    assert attribute(page, "html", "lang") == language
    assert text(one(page, "main h1")) == TITLES[status][language]
    assert text(one(page, "title")).startswith(TITLES[status][language])
    home = one(page, "main #home-link")
    assert home.attributes["href"] == "/"
    assert text(home) == HOME_LINK[language]
    # The portal's layout: its header with the language switch, and its footer.
    assert select(page, "header form[action='/taal/']")
    assert select(page, "footer a[href='/toegankelijkheid/']")


# Each status, in Dutch and in English ----------------------------------------------------


@pytest.mark.urls("portal.tests.error_urls")
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", [400, 403, 404, 409, 410, 500])
def test_each_error_page_is_a_page_of_the_portal_in_the_readers_language(status, language):
    response = _anonymous(language).get(f"/fouten/{status}/")

    _assert_error_page(response, status, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_address_that_does_not_exist_gets_the_not_found_page_without_a_class_name(language):
    response = _anonymous(language).get("/bestaat-niet/")

    _assert_error_page(response, 404, language)
    assert "Resolver404" not in response.content.decode()


@pytest.mark.urls("portal.tests.error_urls")
def test_a_not_found_without_a_reason_shows_no_exception_name():
    response = _anonymous("nl").get("/fouten/404/")

    assert "Http404" not in response.content.decode()
    assert not select(parse(response), "#error-message")


@pytest.mark.urls("portal.tests.error_urls")
def test_an_object_that_is_not_found_shows_no_english_model_name():
    response = _anonymous("nl").get("/fouten/404-object/")

    _assert_error_page(response, 404, "nl")
    assert "matches the given query" not in response.content.decode()


@pytest.mark.urls("portal.tests.error_urls")
def test_a_refusal_with_a_reason_shows_the_reason():
    response = _anonymous("nl").get("/fouten/403-met-reden/")

    assert text(one(parse(response), "#error-message")) == "Alleen de redactie mag dit."


@pytest.mark.urls("portal.tests.error_urls")
def test_a_bad_request_does_not_quote_what_the_request_held():
    response = _anonymous("nl").get("/fouten/400/")

    assert "a header that is not allowed" not in response.content.decode()


def test_a_page_that_is_not_there_is_answered_in_the_portals_layout(client, version_one):
    client.force_login(EmployeeFactory())

    response = client.get("/handreikingen/sociale-media/versies/99/")

    assert response.status_code == 404
    main = text(one(parse(response), "main"))
    assert "Pagina niet gevonden" in main
    assert "Terug naar de startpagina" in main


def test_a_page_for_other_roles_is_answered_in_the_portals_layout(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory())

    response = client.get("/campagnes/")

    assert response.status_code == 403
    assert "Geen toegang" in text(one(parse(response), "main"))


# 500: in full, and when something it needs is broken ---------------------------------------


@pytest.mark.urls("portal.tests.error_urls")
def test_the_server_error_page_shows_the_logged_in_menu_in_the_employees_language():
    client = Client()
    client.raise_request_exception = False
    client.force_login(EmployeeFactory(preferred_language="en"))

    response = client.get("/fouten/500/")

    _assert_error_page(response, 500, "en")
    assert select(parse(response), "header nav a[href='/handreikingen/']")


def _broken_context_processor(request):
    raise DatabaseError("the database is down")


def _templates_with(*, dirs=(), context_processors=()) -> list[dict]:
    templates = [dict(engine) for engine in django_settings.TEMPLATES]
    options = dict(templates[0]["OPTIONS"])
    options["context_processors"] = [*options["context_processors"], *context_processors]
    templates[0]["OPTIONS"] = options
    templates[0]["DIRS"] = [*dirs, *templates[0]["DIRS"]]
    return templates


@pytest.mark.urls("portal.tests.error_urls")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_server_error_page_is_shown_when_a_context_processor_fails(settings, language):
    settings.TEMPLATES = _templates_with(
        context_processors=["portal.tests.test_error_pages._broken_context_processor"]
    )

    response = _anonymous(language).get("/fouten/500/")

    _assert_error_page(response, 500, language)


@pytest.mark.urls("portal.tests.error_urls")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_plain_server_error_page_is_shown_when_no_template_can_be_rendered(
    settings, tmp_path: Path, language
):
    (tmp_path / "500.html").write_text('{% extends "there-is-no-such-template.html" %}')
    settings.TEMPLATES = _templates_with(dirs=[tmp_path])

    response = _anonymous(language).get("/fouten/500/")

    assert response.status_code == 500
    page = parse(response)
    assert attribute(page, "html", "lang") == language
    assert text(one(page, "h1")) == TITLES[500][language]
    assert text(one(page, "#home-link")) == HOME_LINK[language]


# 409 and 410 where the portal answers them: the quiz -----------------------------------------


@pytest.fixture
def quiz_client_and_attempt(request):
    from quizzes.tests.factories import quiz_version, served_attempt

    language = request.param
    employee = EmployeeFactory(preferred_language=language)
    attempt = served_attempt(employee=employee, version=quiz_version(tips=3))
    client = Client()
    client.force_login(employee)
    return client, attempt, language


@pytest.mark.parametrize("quiz_client_and_attempt", ["nl", "en"], indirect=True)
def test_a_second_submission_of_a_quiz_gets_the_409_page_with_the_way_back(
    quiz_client_and_attempt, settings
):
    from quizzes.tests.factories import attempt_url, post_data, right_answers

    settings.PORTAL_MFA_REQUIRED = False
    client, attempt, language = quiz_client_and_attempt
    answers = post_data(right_answers(attempt))
    client.post(attempt_url(attempt), answers)

    response = client.post(attempt_url(attempt), answers)

    assert response.status_code == 409
    page = parse(response)
    assert attribute(page, "html", "lang") == language
    assert attribute(page, "main h1", "data-status") == "409"
    assert [element.attributes["id"] for element in select(page, "#way-on a")] == [
        "see-result",
        "back-to-quiz",
        "home-link",
    ]


@pytest.mark.parametrize("quiz_client_and_attempt", ["nl", "en"], indirect=True)
def test_an_expired_quiz_attempt_gets_the_410_page_with_the_way_back(
    quiz_client_and_attempt, settings
):
    from quizzes.models import Attempt
    from quizzes.tests.factories import attempt_url

    settings.PORTAL_MFA_REQUIRED = False
    client, attempt, language = quiz_client_and_attempt
    Attempt.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(attempt_url(attempt))

    assert response.status_code == 410
    page = parse(response)
    assert attribute(page, "html", "lang") == language
    assert attribute(page, "main h1", "data-status") == "410"
    explanation = {"nl": "beperkte tijd", "en": "limited time"}[language]
    assert explanation in text(one(page, "main"))
    assert [element.attributes["id"] for element in select(page, "#way-on a")] == [
        "back-to-quiz",
        "home-link",
    ]


def test_every_refusal_of_the_quiz_has_an_error_page_of_its_own_status():
    from django.template.loader import get_template

    from quizzes.services import attempts
    from quizzes.views.taking import ERROR_PAGES

    refusals = [
        kind
        for kind in vars(attempts).values()
        if isinstance(kind, type) and issubclass(kind, attempts.QuizRefused)
    ]

    assert {kind.status for kind in refusals} <= set(ERROR_PAGES)
    for status in ERROR_PAGES:
        assert get_template(f"{status}.html")
