"""Sessions end after PORTAL_SESSION_IDLE_MINUTES without a request, and at the latest
after SESSION_COOKIE_AGE (portal.middleware.IdleSessionTimeoutMiddleware).

The middleware's clock is set by the ``clock`` fixture; nobody sleeps.
"""

import pytest
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from portal import middleware

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0  # seconds since the epoch: a moment in January 2027
MINUTE = 60
PAGE = "/handreikingen/"


class Clock:
    def __init__(self):
        self.moment = START

    def __call__(self) -> float:
        return self.moment

    def at(self, minutes: float) -> None:
        """Set the clock to this many minutes after START."""
        self.moment = START + minutes * MINUTE


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(middleware, "now", clock)
    return clock


@pytest.fixture(autouse=True)
def _thirty_minutes_idle_and_eight_hours_at_most(settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 8 * 60 * MINUTE


@pytest.fixture
def employee_client(client, clock):
    """Logged in at START."""
    client.force_login(EmployeeFactory(preferred_language="en"))
    return client


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_session_idle_too_long_is_logged_out_and_sent_to_log_in(employee_client, clock):
    employee_client.get(PAGE)
    clock.at(31)

    response = employee_client.get(f"{PAGE}?taal=en")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/handreikingen/%3Ftaal%3Den"
    assert not is_logged_in(employee_client)


def test_the_log_in_page_says_why_the_session_ended(employee_client, clock):
    employee_client.get(PAGE)
    clock.at(31)

    page = employee_client.get(PAGE, follow=True)

    assert page.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "You were logged out after 30 minutes without activity." in page.content.decode()


def test_activity_within_the_idle_time_keeps_the_session(employee_client, clock):
    for minutes in (0, 25, 50, 75):
        clock.at(minutes)
        assert employee_client.get(PAGE).status_code == 200

    assert is_logged_in(employee_client)


def test_the_last_activity_is_written_at_most_once_a_minute(employee_client, clock):
    employee_client.get(PAGE)
    clock.at(0.5)
    employee_client.get(PAGE)
    written_first = employee_client.session[middleware.LAST_ACTIVITY_KEY]
    clock.at(1)
    employee_client.get(PAGE)

    assert written_first == START
    assert employee_client.session[middleware.LAST_ACTIVITY_KEY] == START + MINUTE


def test_a_session_ends_after_its_maximum_length_however_active(employee_client, clock, settings):
    settings.SESSION_COOKIE_AGE = 60 * MINUTE
    for minutes in range(0, 60, 10):
        clock.at(minutes)
        employee_client.get(PAGE)
    clock.at(61)

    page = employee_client.get(PAGE, follow=True)

    assert not is_logged_in(employee_client)
    assert "your session reached its maximum length" in page.content.decode()


def test_an_idle_time_of_zero_switches_the_idle_timeout_off(employee_client, clock, settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 0
    employee_client.get(PAGE)
    clock.at(7 * 60)

    assert employee_client.get(PAGE).status_code == 200


def test_static_files_do_not_count_as_activity(employee_client, clock, settings):
    employee_client.get(PAGE)
    clock.at(20)
    employee_client.get(f"/{settings.STATIC_URL.lstrip('/')}portal/css/portal.css")
    clock.at(31)

    assert employee_client.get(PAGE).status_code == 302
    assert not is_logged_in(employee_client)


def test_a_fresh_log_in_starts_the_clock(client, clock):
    employee = EmployeeFactory()
    clock.at(600)

    client.post(reverse("account_login"), {"login": employee.email, "password": DEFAULT_PASSWORD})

    assert client.session[middleware.STARTED_KEY] == START + 600 * MINUTE
    assert client.session[middleware.LAST_ACTIVITY_KEY] == START + 600 * MINUTE


def test_anonymous_visitors_get_no_session_from_it(client, clock):
    client.get(reverse("accessibility"))

    assert middleware.LAST_ACTIVITY_KEY not in client.session
