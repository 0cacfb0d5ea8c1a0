"""Report PDFs are signed with the municipality's certificate (pyHanko, PAdES): the
signature validates against that certificate, breaks when one byte of the file
changes, and keeps the PDF/A and PDF/UA identification. In development a self-signed
certificate is made once; without either, signing refuses with a clear message. With a
timestamp service, a real report is archival (PAdES B-LTA) and still validates after the
signing certificate has expired."""

import datetime
import hashlib
import io
import shutil
import socket
import stat
import subprocess

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.pdf import render_pdf, signing
from portal.testing.pki import lta_validation, pdfsig, pdfsig_missing, running_pki
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation

HTML = """<!doctype html><html lang="en"><head><title>Test report</title></head>
<body><h1>Test report</h1><p>Twelve employees signed.</p></body></html>"""


@pytest.fixture
def unsigned_pdf() -> bytes:
    return render_pdf(HTML, language="en", title="Test report", archival=True)


@pytest.fixture
def development(settings):
    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.REPORTS_SIGNING_PASSWORD = ""
    settings.REPORTS_SELF_SIGNED = True
    return settings


def signature_status(pdf: bytes, certificate: x509.Certificate):
    """pyHanko's verdict on the file's only signature, trusting just ``certificate``."""
    [embedded] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root])
    return embedded, signing.outside_event_loop(validate_pdf_signature, embedded, context)


def make_pkcs12(path, *, password: bytes, common_name: str) -> x509.Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, certificate, None, serialization.BestAvailableEncryption(password)
        )
    )
    return certificate


def test_the_signature_validates_against_the_signing_certificate(development, unsigned_pdf):
    signed = signing.sign_pdf(unsigned_pdf, reason="Compliance report NR-1", location="Here")

    embedded, status = signature_status(signed, signing.signing_certificate())

    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert embedded.sig_object["/Reason"] == "Compliance report NR-1"
    assert embedded.sig_object["/Location"] == "Here"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_signature_is_an_incremental_update_of_the_rendered_file(development, unsigned_pdf):
    signed = signing.sign_pdf(unsigned_pdf, reason="r", location="l")

    assert signed.startswith(unsigned_pdf)


def test_one_changed_byte_breaks_the_signature(development, unsigned_pdf):
    signed = bytearray(signing.sign_pdf(unsigned_pdf, reason="r", location="l"))
    # The binary comment on the PDF's second line: inside the signed range, and the
    # file still parses, so it is the signature that must notice.
    assert signed[9:10] == b"%"
    signed[10] ^= 0x01

    _embedded, status = signature_status(bytes(signed), signing.signing_certificate())

    assert not status.intact
    assert not status.bottom_line


def test_archiving_and_accessibility_identification_survive_signing(development, unsigned_pdf):
    reader = PdfReader(io.BytesIO(signing.sign_pdf(unsigned_pdf, reason="r", location="l")))
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()

    assert reader.pdf_header == "%PDF-1.7"
    assert catalog.get("/Version", "/1.7") == "/1.7"  # PDF/A-2 and PDF/UA-1: PDF 1.7
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert "http://www.aiim.org/pdfua/ns/id/" in xmp  # its extension schema, for PDF/A
    assert catalog["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    # PDF/A: the info dictionary's producer is XMP's.
    producer = reader.metadata["/Producer"]
    assert f'pdf:Producer="{producer}"' in xmp


def test_the_self_signed_certificate_is_made_once_and_reused(
    development, unsigned_pdf, monkeypatch
):
    made = []
    make = signing._make_self_signed
    monkeypatch.setattr(signing, "_make_self_signed", lambda: made.append(1) or make())

    first = signing.signing_certificate()
    signing.sign_pdf(unsigned_pdf, reason="r", location="l")
    again = signing.signing_certificate()

    assert len(made) == 1
    assert again == first
    path = signing.self_signed_path()
    assert path.parent.name == "signing"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    name = development.PORTAL_MUNICIPALITY_NAME
    assert first.subject.rfc4514_string() == f"O={name},CN={name} (development)"
    usage = first.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    lifetime = first.not_valid_after_utc - first.not_valid_before_utc
    assert datetime.timedelta(days=729) < lifetime < datetime.timedelta(days=731)


def test_a_certificate_configured_in_the_settings_is_used(settings, tmp_path, unsigned_pdf):
    configured = make_pkcs12(
        tmp_path / "gemeente.p12", password=b"geheim", common_name="Gemeente Voorbeeldstad"
    )
    settings.REPORTS_SIGNING_CERTIFICATE = str(tmp_path / "gemeente.p12")
    settings.REPORTS_SIGNING_PASSWORD = "geheim"
    settings.REPORTS_SELF_SIGNED = True  # not needed: the configured one comes first

    signed = signing.sign_pdf(unsigned_pdf, reason="r", location="l")

    assert signing.signing_certificate() == configured
    embedded, status = signature_status(signed, configured)
    assert status.bottom_line
    assert embedded.signer_cert.dump() == configured.public_bytes(serialization.Encoding.DER)
    assert not signing.self_signed_path().exists()


def test_a_wrong_password_says_which_settings_to_check(settings, tmp_path, unsigned_pdf):
    make_pkcs12(tmp_path / "gemeente.p12", password=b"geheim", common_name="Gemeente")
    settings.REPORTS_SIGNING_CERTIFICATE = str(tmp_path / "gemeente.p12")
    settings.REPORTS_SIGNING_PASSWORD = "fout"

    with pytest.raises(signing.SigningNotConfigured, match="PORTAL_REPORTS_SIGNING_PASSWORD"):
        signing.sign_pdf(unsigned_pdf, reason="r", location="l")


def test_without_a_certificate_signing_refuses_clearly(settings, unsigned_pdf):
    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.REPORTS_SELF_SIGNED = False

    with pytest.raises(
        signing.SigningNotConfigured, match="set PORTAL_REPORTS_SIGNING_CERTIFICATE"
    ):
        signing.sign_pdf(unsigned_pdf, reason="r", location="l")
    with pytest.raises(signing.SigningNotConfigured, match="PORTAL_REPORTS_SELF_SIGNED"):
        signing.signing_certificate()
    assert not signing.self_signed_path().exists()


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_poppler_agrees(development, unsigned_pdf, tmp_path):
    """An independent reader: poppler's pdfsig checks the digest as PDF readers do."""
    signed = signing.sign_pdf(unsigned_pdf, reason="r", location="l")
    (tmp_path / "signed.pdf").write_bytes(signed)
    tampered = bytearray(signed)
    tampered[10] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(bytes(tampered))

    def pdfsig(name: str) -> str:
        command = ["pdfsig", str(tmp_path / name)]
        completed = subprocess.run(  # noqa: S603 - fixed command, our own file
            command, capture_output=True, text=True, check=False
        )
        return completed.stdout

    assert "Signature is Valid." in pdfsig("signed.pdf")
    assert "Total document signed" in pdfsig("signed.pdf")
    assert "Signature is Valid." not in pdfsig("tampered.pdf")


# --- Archival (PAdES B-LTA) on a real report, against the test PKI (portal/testing/pki.py)


@pytest.fixture
def test_pki(settings):
    pki = running_pki()
    pki.configure(settings)
    return pki


def made_report() -> tuple[Report, bytes]:
    """A compliance report on a guideline version, made as the worker makes it."""
    version = quiz_version(tips=2)
    signer = EmployeeFactory(employee_number="P0001")
    EmployeeFactory(employee_number="P0002")
    signed(signer, ready_to_sign(signer, version))
    report = services.request_report(version=version, language="en", enqueue=False)
    try:
        report = generation.generate(report_id=report.pk)
    except signing.ArchivalSigningFailed:
        report.refresh_from_db()
        return report, b""
    with report.file.open("rb") as handle:
        return report, handle.read()


@pytest.mark.django_db
def test_a_compliance_report_validates_as_pades_b_lta(test_pki):
    report, pdf = made_report()

    result = lta_validation(pdf, test_pki)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    [embedded] = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures
    assert embedded.sig_object["/Reason"] == f"Compliance report {report.number}"
    # The stored hash is of the archival file, the one that is downloaded.
    assert report.file_sha256 == hashlib.sha256(pdf).hexdigest()


@pytest.mark.django_db
def test_a_compliance_report_still_validates_after_the_signing_certificate_expired(test_pki):
    _report, pdf = made_report()
    later = test_pki.signer_not_after + datetime.timedelta(days=30)

    result = lta_validation(pdf, test_pki, at=later)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg


@pytest.mark.skipif(pdfsig_missing(), reason="poppler's pdfsig or NSS's certutil is missing")
@pytest.mark.django_db
def test_poppler_finds_the_reports_signature_valid_and_trusted(test_pki):
    _report, pdf = made_report()

    said = pdfsig(pdf, test_pki).split("Signature #2:")[0]

    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate is Trusted." in said


@pytest.mark.django_db
def test_a_report_fails_visibly_when_the_timestamp_service_is_down(test_pki, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.PDF_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"

    report, _pdf = made_report()

    assert report.status == Report.Status.FAILED
    assert "ArchivalSigningFailed" in report.error and str(port) in report.error
    assert not report.file
