"""Retention: leavers' acknowledgements erased after 10 years (the chain keeps
verifying), quiz attempts removed after 5, and a destruction list of exactly that, once
the list is approved and carried out (acknowledgements.services.destruction)."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services.destruction import (
    approve_destruction,
    carry_out_destruction,
    propose_destruction,
)
from acknowledgements.services.retention import remove_abandoned_uploads, years_before
from acknowledgements.tests.factories import ready_to_sign, signed
from people.models import Employee
from people.tests.factories import EmployeeFactory
from quizzes.models import Answer, Attempt, AttemptQuestion
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def _left(employee, years_ago: int, *, days: int = 0):
    end = years_before(day=TODAY, years=years_ago) - datetime.timedelta(days=days)
    Employee.objects.filter(pk=employee.pk).update(end_date=end, is_active=False)
    employee.refresh_from_db()
    return employee


def _ago(years: int, days: int = 0) -> datetime.datetime:
    day = years_before(day=TODAY, years=years) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def apply_retention(*, today=TODAY, dry_run=False, recorded_by=None):
    """Propose a list as of ``today``; unless a dry run, approve and carry it out."""
    from django.conf import settings

    proposal = propose_destruction(proposed_by=recorded_by, today=today)
    items = proposal.items
    if dry_run:
        files = sorted((settings.MEDIA_ROOT / "retention").glob("*-voorstel*.csv"))
        return SimpleNamespace(items=items, path=files[-1])
    approve_destruction(
        destruction_list=proposal,
        approved_by=EmployeeFactory(hr=True),
        approver_name="A. de Archivaris",
        approver_function="Archivaris",
        approval_date=today,
        approval_reference="VV-2026-001",
    )
    done = carry_out_destruction(destruction_list=proposal, carried_out_by=recorded_by, today=today)
    return SimpleNamespace(
        path=settings.MEDIA_ROOT / done.result["file"],
        items=done.result["items"],
        **{key: value for key, value in done.result.items() if key not in ("file", "items")},
    )


def _rows(report) -> list[dict]:
    text = report.path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def version():
    return quiz_version(tips=2)


@pytest.fixture
def signer(version):
    def make(**kwargs):
        employee = EmployeeFactory(**kwargs)
        ready_to_sign(employee, version)
        return employee, signed(employee, version)

    return make


def test_a_leaver_of_eleven_years_ago_is_erased_and_the_chain_verifies(signer):
    left_long_ago, old_record = signer()
    left_recently, recent_record = signer()
    active, active_record = signer()
    _left(left_long_ago, 11)
    _left(left_recently, 9)

    report = apply_retention(today=TODAY)

    remaining = set(Acknowledgement.objects.values_list("pk", flat=True))
    assert remaining == {recent_record.pk, active_record.pk}
    assert LedgerEntry.objects.filter(kind="erasure", refers_to=old_record.entry).exists()
    assert verify_chain().ok
    assert not TipRead.objects.filter(employee=left_long_ago).exists()
    assert TipRead.objects.filter(employee=left_recently).exists()
    assert TipRead.objects.filter(employee=active).exists()
    assert report.acknowledgements == 1 and report.employees == 1
    assert report.tip_reads == 2


def test_exactly_ten_years_is_not_yet_more_than_ten(signer):
    employee, record = signer()
    _left(employee, 10)

    apply_retention(today=TODAY)

    assert Acknowledgement.objects.filter(pk=record.pk).exists()


def test_old_attempts_go_recent_ones_stay_and_evidence_stays(version):
    employee = EmployeeFactory()
    old = submitted_attempt(employee=employee, version=version, submitted_at=_ago(6))
    recent = submitted_attempt(employee=employee, version=version, submitted_at=_ago(4))
    # An active colleague who passed six years ago and signed on that attempt.
    colleague = EmployeeFactory()
    evidence = submitted_attempt(employee=colleague, version=version, submitted_at=_ago(6))
    from acknowledgements.tests.factories import read_all_tips

    read_all_tips(colleague, version)
    record = signed(colleague, version)
    assert record.quiz_attempt_id == evidence.pk

    report = apply_retention(today=TODAY)

    assert set(Attempt.objects.values_list("pk", flat=True)) == {recent.pk, evidence.pk}
    assert not AttemptQuestion.objects.filter(attempt_id=old.pk).exists()
    assert not Answer.objects.filter(served__attempt_id=old.pk).exists()
    assert AttemptQuestion.objects.filter(attempt=recent).exists()
    assert report.attempts == 1 and report.proposed["attempts_kept_as_evidence"] == 1


def test_a_leavers_evidence_attempt_goes_with_their_acknowledgement(signer):
    employee, record = signer()
    Attempt.objects.filter(pk=record.quiz_attempt_id).update(submitted_at=_ago(12))
    _left(employee, 11)

    apply_retention(today=TODAY)

    assert not Attempt.objects.filter(employee=employee).exists()
    assert verify_chain().ok


def test_the_destruction_list_lists_exactly_what_was_removed(signer, version, settings):
    leaver, record = signer()
    stayer, _record = signer()
    _left(leaver, 11)
    Attempt.objects.filter(employee=leaver).update(submitted_at=_ago(11))
    old = submitted_attempt(employee=stayer, version=version, submitted_at=_ago(7))
    submitted_attempt(employee=stayer, version=version, submitted_at=_ago(1))
    leaver_attempts = set(Attempt.objects.filter(employee=leaver).values_list("pk", flat=True))

    report = apply_retention(today=TODAY)

    assert report.path.parent == settings.MEDIA_ROOT / "retention"
    assert report.path.name.startswith("vernietigingslijst-") and report.path.suffix == ".csv"
    rows = _rows(report)
    assert list(rows[0]) == [
        "Category",
        "Identifier",
        "Employee number",
        "Description",
        "Period",
        "Legal ground",
        "Removed at",
        "Status",
    ]
    acks = [r for r in rows if r["Category"] == "Acknowledgement"]
    attempts = [r for r in rows if r["Category"] == "Quiz attempt"]
    reads = [r for r in rows if r["Category"] == "Tips read"]
    people = [r for r in rows if r["Category"] == "Employee record"]
    assert [(r["Identifier"], r["Employee number"]) for r in people] == [
        (str(leaver.pk), leaver.employee_number)
    ]
    assert [(r["Identifier"], r["Employee number"]) for r in acks] == [
        (str(record.entry.sequence), leaver.employee_number)
    ]
    assert {int(r["Identifier"]) for r in attempts} == leaver_attempts | {old.pk}
    assert [r["Employee number"] for r in reads] == [leaver.employee_number]
    assert len(rows) == len(acks) + len(attempts) + len(reads) + len(people)
    assert all("Selectielijst gemeenten 2020" in r["Legal ground"] for r in rows)
    assert all(r["Removed at"] and r["Status"].startswith("Removed") for r in rows)
    assert all("VV-2026-001" in r["Status"] for r in rows)
    assert stayer.employee_number not in {r["Employee number"] for r in acks}


def test_a_dry_run_removes_nothing_and_writes_a_proposal(signer, version):
    leaver, record = signer()
    _left(leaver, 11)
    old = submitted_attempt(employee=EmployeeFactory(), version=version, submitted_at=_ago(6))
    counts = (Acknowledgement.objects.count(), Attempt.objects.count(), TipRead.objects.count())
    entries = LedgerEntry.objects.count()

    report = apply_retention(today=TODAY, dry_run=True)

    assert counts == (
        Acknowledgement.objects.count(),
        Attempt.objects.count(),
        TipRead.objects.count(),
    )
    assert LedgerEntry.objects.count() == entries
    assert "voorstel" in report.path.name
    rows = _rows(report)
    assert {(r["Category"], r["Identifier"]) for r in rows} >= {
        ("Acknowledgement", str(record.entry.sequence)),
        ("Quiz attempt", str(old.pk)),
    }
    assert all(r["Removed at"] == "" and r["Status"].startswith("Proposal") for r in rows)


def test_running_twice_removes_nothing_the_second_time(signer, version):
    leaver, _record = signer()
    _left(leaver, 11)
    submitted_attempt(employee=EmployeeFactory(), version=version, submitted_at=_ago(6))
    first = apply_retention(today=TODAY)
    entries = LedgerEntry.objects.count()

    second = apply_retention(today=TODAY)

    assert first.items and first.path != second.path
    assert second.items == 0
    assert (second.acknowledgements, second.tip_reads, second.attempts) == (0, 0, 0)
    assert LedgerEntry.objects.count() == entries
    assert _rows(second) == []
    assert verify_chain().ok


def test_someone_without_the_permission_cannot_apply_it(signer, version):
    leaver, record = signer()
    _left(leaver, 11)
    old = submitted_attempt(employee=EmployeeFactory(), version=version, submitted_at=_ago(6))

    with pytest.raises(PermissionDenied):
        apply_retention(today=TODAY, recorded_by=EmployeeFactory())

    assert Acknowledgement.objects.filter(pk=record.pk).exists()
    assert Attempt.objects.filter(pk=old.pk).exists()


def test_hr_may_apply_it(signer):
    leaver, record = signer()
    _left(leaver, 11)

    apply_retention(today=TODAY, recorded_by=EmployeeFactory(hr=True))

    assert not Acknowledgement.objects.filter(pk=record.pk).exists()


def test_the_command_proposes_a_list_and_removes_nothing(signer):
    from acknowledgements.models import DestructionList

    leaver, record = signer()
    _left(leaver, 11)
    out = io.StringIO()

    call_command("apply_retention", "--today", TODAY.isoformat(), stdout=out)

    text = out.getvalue()
    assert "1 acknowledgements of 1 employees" in text and "approval" in text
    assert "vernietigingslijst-" in text
    assert Acknowledgement.objects.filter(pk=record.pk).exists()
    assert DestructionList.objects.get().status == DestructionList.Status.PROPOSED


def test_the_commands_dry_run_stores_no_list(signer):
    from acknowledgements.models import DestructionList

    leaver, record = signer()
    _left(leaver, 11)
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)

    assert "dry run" in out.getvalue()
    assert not DestructionList.objects.exists()
    assert Acknowledgement.objects.filter(pk=record.pk).exists()


def test_a_long_gone_leavers_emails_about_signing_again_are_removed_and_listed(signer, version):
    from django.utils import timezone

    from acknowledgements.models import Notification

    left_long_ago, _record = signer()
    active, _active_record = signer()
    for employee in (left_long_ago, active):
        Notification.objects.create(
            employee=employee,
            version=version,
            kind=Notification.Kind.REACKNOWLEDGEMENT,
            sent_at=timezone.now(),
        )
    _left(left_long_ago, 11)

    report = apply_retention(today=TODAY)

    assert list(Notification.objects.values_list("employee", flat=True)) == [active.pk]
    assert "E-mails asking to sign again" in [row["Category"] for row in _rows(report)]


def test_scans_of_on_behalf_records_never_confirmed_are_removed_after_a_day(settings):
    import os
    import time

    pending = settings.MEDIA_ROOT / "ledger" / "pending"
    pending.mkdir(parents=True)
    abandoned, fresh = pending / "oud.pdf", pending / "nieuw.pdf"
    abandoned.write_bytes(b"%PDF-1.4")
    fresh.write_bytes(b"%PDF-1.4")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(abandoned, (two_days_ago, two_days_ago))

    assert remove_abandoned_uploads(now=timezone.now()) == 1

    assert not abandoned.exists() and fresh.exists()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_an_employee_number_that_looks_like_a_formula_is_written_as_text(signer, start):
    number = f"{start}1+1"
    leaver, _record = signer(employee_number=number)
    _left(leaver, 11)

    report = apply_retention(today=TODAY)

    rows = _rows(report)
    assert [row["Category"] for row in rows] == ["Acknowledgement", "Tips read", "Employee record"]
    assert {row["Employee number"] for row in rows} == {"'" + number}
