"""Archival signatures (PAdES B-LTA, portal.pdf.signing) against a real test PKI with a
timestamp authority, CRL and OCSP (certomancer, portal/testing/pki.py): the signature
carries a trusted timestamp, the file the revocation data and a document timestamp, so
it still validates after the signing certificate has expired; pyHanko and poppler's
pdfsig agree; a changed byte fails; an unreachable timestamp service stops signing."""

import datetime
import io
import socket

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from config.checks import timestamp_check
from portal.pdf import render_pdf, signing
from portal.testing.pki import lta_validation, pdfsig, pdfsig_missing, running_pki

HTML = """<!doctype html><html lang="en"><head><title>Test report</title></head>
<body><h1>Test report</h1><p>Twelve employees signed.</p></body></html>"""

needs_pdfsig = pytest.mark.skipif(
    pdfsig_missing(), reason="poppler-utils or libnss3-tools is missing (scripts/system-deps.sh)"
)


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_pdf(HTML, language="en", title="Test report", archival=True)


@pytest.fixture
def pki(settings):
    pki = running_pki()
    pki.configure(settings)
    return pki


@pytest.fixture
def archived(pki, unsigned_pdf) -> bytes:
    return signing.sign_pdf(unsigned_pdf, reason="Compliance report NR-1", location="Here")


def test_an_archival_signature_validates_as_pades_b_lta(pki, archived):
    result = lta_validation(archived, pki)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    assert result.api_status.bottom_line
    # Proven by the document timestamp, not by the validator's clock.
    assert result.oldest_evidence_record_timestamp is not None
    assert result.signature_timestamp_status.ades_subindic == AdESPassed.OK


def test_the_signature_carries_a_trusted_timestamp_from_the_tsa(pki, archived):
    [embedded] = PdfFileReader(io.BytesIO(archived)).embedded_regular_signatures
    context = ValidationContext(trust_roots=[pki.root], allow_fetching=True)
    status = signing.outside_event_loop(validate_pdf_signature, embedded, context)

    unsigned = embedded.signer_info["unsigned_attrs"].native or []
    assert [a["type"] for a in unsigned] == ["signature_time_stamp_token"]
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    tsa = status.timestamp_validity.signing_cert.subject.native["common_name"]
    assert tsa == "Portal Test Time Stamping Authority"


def test_the_file_holds_the_chains_and_revocation_data_and_ends_in_a_document_timestamp(
    pki, archived
):
    reader = PdfFileReader(io.BytesIO(archived))
    [signature] = reader.embedded_regular_signatures
    [timestamp] = reader.embedded_timestamp_signatures
    dss = reader.get_historical_root(timestamp.signed_revision)["/DSS"]

    assert len(dss["/Certs"]) >= 3  # signer, TSA, root (and the OCSP responder)
    # An OCSP response for the signer's certificate and one for the TSA's.
    assert len(dss["/OCSPs"]) >= 2
    assert timestamp.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    # The document timestamp covers the signature and the DSS (what follows it is
    # only the revocation data of the timestamp service, for the next one).
    assert timestamp.signed_revision > signature.signed_revision


def test_it_still_validates_after_the_signing_certificate_has_expired(pki, archived):
    later = pki.signer_not_after + datetime.timedelta(days=30)

    result = lta_validation(archived, pki, at=later)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg


def test_without_a_timestamp_the_same_check_fails_after_expiry(pki, settings, unsigned_pdf):
    """The control for the test above: B-B alone does not survive the certificate."""
    settings.PDF_TIMESTAMP_URL = ""
    basic = signing.sign_pdf(unsigned_pdf, reason="r", location="l")
    later = pki.signer_not_after + datetime.timedelta(days=30)

    result = lta_validation(basic, pki, at=later)

    assert result.ades_subindic != AdESPassed.OK
    assert not PdfFileReader(io.BytesIO(basic)).embedded_timestamp_signatures


def test_one_changed_byte_fails_archival_validation(pki, archived):
    tampered = bytearray(archived)
    assert tampered[9:10] == b"%"  # the binary comment: signed, and the file still parses
    tampered[10] ^= 0x01

    result = lta_validation(bytes(tampered), pki)

    assert result.ades_subindic != AdESPassed.OK
    assert not result.api_status.intact


@needs_pdfsig
def test_poppler_finds_the_signature_valid_and_the_certificate_trusted(pki, archived):
    said = pdfsig(archived, pki)
    first = said.split("Signature #2:")[0]

    assert "Signer Certificate Common Name: Gemeente Voorbeeldstad (test)" in first
    assert "Signature Validation: Signature is Valid." in first
    assert "Certificate Validation: Certificate is Trusted." in first
    # The second is the document timestamp (poppler 22 lists it without checking it).
    assert "Signer Certificate Common Name: Portal Test Time Stamping Authority" in said


@needs_pdfsig
def test_poppler_refuses_a_changed_byte(pki, archived):
    tampered = bytearray(archived)
    tampered[10] ^= 0x01

    assert "Signature Validation: Signature is Valid." not in pdfsig(bytes(tampered), pki)


@needs_pdfsig
def test_poppler_does_not_trust_a_signer_outside_the_test_authority(pki, settings, unsigned_pdf):
    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.REPORTS_SELF_SIGNED = True  # the development certificate: no CA of ours
    settings.PDF_TIMESTAMP_URL = ""

    said = pdfsig(signing.sign_pdf(unsigned_pdf, reason="r", location="l"), pki)

    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate is Trusted." not in said


def test_archiving_and_accessibility_identification_survive_the_archival_updates(archived):
    reader = PdfReader(io.BytesIO(archived))
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()

    assert catalog.get("/Version", "/1.7") == "/1.7"  # PDF/A-2 and PDF/UA-1: PDF 1.7
    assert 'pdfaid:part="2"' in xmp and 'pdfuaid:part="1"' in xmp


def test_an_unreachable_timestamp_service_stops_signing(pki, settings, unsigned_pdf):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.PDF_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"

    with pytest.raises(signing.ArchivalSigningFailed, match="PORTAL_PDF_TIMESTAMP_URL|127.0.0.1"):
        signing.sign_pdf(unsigned_pdf, reason="r", location="l")


def test_a_chain_that_ends_in_no_trusted_root_stops_archival_signing(
    pki, settings, unsigned_pdf, tmp_path
):
    """A PKCS#12 file without its root and no PORTAL_PDF_TRUST_ROOTS: no revocation data
    could be trusted, so no archival signature is made."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, certificate, _chain = pkcs12.load_key_and_certificates(
        pki.signer_pkcs12.read_bytes(), b"test-pki"
    )
    (tmp_path / "alone.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"alone", key, certificate, None, serialization.BestAvailableEncryption(b"pw")
        )
    )
    settings.REPORTS_SIGNING_CERTIFICATE = str(tmp_path / "alone.p12")
    settings.REPORTS_SIGNING_PASSWORD = "pw"
    settings.PDF_TRUST_ROOTS = ""

    with pytest.raises(signing.ArchivalSigningFailed):
        signing.sign_pdf(unsigned_pdf, reason="r", location="l")


def test_check_warns_when_a_real_certificate_signs_without_a_timestamp_service(settings):
    settings.REPORTS_SIGNING_CERTIFICATE = "/etc/portal/signing.p12"
    settings.PDF_TIMESTAMP_URL = ""

    assert [warning.id for warning in timestamp_check()] == ["portal.W004"]


def test_check_is_quiet_with_a_timestamp_service_or_the_development_certificate(settings):
    settings.REPORTS_SIGNING_CERTIFICATE = "/etc/portal/signing.p12"
    settings.PDF_TIMESTAMP_URL = "https://tsa.example.nl/tsa"
    assert timestamp_check() == []

    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.PDF_TIMESTAMP_URL = ""
    settings.REPORTS_SELF_SIGNED = True
    assert timestamp_check() == []
