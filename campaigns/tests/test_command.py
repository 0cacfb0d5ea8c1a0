"""``manage.py run_campaigns``: the periodic step, with ``--date`` to try a schedule out."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from campaigns import services
from campaigns.models import Assignment, Reminder
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_command(django_capture_on_commit_callbacks, capsys):
    def run(*args):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_campaigns", *args)
        return capsys.readouterr().out

    return run


def test_the_command_plans_and_sends_what_is_due_on_the_date(version, run_command):
    employee = EmployeeFactory()
    launched_campaign(version, deadline=day(30), now=at(0))

    output = run_command(f"--date={day(16).isoformat()}")

    assert output.strip() == (
        "0 joined a running campaign, 0 new employee(s) assigned, "
        "1 mail(s) planned, 1 handed to the worker."
    )
    [message] = mail.outbox
    assert message.to == [employee.email]
    reminder = Reminder.objects.get()
    assert (reminder.step, reminder.status, reminder.sent_at) == (
        "before-14",
        Reminder.Status.SENT,
        at(16),  # 09:00 on the date given
    )


def test_the_command_adds_joiners_and_newcomers(version, run_command):
    EmployeeFactory()
    launched_campaign(version, deadline=day(30), now=at(0))
    services.onboarding_rule(on=day(0))
    EmployeeFactory()  # moved into the audience after the launch
    EmployeeFactory(start_date=day(2))  # starts on day 2: onboarding, not a joiner

    output = run_command(f"--date={day(2).isoformat()}")

    assert output.startswith("1 joined a running campaign, 1 new employee(s) assigned")
    assert Assignment.objects.filter(reason=Assignment.Reason.ONBOARDING).count() == 1


def test_the_command_twice_on_a_date_does_nothing_the_second_time(version, run_command):
    EmployeeFactory()
    launched_campaign(version, deadline=day(30), now=at(0))
    run_command(f"--date={day(16).isoformat()}")

    output = run_command(f"--date={day(16).isoformat()}")

    assert "0 mail(s) planned, 0 handed to the worker." in output
    assert len(mail.outbox) == 1


def test_the_command_without_a_date_uses_today(version, run_command):
    EmployeeFactory()
    launched_campaign(version, deadline=day(3))

    output = run_command()

    assert "1 mail(s) planned, 1 handed to the worker." in output
    assert Reminder.objects.get().step == "before-3"
    assert len(mail.outbox) == 1


def test_a_wrong_date_is_refused(db):
    with pytest.raises(CommandError, match="--date"):
        call_command("run_campaigns", "--date=25-11-2026")
