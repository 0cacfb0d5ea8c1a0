"""The certificate PDF: made with portal.pdf, readable back, the employee's own only;
signed like the reports (archival, PAdES B-LTA, against the test PKI) and kept for a
second download."""

import datetime
import io
import socket

import pytest
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pypdf import PdfReader

from acknowledgements.selectors.certificate import verification_address
from acknowledgements.tests.factories import signed
from people.tests.factories import EmployeeFactory
from portal.pdf import signing
from portal.testing.pki import lta_validation, pdfsig, pdfsig_missing, running_pki

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


# --- Signed (portal.pdf.signing): archival against the test PKI (portal/testing/pki.py)


@pytest.fixture
def test_pki(settings):
    pki = running_pki()
    pki.configure(settings)
    return pki


def download(employee, record) -> bytes:
    response = client_for(employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )
    assert response.status_code == 200
    return response.content


def test_the_certificate_is_signed_and_validates_as_pades_b_lta(test_pki):
    employee = EmployeeFactory()
    record = signed(employee, language="en")

    result = lta_validation(download(employee, record), test_pki)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    assert result.api_status.bottom_line
    signer = result.api_status.signing_cert.subject.native["common_name"]
    assert signer == "Gemeente Voorbeeldstad (test)"


def test_the_signed_certificate_names_itself_in_the_signature(test_pki):
    employee = EmployeeFactory()
    record = signed(employee, language="nl")

    reader = PdfFileReader(io.BytesIO(download(employee, record)))
    [signature] = reader.embedded_regular_signatures

    assert signature.sig_object["/Reason"] == f"Certificaat {record.entry.verification_code}"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert len(reader.embedded_timestamp_signatures) == 1


def test_the_certificate_still_validates_after_the_signing_certificate_expired(test_pki):
    employee = EmployeeFactory()
    record = signed(employee)
    later = test_pki.signer_not_after + datetime.timedelta(days=30)

    result = lta_validation(download(employee, record), test_pki, at=later)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg


@pytest.mark.skipif(pdfsig_missing(), reason="poppler's pdfsig or NSS's certutil is missing")
def test_poppler_finds_the_certificates_signature_valid_and_trusted(test_pki):
    employee = EmployeeFactory()
    record = signed(employee)

    said = pdfsig(download(employee, record), test_pki).split("Signature #2:")[0]

    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate is Trusted." in said


def test_a_second_download_is_the_same_file_and_asks_no_new_timestamp(test_pki, monkeypatch):
    signatures = []
    sign = signing.sign_pdf
    monkeypatch.setattr(signing, "sign_pdf", lambda *a, **k: signatures.append(1) or sign(*a, **k))
    employee = EmployeeFactory()
    record = signed(employee)

    first = download(employee, record)
    again = download(employee, record)

    assert again == first
    assert len(signatures) == 1


def test_another_signing_setup_signs_anew(test_pki, settings):
    employee = EmployeeFactory()
    record = signed(employee)
    archival = download(employee, record)

    settings.PDF_TIMESTAMP_URL = ""
    basic = download(employee, record)

    assert basic != archival
    assert b"/ETSI.RFC3161" in archival and b"/ETSI.RFC3161" not in basic


def test_a_timestamp_service_that_is_down_gives_a_page_that_says_so(test_pki, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.PDF_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"
    employee = EmployeeFactory()
    record = signed(employee)

    response = client_for(employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code]),
        headers={"accept-language": "nl"},
    )

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Certificaat nu niet beschikbaar" in response.content.decode()


def test_an_erasure_removes_the_kept_signed_certificate_at_once(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from acknowledgements.selectors.certificate import certificate_cache_key
    from acknowledgements.services.corrections import erase_employee

    employee = EmployeeFactory()
    record = signed(employee)
    key = certificate_cache_key(record_hash=record.entry.record_hash)
    cache.set(key, b"%PDF- signed, with the name on it", 3600)

    with django_capture_on_commit_callbacks(execute=True):
        erase_employee(employee=employee, recorded_by=None, reason="Verzoek AVG art. 17")

    assert cache.get(key) is None
