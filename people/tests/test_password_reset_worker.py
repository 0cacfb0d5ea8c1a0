"""The password-reset mail goes through the background worker (people/services/password_reset.py):
the request opens no mail connection, a known and an unknown address get the same
answer at the same cost, and the worker delivers the mail to a real SMTP server, trying
again later while that server is down."""

import re

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.tests.smtp import SmtpServer
from people.services.password_reset import build_password_reset_mails
from people.tests.factories import EmployeeFactory
from portal.testing.workers import DATABASE_TASKS, run_due_tasks

TASK_PATH = "people.services.password_reset.send_password_reset"
KNOWN = "jan.jansen@voorbeeldstad.nl"
UNKNOWN = "niemand@voorbeeldstad.nl"
# What differs between two runs of the same statements: values, savepoint and cursor names.
NAMES_AND_VALUES = r"'[^']*'|\"(?:s\d+_x\d+|_django_curs_[^\"]+)\"|\b\d+\b"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def smtp_down(settings):
    """A real SMTP port where nothing listens yet; ``.start()`` brings the server up."""
    server = SmtpServer()
    settings.MAILERS = server.mailers
    yield server
    server.stop()


def ask_for_a_reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def work():
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    run_due_tasks()


def reset_path(message) -> str:
    found = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", message.text)
    assert found, message.text
    return found.group(1)


@pytest.mark.django_db
def test_a_reset_request_opens_no_mail_connection_and_queues_a_task(
    client, database_tasks, smtp_down
):
    EmployeeFactory(email=KNOWN)

    response = ask_for_a_reset(client, KNOWN)  # a connection to the closed port would 500

    assert response.status_code == 302
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == TASK_PATH
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {"email": KNOWN}


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_get_the_same_answer(client, database_tasks, smtp_down):
    EmployeeFactory(email=KNOWN)

    known = ask_for_a_reset(client, KNOWN)
    unknown = ask_for_a_reset(client, UNKNOWN)

    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code,
        unknown["Location"],
        unknown.content,
    )
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [TASK_PATH] * 2


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_cost_the_request_the_same_queries(
    client, database_tasks, smtp_down
):
    EmployeeFactory(email=KNOWN)
    client.get(reverse("account_reset_password"))  # the session and CSRF cookie first

    costs = []
    for number, email in enumerate((KNOWN, UNKNOWN)):
        # (each from an address of its own: both start the count per address afresh)
        with CaptureQueriesContext(connection) as queries:
            ask_for_a_reset(client, email, REMOTE_ADDR=f"10.0.0.{number + 1}")
        costs.append([re.sub(NAMES_AND_VALUES, "?", query["sql"]) for query in queries])

    assert costs[0] == costs[1]


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_the_reset_mail_with_a_working_link(client, database_tasks, settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers
    try:
        EmployeeFactory(email=KNOWN)
        ask_for_a_reset(client, KNOWN)
        assert server.messages == []

        work()

        [received] = server.received_by(KNOWN)
    finally:
        server.stop()
    assert received.text.count(settings.PORTAL_BASE_URL + "/account/password/reset/key/") == 1
    form = client.get(reset_path(received), follow=True)
    assert 'name="password1"' in form.content.decode()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_nothing_for_an_unknown_address(client, database_tasks, settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers
    try:
        ask_for_a_reset(client, UNKNOWN)

        work()

        assert server.messages == []
    finally:
        server.stop()
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, {"sent": 0})


@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_the_worker_tries_again_later_and_then_delivers(
    client, database_tasks, smtp_down
):
    EmployeeFactory(email=KNOWN)
    assert ask_for_a_reset(client, KNOWN).status_code == 302

    work()

    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value["sent"] == 0
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"] == {"email": KNOWN, "attempt": 2}
    assert retry.run_after > timezone.now()

    smtp_down.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work()

    assert len(smtp_down.received_by(KNOWN)) == 1


@pytest.mark.django_db
def test_with_the_mail_server_down_and_no_later_try_the_request_still_succeeds(client, smtp_down):
    """Tasks run at once (the test settings' backend, which cannot defer): the task
    fails, the answer does not."""
    EmployeeFactory(email=KNOWN)

    response = ask_for_a_reset(client, KNOWN)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


@pytest.mark.django_db
def test_the_reset_mail_is_in_the_employees_own_language():
    EmployeeFactory(email=KNOWN, preferred_language="en")
    EmployeeFactory(email="piet@voorbeeldstad.nl", preferred_language="nl")

    [english] = build_password_reset_mails(email=KNOWN)
    [dutch] = build_password_reset_mails(email="PIET@voorbeeldstad.nl")

    assert english.subject == "Password Reset Email"
    assert dutch.subject != english.subject
    assert "Gemeente Voorbeeldstad" in dutch.body
