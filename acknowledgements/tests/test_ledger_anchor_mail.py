"""The nightly check mails the ledger's last intact entry outside the portal
(PORTAL_LEDGER_ANCHOR_EMAIL), through the background worker, in Dutch plain text."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from acknowledgements.models import LedgerEntry
from acknowledgements.services import ledger_checks
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ADDRESS = "archief@voorbeeldstad.nl"


def _signed_records(count: int):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def test_the_nightly_check_mails_the_head_outside_the_portal(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LEDGER_ANCHOR_EMAIL = ADDRESS
    _signed_records(2)
    head = LedgerEntry.objects.get(sequence=2)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("verify_ledger")

    (mail,) = mailoutbox
    assert mail.to == [ADDRESS]
    assert mail.subject == (
        "Grootboek van het richtlijnenportaal (Gemeente Voorbeeldstad): in orde tot en met regel 2"
    )
    assert "Uitkomst: in orde, 2 regels gecontroleerd." in mail.body
    assert f"Regel: 2\nHash: {head.record_hash}\nGecontroleerd op: 20" in mail.body
    assert f"python manage.py verify_ledger --anchor 2:{head.record_hash}" in mail.body


def test_the_anchor_mail_is_plain_text_only(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LEDGER_ANCHOR_EMAIL = ADDRESS
    _signed_records(1)

    with django_capture_on_commit_callbacks(execute=True):
        ledger_checks.run_system_check()

    (mail,) = mailoutbox
    assert not getattr(mail, "alternatives", [])
    assert mail.content_subtype == "plain"
    assert "&" not in mail.body.replace("&amp;", "")  # nothing HTML-escaped


def test_without_the_setting_no_anchor_is_mailed(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LEDGER_ANCHOR_EMAIL = ""
    _signed_records(1)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("verify_ledger")

    assert mailoutbox == []


def test_a_check_that_found_a_problem_mails_the_problem_and_the_last_intact_entry(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LEDGER_ANCHOR_EMAIL = ADDRESS
    _signed_records(3)
    anchor = f"3:{'ab' * 32}"  # entry 3 had another hash when it was noted

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        call_command("verify_ledger", anchor=[anchor])

    (mail,) = mailoutbox
    second = LedgerEntry.objects.get(sequence=2)
    assert mail.subject.endswith("NIET in orde bij regel 3")
    assert "Uitkomst: NIET in orde. Regel 3 klopt niet meer met wat er is vastgelegd." in (
        mail.body
    )
    assert "Probleem: regel 3 heeft een andere hash dan het anker (abababababababab…)" in (
        mail.body
    )
    assert f"Regel: 2\nHash: {second.record_hash}\n" in mail.body
