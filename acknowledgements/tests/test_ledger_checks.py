"""Checks of the chain kept as LedgerCheck rows: asked for (once at a time), run by the
background worker (ImmediateBackend in tests: the task runs when the request's
transaction commits), and stored by the verify_ledger command as a system run."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from acknowledgements.models import LedgerCheck, LedgerHead
from acknowledgements.services import ledger_checks
from acknowledgements.tasks import run_ledger_check
from acknowledgements.tests.factories import (
    behind_the_portals_back,
    move_head_behind_the_portals_back,
    ready_to_sign,
    signed,
)
from people.tests.factories import EmployeeFactory
from portal.testing.workers import DATABASE_TASKS, run_due_tasks

pytestmark = pytest.mark.django_db


def _records(count: int):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def _fails(**kwargs):
    raise AssertionError("the chain was checked")


def test_requesting_a_check_queues_it_for_the_worker_on_commit(
    hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check = ledger_checks.request_check(requested_by=hr)

    assert (check.state, check.requested_by, check.newly_requested) == ("queued", hr, True)
    assert len(callbacks) == 1


def test_a_second_request_while_one_waits_returns_the_waiting_one(
    hr, django_capture_on_commit_callbacks
):
    auditor = EmployeeFactory(auditor=True)  # its role grant's log is not the check's
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = ledger_checks.request_check(requested_by=hr)
        second = ledger_checks.request_check(requested_by=auditor)

    assert second.pk == first.pk
    assert not second.newly_requested
    assert LedgerCheck.objects.count() == 1
    assert len(callbacks) == 1


def test_the_database_refuses_a_second_waiting_check(hr):
    LedgerCheck.objects.create(requested_at=timezone.now(), requested_by=hr)

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerCheck.objects.create(requested_at=timezone.now(), requested_by=hr)


def test_a_request_that_loses_the_race_to_another_returns_the_one_that_won(
    hr, monkeypatch, django_capture_on_commit_callbacks
):
    # Both requests looked before either had queued: the second one's insert is refused.
    won = LedgerCheck.objects.create(requested_at=timezone.now(), requested_by=hr)
    looks = []
    newest_pending = ledger_checks._newest_pending

    def first_look_sees_nothing(now):
        looks.append(now)
        return None if len(looks) == 1 else newest_pending(now)

    monkeypatch.setattr(ledger_checks, "_newest_pending", first_look_sees_nothing)

    auditor = EmployeeFactory(auditor=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check = ledger_checks.request_check(requested_by=auditor)

    assert len(looks) == 2  # the second look, after the refused insert, found it
    assert check.pk == won.pk
    assert not check.newly_requested
    assert LedgerCheck.objects.count() == 1
    assert callbacks == []


def test_the_nightly_run_does_not_stand_in_the_way_of_a_waiting_check(hr):
    _records(1)
    waiting = ledger_checks.request_check(requested_by=hr)

    call_command("verify_ledger")

    waiting.refresh_from_db()
    assert waiting.state == "queued"
    system = LedgerCheck.objects.get(requested_by=None)
    assert (system.state, system.ok, system.started_at is not None) == ("done", True, True)


def test_a_request_while_a_check_runs_returns_the_running_one(hr):
    running = LedgerCheck.objects.create(
        requested_at=timezone.now(), state=LedgerCheck.State.RUNNING
    )

    check = ledger_checks.request_check(requested_by=hr)

    assert check.pk == running.pk
    assert LedgerCheck.objects.count() == 1


def test_a_request_after_a_finished_check_queues_a_new_one(hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = ledger_checks.request_check(requested_by=hr)
    with django_capture_on_commit_callbacks(execute=False):
        second = ledger_checks.request_check(requested_by=hr)

    assert second.pk != first.pk
    assert second.newly_requested


def _running(*, beat_ago: datetime.timedelta, attempts: int = 1) -> LedgerCheck:
    beat = timezone.now() - beat_ago
    return LedgerCheck.objects.create(
        requested_at=beat,
        started_at=beat,
        heartbeat_at=beat,
        attempts=attempts,
        state=LedgerCheck.State.RUNNING,
    )


STALLED = datetime.timedelta(seconds=301)


def test_a_request_while_a_stalled_check_ran_once_runs_that_check_again(
    hr, django_capture_on_commit_callbacks
):
    lost = _running(beat_ago=STALLED)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check = ledger_checks.request_check(requested_by=hr)

    lost.refresh_from_db()
    assert check.pk == lost.pk
    assert (lost.state, lost.heartbeat_at, lost.attempts) == ("queued", None, 1)
    assert len(callbacks) == 1


def test_a_check_whose_worker_died_twice_is_marked_failed_and_holds_back_nothing(hr):
    lost = _running(beat_ago=STALLED, attempts=2)

    check = ledger_checks.request_check(requested_by=hr)

    lost.refresh_from_db()
    assert check.pk != lost.pk
    assert check.newly_requested
    assert lost.state == LedgerCheck.State.FAILED


def test_a_running_check_with_a_recent_heartbeat_is_left_running(hr):
    busy = _running(beat_ago=datetime.timedelta(seconds=299), attempts=2)

    check = ledger_checks.request_check(requested_by=hr)

    busy.refresh_from_db()
    assert check.pk == busy.pk
    assert busy.state == LedgerCheck.State.RUNNING


def test_a_stalled_check_is_not_queued_again_beside_a_waiting_one(hr):
    lost = _running(beat_ago=STALLED)
    waiting = LedgerCheck.objects.create(requested_at=timezone.now(), requested_by=hr)

    recovered = ledger_checks.recover_stalled_checks()

    lost.refresh_from_db()
    assert (recovered.retried, recovered.failed) == (0, 1)
    assert lost.state == LedgerCheck.State.FAILED
    assert LedgerCheck.objects.get(state="queued") == waiting


def test_a_check_given_up_on_while_it_ran_stores_nothing(monkeypatch):
    _records(1)
    check = LedgerCheck.objects.create(requested_at=timezone.now())

    def given_up_on_meanwhile(**kwargs):
        LedgerCheck.objects.filter(pk=check.pk).update(state=LedgerCheck.State.QUEUED)
        return verify_chain(**kwargs)

    verify_chain = ledger_checks.verify_chain
    monkeypatch.setattr(ledger_checks, "verify_chain", given_up_on_meanwhile)

    stored = ledger_checks.run_check(check=check)

    assert (stored.state, stored.ok, stored.attempts) == ("queued", None, 1)


def test_the_worker_stores_the_result_of_an_intact_chain(hr, django_capture_on_commit_callbacks):
    _records(3)

    with django_capture_on_commit_callbacks(execute=True):
        check = ledger_checks.request_check(requested_by=hr)

    check.refresh_from_db()
    head = LedgerHead.objects.get()
    assert (check.state, check.ok, check.entries_checked) == ("done", True, 3)
    assert (check.head_sequence, check.head_hash) == (3, head.record_hash)
    assert (check.problem_sequence, check.problem_reason) == (None, "")
    assert check.started_at <= check.finished_at


def test_the_task_runs_the_check_of_its_id():
    _records(2)
    check = LedgerCheck.objects.create(requested_at=timezone.now())

    result = run_ledger_check.enqueue(check.pk)

    assert result.return_value == {"state": "done", "ok": True, "checked": 2}


def test_a_check_that_ran_already_is_not_run_again(monkeypatch):
    check = ledger_checks.run_system_check()
    monkeypatch.setattr(ledger_checks, "verify_chain", _fails)

    again = ledger_checks.run_check(check=check)

    assert (again.state, again.ok) == ("done", True)


def test_a_check_that_breaks_off_with_an_error_is_marked_failed_and_the_error_raised(
    monkeypatch,
):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ledger_checks, "verify_chain", broken)
    check = LedgerCheck.objects.create(requested_at=timezone.now())

    with pytest.raises(RuntimeError):
        ledger_checks.run_check(check=check)

    check.refresh_from_db()
    assert (check.state, check.ok) == ("failed", None)
    assert check.finished_at is not None


def test_a_head_that_does_not_match_is_stored_as_the_problem():
    _records(2)
    move_head_behind_the_portals_back(sequence=3)

    check = ledger_checks.run_system_check()

    assert (check.state, check.ok) == ("done", False)
    assert (check.problem_sequence, check.entries_checked) == (3, 2)
    assert check.problem_reason == "the ledger head does not match the last entry"


def test_the_problem_is_stored_in_english_whatever_the_language():
    _records(1)
    move_head_behind_the_portals_back(sequence=2)

    with translation.override("nl"):
        check = ledger_checks.run_system_check()

    assert check.problem_reason == "the ledger head does not match the last entry"


def test_a_stored_problem_is_shown_in_the_readers_language():
    with translation.override("nl"):
        text = ledger_checks.problem_text(reason="content missing")

    assert text == "inhoud ontbreekt"


def test_a_stored_sequence_gap_is_shown_with_its_number_in_the_readers_language():
    with translation.override("nl"):
        text = ledger_checks.problem_text(reason="sequence gap: expected 3")

    assert text == "gat in de nummering: 3 verwacht"


def test_check_status_reads_the_last_finished_and_the_newest_check_in_one_query(
    django_assert_num_queries,
):
    finished = ledger_checks.run_system_check()
    waiting = LedgerCheck.objects.create(requested_at=timezone.now())

    with django_assert_num_queries(1):
        status = ledger_checks.check_status()

    assert (status.finished, status.in_progress, status.unfinished) == (finished, waiting, None)


def test_a_failed_newest_check_is_reported_as_unfinished():
    finished = ledger_checks.run_system_check()
    failed = LedgerCheck.objects.create(requested_at=timezone.now(), state=LedgerCheck.State.FAILED)

    status = ledger_checks.check_status()

    assert (status.finished, status.in_progress, status.unfinished) == (finished, None, failed)


def test_the_latest_finished_check_is_the_newest_done_one():
    ledger_checks.run_system_check()
    newest = ledger_checks.run_system_check()
    LedgerCheck.objects.create(requested_at=timezone.now())

    assert ledger_checks.latest_finished_check() == newest


# The command -------------------------------------------------------------------------------


def test_verify_ledger_stores_its_result_as_a_system_run(capsys):
    _records(2)

    call_command("verify_ledger")

    check = LedgerCheck.objects.get()
    assert (check.requested_by, check.state, check.ok, check.entries_checked) == (
        None,
        "done",
        True,
        2,
    )
    assert "Ledger intact: 2 entries checked." in capsys.readouterr().out


def test_verify_ledger_stores_a_broken_chain_and_still_exits_non_zero():
    _records(1)
    move_head_behind_the_portals_back(record_hash="f" * 64)

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger")

    assert excinfo.value.returncode == 1
    check = LedgerCheck.objects.get()
    assert (check.requested_by, check.ok, check.problem_sequence) == (None, False, 1)


# Records changed behind the portal's back ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_check_of_a_tampered_chain_stores_the_entry_and_the_problem():
    records = _records(3)
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", records[1].pk],
    )

    # Committed at once (transactional test): the worker runs the check right away.
    check = ledger_checks.request_check(requested_by=EmployeeFactory(hr=True))

    check.refresh_from_db()
    assert (check.state, check.ok, check.entries_checked) == ("done", False, 1)
    assert check.problem_sequence == records[1].entry.sequence
    assert check.problem_reason == "content does not match its digest"


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_requested_check(settings):
    settings.TASKS = DATABASE_TASKS
    _records(2)

    check = ledger_checks.request_check(requested_by=EmployeeFactory(hr=True))

    [task] = DBTaskResult.objects.all()
    assert task.task_path == "acknowledgements.tasks.run_ledger_check"
    check.refresh_from_db()
    assert check.state == LedgerCheck.State.QUEUED

    # What `manage.py db_worker --batch` does: run every task that is due, then stop.
    run_due_tasks()

    task.refresh_from_db()
    check.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert (check.state, check.ok, check.entries_checked) == ("done", True, 2)


def test_a_running_check_whose_heartbeat_stopped_is_shown_as_unfinished():
    lost = _running(beat_ago=STALLED)

    status = ledger_checks.check_status()

    assert (status.in_progress, status.unfinished) == (None, lost)


def test_a_running_check_that_beats_is_shown_in_progress():
    busy = _running(beat_ago=datetime.timedelta(seconds=10))

    status = ledger_checks.check_status()

    assert (status.in_progress, status.unfinished) == (busy, None)
