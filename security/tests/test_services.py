import json
import logging

import pytest
from django.test import RequestFactory

from people.tests.factories import EmployeeFactory
from security.models import SecurityEvent
from security.services import event_as_json, record_event

pytestmark = pytest.mark.django_db


def test_record_event_stores_who_about_whom_from_where_and_the_browser():
    actor = EmployeeFactory()
    subject = EmployeeFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    request.user = actor

    event = record_event(
        kind=SecurityEvent.Kind.ROLE_GRANTED,
        request=request,
        subject=subject,
        details={"role": "hr"},
    )

    event.refresh_from_db()
    assert (event.actor, event.actor_identifier) == (actor, actor.email)
    assert (event.subject, event.subject_identifier) == (subject, subject.email)
    assert event.ip_address == "192.0.2.7"
    assert event.user_agent == "Firefox"
    assert event.details == {"role": "hr"}


def test_the_identifiers_stay_when_the_accounts_are_removed():
    actor = EmployeeFactory(email="weg@example.org")
    event = record_event(kind=SecurityEvent.Kind.LOGIN, actor=actor)

    actor.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_identifier == "weg@example.org"


def test_a_very_long_user_agent_is_cut_to_the_field():
    request = RequestFactory().get("/", HTTP_USER_AGENT="x" * 10_000)

    event = record_event(kind=SecurityEvent.Kind.LOGIN_FAILED, request=request)

    assert len(event.user_agent) == 255


@pytest.mark.parametrize(
    "details",
    [
        {"note": "a" * 101},
        {"nested": {"name": "Jan"}},
        {f"k{i}": i for i in range(11)},
    ],
)
def test_details_refuse_free_text_nesting_and_bulk(details):
    with pytest.raises(ValueError):
        record_event(kind=SecurityEvent.Kind.EXPORT, details=details)
    assert not SecurityEvent.objects.exists()


def test_the_siem_line_says_the_time_in_utc_with_a_z():
    event = record_event(kind=SecurityEvent.Kind.LOGIN, actor=EmployeeFactory())

    line = json.loads(event_as_json(event=event))

    assert line["time"].endswith("Z")
    assert line["kind"] == "login"


def test_the_log_line_is_written_only_once_the_event_is_committed(
    django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            record_event(kind=SecurityEvent.Kind.LOGIN, actor=EmployeeFactory())
        assert not [r for r in caplog.records if r.name == "portal.security"]
        for callback in callbacks:
            callback()
    assert [json.loads(r.getMessage())["kind"] for r in caplog.records] == ["login"]
