"""The portal's language: switched by the employee, remembered, and used on every page."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from people.middleware import PreferredLanguageMiddleware
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse

pytestmark = pytest.mark.django_db


def _switch(client, language, next_url="/"):
    return client.post(reverse("people:switch_language"), {"language": language, "next": next_url})


def test_switching_saves_the_preferred_language_of_a_logged_in_employee(client):
    employee = EmployeeFactory(preferred_language="nl")
    client.force_login(employee)

    _switch(client, "en")

    employee.refresh_from_db()
    assert employee.preferred_language == "en"


def test_switching_sets_the_language_cookie(client):
    response = _switch(client, "en")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_switching_as_a_visitor_changes_no_employee(client):
    employee = EmployeeFactory(preferred_language="nl")

    _switch(client, "en")

    employee.refresh_from_db()
    assert employee.preferred_language == "nl"


def test_an_unknown_language_is_refused(client):
    employee = EmployeeFactory(preferred_language="nl")
    client.force_login(employee)

    response = _switch(client, "de")

    employee.refresh_from_db()
    assert employee.preferred_language == "nl"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switching_returns_to_the_page_the_employee_came_from(client):
    response = _switch(client, "en", next_url="/toegankelijkheid/")

    assert response.status_code == 302
    assert response["Location"] == "/toegankelijkheid/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:evil.example"]
)
def test_switching_never_sends_the_employee_to_another_site(client, next_url):
    response = _switch(client, "en", next_url=next_url)

    assert response["Location"] == "/"


def test_the_switch_only_accepts_post(client):
    assert client.get(reverse("people:switch_language")).status_code == 405


def test_the_switch_is_protected_against_csrf():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("people:switch_language"), {"language": "en"})

    assert response.status_code == 403


def test_the_middleware_activates_the_employees_language():
    request = RequestFactory().get("/")
    request.user = EmployeeFactory(preferred_language="en")
    seen = {}

    def view(req):
        seen["language"] = translation.get_language()
        seen["request"] = req.LANGUAGE_CODE
        return HttpResponse()

    with translation.override("nl"):
        PreferredLanguageMiddleware(view)(request)

    assert seen == {"language": "en", "request": "en"}


def test_a_page_is_rendered_in_the_employees_language(client):
    client.force_login(EmployeeFactory(preferred_language="en"))

    page = parse(client.get(reverse("accessibility")))

    assert attribute(page, "html", "lang") == "en"


def test_the_employees_language_wins_over_the_browsers(client):
    client.force_login(EmployeeFactory(preferred_language="nl"))

    page = parse(client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en"))

    assert attribute(page, "html", "lang") == "nl"


def test_a_visitor_gets_the_browsers_language(client):
    page = parse(client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en"))

    assert attribute(page, "html", "lang") == "en"
