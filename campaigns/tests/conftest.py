"""Fixtures for the campaigns' tests: a real SMTP server, a controllable clock, a
version to campaign for.

Dates are counted from today (``day(n)``); ``at(n)`` is 09:00 local time on that day,
the moment passed as ``now=`` to the services, the reminders and the command.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from campaigns.tests.smtp import SmtpServer


def day(n: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def at(n: int = 0, hour: int = 9, minute: int = 0, second: int = 0) -> datetime.datetime:
    moment = datetime.datetime.combine(day(n), datetime.time(hour, minute, second))
    return timezone.make_aware(moment)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server that accepts mail and records it; Django sends to it."""
    server = SmtpServer().start()
    settings.MAILERS = server.mailers
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings):
    """A port where nothing listens yet; ``smtp_down.start()`` brings the server up."""
    server = SmtpServer()
    settings.MAILERS = server.mailers
    yield server
    server.stop()


@pytest.fixture
def version(db):
    """A published version with three tips and a question bank (quiz required)."""
    from quizzes.tests.factories import quiz_version

    return quiz_version(tips=3)


@pytest.fixture
def run_at(django_capture_on_commit_callbacks):
    """``run_at(now)``: what the periodic command does at that moment (joiners,
    onboarding, planning, handing over), with the worker's tasks run as they are
    enqueued (ImmediateBackend) on the same clock. Returns the command's counts."""
    from campaigns.services import reminders

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.run(now=now, clock=True)

    return run


@pytest.fixture
def dispatch_at(django_capture_on_commit_callbacks):
    """``dispatch_at(now)``: hand due mails to the worker (and run it) at that moment."""
    from campaigns.services import reminders

    def dispatch(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.dispatch(now=now, clock=True)

    return dispatch
