"""The security event log is kept PORTAL_SECURITY_LOG_RETENTION_DAYS days; the monthly
retention run (apply_retention) removes what is older."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from security.models import SecurityEvent
from security.services import record_event
from security.tests.factories import backdate

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def event_of(days_ago: float) -> SecurityEvent:
    event = record_event(kind=Kind.LOGIN_FAILED, actor_identifier="x@example.org")
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return backdate(event, moment)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_retention_run_removes_events_older_than_the_period_and_keeps_the_rest(settings):
    settings.PORTAL_SECURITY_LOG_RETENTION_DAYS = 730
    old = event_of(731)
    recent = event_of(729)

    output = run()

    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    assert "1 security events older than 730 days removed" in output


def test_the_period_is_a_setting(settings):
    settings.PORTAL_SECURITY_LOG_RETENTION_DAYS = 30
    event = event_of(31)

    run()

    assert not SecurityEvent.objects.filter(pk=event.pk).exists()


def test_a_dry_run_removes_no_event():
    event = event_of(1000)

    output = run("--dry-run")

    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    assert "1 security events older than 730 days would be removed" in output


def test_the_run_as_of_another_day_counts_from_that_day():
    event = event_of(400)

    run("--today", (timezone.localdate() + datetime.timedelta(days=400)).isoformat())

    assert not SecurityEvent.objects.filter(pk=event.pk).exists()
