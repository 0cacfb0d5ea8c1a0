"""The certificate PDF: made with portal.pdf, readable back, the employee's own only."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from acknowledgements.selectors.certificate import verification_address
from acknowledgements.tests.factories import signed
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def _compact(text: str) -> str:
    return "".join(text.split())


def test_certificate_holds_name_version_code_hashes_statement_and_how_to_verify():
    employee = EmployeeFactory(first_name="Jan", last_name="Jansen")
    record = signed(employee)
    code = record.entry.verification_code

    response = client_for(employee).get(reverse("acknowledgements:certificate", args=[code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="certificaat-{code}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    compact = _compact(text)
    assert "Jan Jansen" in text
    assert code in compact
    # Hashes may be broken over lines: compare without white space.
    assert record.text_hash in compact
    assert record.entry.record_hash in compact
    assert _compact(record.statement) in compact
    assert _compact(verification_address()) in compact
    assert "Gemeente Voorbeeldstad" in text
    reader = PdfReader(io.BytesIO(response.content))
    assert "Jan Jansen" in reader.metadata.title


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_certificate_is_in_the_language_signed_in(language):
    employee = EmployeeFactory(first_name="Anna", last_name="Smit")
    record = signed(employee, language=language)

    response = client_for(employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    reader = PdfReader(io.BytesIO(response.content))
    assert str(reader.trailer["/Root"]["/Lang"]) == language
    assert _compact(record.statement) in _compact(pdf_text(response.content))


def test_another_employee_gets_not_found():
    record = signed(EmployeeFactory())

    response = client_for(EmployeeFactory()).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_log_in():
    record = signed(EmployeeFactory())

    response = Client().get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    assert response.status_code == 302
