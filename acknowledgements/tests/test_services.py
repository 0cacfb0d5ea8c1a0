"""Signing, recording on behalf, importing, correcting and erasing (services)."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from acknowledgements import ledger, services
from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services import SigningRefused, corrections, importing
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the message ids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def employee():
    return EmployeeFactory(first_name="Jan", name_prefix="van der", last_name="Berg")


def _sign(employee, version, **kwargs):
    values = {"language": "nl", "typed_name": employee.full_name, "confirmed": True, **kwargs}
    return services.sign_version(employee=employee, version=version, **values)


def _reasons(excinfo) -> str:
    return " ".join(excinfo.value.reasons)


def test_signing_records_what_was_signed(employee):
    version = ready_to_sign(employee)

    ack = _sign(employee, version, ip_address="192.0.2.7", user_agent="Firefox")

    assert ack.method == Acknowledgement.Method.SELF
    assert ack.text_hash == version.content_hash
    assert ack.statement == eligibility.statement_for(version=version, language="nl")
    assert ack.quiz_attempt.passed
    assert (ack.ip_address, ack.user_agent) == ("192.0.2.7", "Firefox")
    assert ack.entry.kind == LedgerEntry.Kind.ACKNOWLEDGEMENT


def test_signing_in_english_records_the_english_text_hash(employee):
    version = ready_to_sign(employee)

    ack = _sign(employee, version, language="en")

    assert ack.text_hash == version.content_hash_en
    assert "version 1" in ack.statement


def test_signing_gives_a_verification_code(employee):
    ack = signed(employee)

    assert len(ack.entry.verification_code) == 14


def test_signing_without_a_passed_quiz_is_refused(employee):
    version = ready_to_sign(employee, passed=False)

    with pytest.raises(SigningRefused) as excinfo:
        _sign(employee, version)

    assert "quiz" in _reasons(excinfo)
    assert not Acknowledgement.objects.exists()


def test_signing_without_reading_every_tip_is_refused(employee):
    version = ready_to_sign(employee, read=False)
    read_all_tips(employee, version, except_numbers=[2])

    with pytest.raises(SigningRefused) as excinfo:
        _sign(employee, version)

    assert "tip 2" in _reasons(excinfo)
    assert not LedgerEntry.objects.exists()


def test_signing_with_another_name_is_refused_kindly(employee):
    version = ready_to_sign(employee)

    with pytest.raises(SigningRefused) as excinfo:
        _sign(employee, version, typed_name="Piet Jansen")

    assert "Jan van der Berg" in _reasons(excinfo)


def test_the_name_may_differ_in_case_accents_and_spacing(employee):
    version = ready_to_sign(employee)

    ack = _sign(employee, version, typed_name="  jan  VAN DER bérg ")

    assert ack.typed_name == "jan  VAN DER bérg"


def test_signing_unconfirmed_is_refused(employee):
    version = ready_to_sign(employee)

    with pytest.raises(SigningRefused):
        _sign(employee, version, confirmed=False)


def test_signing_twice_returns_the_same_record(employee):
    version = ready_to_sign(employee)

    first = _sign(employee, version)
    second = _sign(employee, version)

    assert first.pk == second.pk
    assert LedgerEntry.objects.count() == 1


def test_signing_when_the_check_missed_the_first_record_returns_it(employee, monkeypatch):
    # As if two requests read "not signed yet" together: the second's insert meets the
    # unique constraint, leaves no entry behind and returns the first record.
    version = ready_to_sign(employee)
    first = _sign(employee, version)
    real = eligibility.signing_facts

    def not_signed_yet(**kwargs):
        return dataclasses.replace(real(**kwargs), signed=False)

    monkeypatch.setattr(eligibility, "signing_facts", not_signed_yet)

    second = _sign(employee, version)

    assert second.pk == first.pk
    assert LedgerEntry.objects.count() == 1
    assert verify_chain().ok


def test_signing_tries_another_code_when_the_random_one_is_taken(employee, monkeypatch):
    version = ready_to_sign(employee)
    colleague = EmployeeFactory()
    taken = signed(colleague, ready_to_sign(colleague, version)).entry.verification_code
    codes = iter([taken, "ABCD-EFGH-JKMN"])
    monkeypatch.setattr(ledger, "random_verification_code", lambda: next(codes))

    ack = _sign(employee, version)

    assert ack.entry.verification_code == "ABCD-EFGH-JKMN"
    assert LedgerEntry.objects.count() == 2
    assert verify_chain().ok


def test_hr_records_a_paper_acknowledgement_with_its_scan(employee, hr):
    version = quiz_version()
    scan = SimpleUploadedFile("formulier.pdf", b"%PDF-1.4 getekend", "application/pdf")
    when = timezone.now() - datetime.timedelta(days=2)

    ack = services.record_on_behalf(
        employee=employee,
        version=version,
        recorded_by=hr,
        reason="Geen computer",
        signed_at=when,
        paper_form=scan,
    )

    ack.refresh_from_db()
    assert ack.method == Acknowledgement.Method.ON_BEHALF
    assert ack.recorded_by == hr
    assert ack.paper_form.read() == b"%PDF-1.4 getekend"
    assert len(ack.paper_form_hash) == 64
    assert verify_chain().ok


def test_a_manager_records_for_their_team(employee):
    manager = EmployeeFactory()
    employee.manager = manager
    employee.save()

    ack = services.record_on_behalf(
        employee=employee,
        version=quiz_version(),
        recorded_by=manager,
        reason="Buitendienst",
        signed_at=timezone.now(),
    )

    assert ack.recorded_by == manager


def test_a_colleague_may_not_record_on_behalf(employee):
    with pytest.raises(PermissionDenied):
        services.record_on_behalf(
            employee=employee,
            version=quiz_version(),
            recorded_by=EmployeeFactory(),
            reason="Zomaar",
            signed_at=timezone.now(),
        )


def test_recording_on_behalf_needs_a_reason(employee, hr):
    with pytest.raises(ValidationError):
        services.record_on_behalf(
            employee=employee,
            version=quiz_version(),
            recorded_by=hr,
            reason=" ",
            signed_at=timezone.now(),
        )


def test_importing_marks_the_record_as_imported(employee, hr):
    ack = importing.import_acknowledgement(
        employee=employee,
        version=quiz_version(),
        recorded_by=hr,
        reason="Uit het oude systeem",
        signed_at=timezone.now() - datetime.timedelta(days=400),
    )

    assert ack.method == Acknowledgement.Method.IMPORTED


def test_a_correction_refers_to_the_original_which_stays(employee, hr):
    original = signed(employee)
    earlier = original.signed_at - datetime.timedelta(minutes=5)

    correction = corrections.correct(
        entry=original.entry, recorded_by=hr, reason="Tijd verkeerd", signed_at=earlier
    )

    assert correction.entry.kind == LedgerEntry.Kind.CORRECTION
    assert correction.entry.refers_to == original.entry
    assert correction.signed_at == earlier
    assert Acknowledgement.objects.get(pk=original.pk).signed_at == original.signed_at
    assert verify_chain().ok


def test_only_some_fields_can_be_corrected(employee, hr):
    original = signed(employee)

    with pytest.raises(ValidationError):
        corrections.correct(entry=original.entry, recorded_by=hr, reason="x", text_hash="0" * 64)


def test_an_employee_may_not_correct(employee):
    original = signed(employee)

    with pytest.raises(PermissionDenied):
        corrections.correct(entry=original.entry, recorded_by=employee, reason="x", typed_name="J")


def test_erasure_removes_the_content_and_keeps_the_chain_verifying(employee, hr):
    original = signed(employee)
    colleague = EmployeeFactory()
    signed(colleague, ready_to_sign(colleague, original.version))

    erasure = corrections.erase_personal_data(entry=original.entry, recorded_by=hr, reason="AVG")

    assert erasure.kind == LedgerEntry.Kind.ERASURE
    assert erasure.refers_to == original.entry
    assert not Acknowledgement.objects.filter(pk=original.pk).exists()
    assert LedgerEntry.objects.filter(pk=original.pk).exists()
    assert verify_chain().ok


def test_erasing_twice_is_refused(employee, hr):
    original = signed(employee)
    corrections.erase_personal_data(entry=original.entry, recorded_by=hr, reason="AVG")

    with pytest.raises(ValidationError):
        corrections.erase_personal_data(entry=original.entry, recorded_by=hr, reason="AVG")


def test_erasing_an_employee_erases_their_records_and_corrections(employee, hr):
    original = signed(employee)
    corrections.correct(entry=original.entry, recorded_by=hr, reason="Naam", typed_name="J")
    colleague = EmployeeFactory()
    kept = signed(colleague, ready_to_sign(colleague, original.version))

    erasures = corrections.erase_employee(employee=employee, recorded_by=hr, reason="AVG")

    assert len(erasures) == 2
    assert list(Acknowledgement.objects.values_list("pk", flat=True)) == [kept.pk]
    assert verify_chain().ok


def test_recording_twice_on_behalf_returns_the_first_record(employee, hr):
    version = quiz_version()
    values = {"employee": employee, "version": version, "recorded_by": hr, "reason": "Papier"}

    first = services.record_on_behalf(signed_at=timezone.now(), **values)
    second = services.record_on_behalf(signed_at=timezone.now(), **values)

    assert first.pk == second.pk


def test_an_address_that_is_not_an_ip_address_is_left_out(employee):
    ack = _sign(employee, ready_to_sign(employee), ip_address="unknown")

    assert ack.ip_address is None


def test_erasure_removes_the_scanned_form_once_committed(
    employee, hr, django_capture_on_commit_callbacks
):
    scan = SimpleUploadedFile("formulier.pdf", b"%PDF-1.4 getekend", "application/pdf")
    ack = services.record_on_behalf(
        employee=employee,
        version=quiz_version(),
        recorded_by=hr,
        reason="Geen computer",
        signed_at=timezone.now(),
        paper_form=scan,
    )
    storage, name = ack.paper_form.storage, ack.paper_form.name

    with django_capture_on_commit_callbacks(execute=True):
        corrections.erase_personal_data(entry=ack.entry, recorded_by=hr, reason="AVG")

    assert not storage.exists(name)
