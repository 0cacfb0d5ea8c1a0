"""Less technical detail for staff (issue 21): the receipt, the code check and the
certificate show an ordinary employee the verification code, and the SHA-256 hashes
only behind "Technical details" (on the page) or in a technical annex (in the PDF). HR,
auditors and administrators find the details open, as before."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from acknowledgements.tests.factories import signed
from people.roles import Role
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, one, parse, select, text

pytestmark = pytest.mark.django_db

HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outside_the_disclosure(response) -> str:
    page = parse(response)
    for disclosure in select(page, "details.technical-details"):
        disclosure.decompose()
    return one(page, "body").html or ""


def test_the_receipt_shows_an_employee_the_code_but_no_hash_outside_the_disclosure():
    record = signed()
    code = record.entry.verification_code

    response = _client_for(record.employee).get(reverse("acknowledgements:receipt", args=[code]))

    outside = _outside_the_disclosure(response)
    assert HEX64.findall(outside) == []
    assert code in outside
    disclosure = one(parse(response), "details#technical-details")
    assert disclosure.attributes.get("open", "closed") == "closed"
    assert record.text_hash in text(disclosure)
    assert record.entry.record_hash in text(disclosure)


@pytest.mark.parametrize("role", [Role.HR, Role.AUDITOR, Role.ADMINISTRATOR])
def test_the_receipt_shows_hr_auditors_and_administrators_the_hashes_open(role):
    person = EmployeeFactory(roles=[role])
    record = signed(person)

    response = _client_for(person).get(
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    )

    assert attribute(parse(response), "details#technical-details", "open") == ""


def test_the_code_check_shows_an_employee_no_hash_outside_the_disclosure():
    record = signed()

    response = _client_for(EmployeeFactory()).get(
        reverse("acknowledgements:verify"), {"code": record.entry.verification_code}
    )

    assert HEX64.findall(_outside_the_disclosure(response)) == []
    page = parse(response)
    assert attribute(page, "details#technical-details", "open") is None
    assert record.entry.record_hash in text(one(page, "#verified-hash"))


def _pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return ["".join(page.extract_text().split()) for page in reader.pages]


def test_the_certificates_first_page_has_the_code_and_no_hash():
    record = signed()
    code = record.entry.verification_code

    response = _client_for(record.employee).get(
        reverse("acknowledgements:certificate", args=[code])
    )

    first = _pages(response.content)[0]
    assert code in first
    assert HEX64.findall(first) == []
    assert record.text_hash not in first and record.entry.record_hash not in first


def test_the_certificates_technical_annex_on_its_last_page_holds_both_hashes():
    record = signed()

    response = _client_for(record.employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    pages = _pages(response.content)
    assert len(pages) >= 2
    assert "Technischebijlage" in pages[-1]
    assert record.text_hash in pages[-1]
    assert record.entry.record_hash in pages[-1]
