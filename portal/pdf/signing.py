"""Digital signatures on PDFs (compliance reports, personal certificates), with the
municipality's certificate (pyHanko).

The signature is PAdES (CMS, ETSI.CAdES.detached) in an invisible field, added as an
incremental update: the PDF/A and PDF/UA content made by WeasyPrint stays byte for
byte, and any standard PDF reader shows whether the file changed after signing.

Archival (PAdES B-LTA), when a timestamp service is configured (PORTAL_PDF_TIMESTAMP_URL):
the signature carries an RFC 3161 timestamp, the file a document security store (DSS)
with the certificate chains and their revocation data (CRL/OCSP, fetched at signing
time) and, last, a document timestamp over all of it. So the signature still verifies
after the signing certificate has expired or been revoked: the timestamps prove it was
made while the certificate was valid. The chains end in the trust roots: the
self-signed certificates in the PKCS#12 file and those in PORTAL_PDF_TRUST_ROOTS.
Signing then needs the timestamp service and the revocation services: when one cannot
be reached, signing fails (ArchivalSigningFailed) rather than make a weaker file
silently. Without a timestamp service: PAdES B-B (no timestamp; the signature time is
the signer's own clock), and `manage.py check` warns where a real certificate is used
(config/checks.py).

The certificate and its key come from a PKCS#12 file (PORTAL_REPORTS_SIGNING_CERTIFICATE,
its password PORTAL_REPORTS_SIGNING_PASSWORD). Without one, PORTAL_REPORTS_SELF_SIGNED
(development and tests) makes a self-signed certificate on first use, stored under
MEDIA_ROOT/signing/ and reused afterwards; otherwise signing fails with a message that
says which setting to set.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime
import io
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


class _FetchedBeforehand(logging.Filter):
    """pyHanko warns on every archival signature that it may not fetch revocation data
    itself: it is given all of it (``_revocation_data``), so the warning says nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_FetchedBeforehand())

FIELD_NAME = "Signature1"
SELF_SIGNED_DIRECTORY = "signing"
SELF_SIGNED_FILE = "self-signed.p12"
SELF_SIGNED_DAYS = 2 * 365


class SigningNotConfigured(ImproperlyConfigured):
    """No certificate to sign reports with."""


class ArchivalSigningFailed(Exception):
    """The timestamp service or the revocation data could not be had, or the chain of
    the signing certificate or the timestamp service ends in no trust root."""


# Seconds to wait for the timestamp service (each of the two requests).
TIMESTAMP_TIMEOUT = 10


def self_signed_path() -> Path:
    """Where the development certificate is kept."""
    return Path(settings.MEDIA_ROOT) / SELF_SIGNED_DIRECTORY / SELF_SIGNED_FILE


def _self_signed_password() -> bytes:
    # The file lies under MEDIA_ROOT, which the development server serves: encrypted
    # with a key derived from SECRET_KEY, a copy of it is of no use elsewhere.
    return (
        salted_hmac("portal.pdf.signing.self-signed", "pkcs12", algorithm="sha256")
        .hexdigest()
        .encode()
    )


def _make_self_signed() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    municipality = settings.PORTAL_MUNICIPALITY_NAME
    # RSA, not EC: pyHanko marks a file signed with ECDSA as PDF 2.0 (ISO 32002), which
    # PDF/A-2 and PDF/UA-1 (PDF 1.7) do not allow.
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{municipality} (development)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, municipality),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=SELF_SIGNED_DAYS))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=f"{municipality} (development)".encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(_self_signed_password()),
    )


def _store_once(path: Path, data: bytes) -> None:
    """Write the file with mode 0600, unless another process wrote it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # A link fails if the file exists: the first worker's certificate wins.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _self_signed() -> tuple[bytes, bytes]:
    path = self_signed_path()
    password = _self_signed_password()
    if path.exists() and _opens(path.read_bytes(), password):
        return path.read_bytes(), password
    if path.exists():
        # Made under another SECRET_KEY: a development certificate can be replaced.
        logger.warning("Replacing the self-signed certificate that cannot be opened: %s", path)
        path.unlink(missing_ok=True)
    else:
        logger.warning("Making a self-signed certificate for report signatures: %s", path)
    _store_once(path, _make_self_signed())
    return path.read_bytes(), password


def _opens(data: bytes, password: bytes | None) -> bool:
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        return False
    return True


def _pkcs12() -> tuple[bytes, bytes | None]:
    """The PKCS#12 data and its password, from settings or the development certificate."""
    configured = settings.REPORTS_SIGNING_CERTIFICATE
    if configured:
        try:
            data = Path(configured).read_bytes()
        except OSError as error:
            raise SigningNotConfigured(
                f"PORTAL_REPORTS_SIGNING_CERTIFICATE: cannot read {configured!r} ({error})."
            ) from error
        password = settings.REPORTS_SIGNING_PASSWORD
        return data, password.encode() if password else None
    if settings.REPORTS_SELF_SIGNED:
        return _self_signed()
    raise SigningNotConfigured(
        "PDF reports are signed with the municipality's certificate: set "
        "PORTAL_REPORTS_SIGNING_CERTIFICATE to the path of its PKCS#12 file (.p12/.pfx) and "
        "PORTAL_REPORTS_SIGNING_PASSWORD to its password, or, for development only, set "
        "PORTAL_REPORTS_SELF_SIGNED=true to use a self-signed certificate."
    )


_CANNOT_OPEN = (
    "The signing certificate cannot be opened: PORTAL_REPORTS_SIGNING_CERTIFICATE must be a "
    "PKCS#12 file with the key and the certificate, and PORTAL_REPORTS_SIGNING_PASSWORD its "
    "password."
)


def signing_certificate():
    """The certificate reports are signed with (a ``cryptography`` x509.Certificate):
    for the cover page (subject, fingerprint) and as the trust root in tests."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(*_pkcs12())
    except ValueError as error:
        raise SigningNotConfigured(_CANNOT_OPEN) from error
    if key is None or certificate is None:
        raise SigningNotConfigured(_CANNOT_OPEN)
    return certificate


def certificate_fingerprint(certificate) -> str:
    """SHA-256 of the certificate, as readers show it: "AB:CD:..."."""
    from cryptography.hazmat.primitives import hashes

    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def outside_event_loop(function, /, *args, **kwargs):
    """Call one of pyHanko's synchronous functions, which run ``asyncio.run()``: where
    this thread already runs an event loop (an ASGI server; Playwright in the browser
    tests), in a worker thread of its own instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def archival() -> bool:
    """Whether signatures are archival (PAdES B-LTA): a timestamp service is configured."""
    return bool(settings.PDF_TIMESTAMP_URL)


def trust_roots(signer=None) -> list:
    """The certificates (asn1crypto) that chains end in: those of
    PORTAL_PDF_TRUST_ROOTS and the self-signed ones in the PKCS#12 file."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    configured = settings.PDF_TRUST_ROOTS
    if configured:
        try:
            data = Path(configured).read_bytes()
        except OSError as error:
            raise SigningNotConfigured(
                f"PORTAL_PDF_TRUST_ROOTS: cannot read {configured!r} ({error})."
            ) from error
        if pem.detect(data):
            roots += [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, True)]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    if signer is not None:
        roots += [c for c in (signer.signing_cert, *signer.cert_registry) if c.self_signed != "no"]
    return roots


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with an invisible PAdES signature added as an incremental update: B-LTA
    when a timestamp service is configured (see the module's notes), otherwise B-B."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.general import SigningError
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.errors import (
        CRLFetchError,
        OCSPFetchError,
        PathBuildingError,
        PathValidationError,
    )

    data, password = _pkcs12()
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    except ValueError as error:
        raise SigningNotConfigured(_CANNOT_OPEN) from error
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    field_spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME)
    # No box: a widget with an empty rectangle, which PDF/A allows without an
    # appearance and PDF/UA does not count as content.
    options = {
        "field_name": FIELD_NAME,
        "reason": reason,
        "location": location,
        "md_algorithm": "sha256",
        "subfilter": fields.SigSeedSubFilter.PADES,
    }
    if not archival():
        output = outside_event_loop(
            signers.sign_pdf,
            writer,
            signers.PdfSignatureMetadata(**options),
            signer=signer,
            new_field_spec=field_spec,
        )
        return output.getvalue()

    timestamper = timestamps.HTTPTimeStamper(settings.PDF_TIMESTAMP_URL, timeout=TIMESTAMP_TIMEOUT)

    async def sign() -> io.BytesIO:
        ocsps, crls = await _revocation_data(signer, timestamper)
        # Revocation data for every certificate below the roots, fetched above: all
        # of it goes into the DSS (pyHanko's own fetching during signing keeps only
        # the timestamp service's).
        context = ValidationContext(
            trust_roots=trust_roots(signer),
            other_certs=list(signer.cert_registry),
            ocsps=ocsps,
            crls=crls,
            allow_fetching=False,
            revocation_mode="require",
        )
        metadata = signers.PdfSignatureMetadata(
            **options,
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=context,
        )
        return await signers.async_sign_pdf(
            writer, metadata, signer=signer, timestamper=timestamper, new_field_spec=field_spec
        )

    try:
        output = outside_event_loop(asyncio.run, sign())
    except (
        timestamps.TimestampRequestError,
        OCSPFetchError,
        CRLFetchError,
        PathBuildingError,
        PathValidationError,
        SigningError,
    ) as error:
        raise ArchivalSigningFailed(
            f"Archival signing failed (timestamp service {settings.PDF_TIMESTAMP_URL!r}, "
            f"revocation data, trust roots PORTAL_PDF_TRUST_ROOTS): {error}"
        ) from error
    return output.getvalue()


async def _revocation_data(signer, timestamper) -> tuple[list, list]:
    """OCSP responses and CRLs, fetched now, for the signing certificate, the timestamp
    service's certificate and the CAs between them and their roots: an OCSP response
    where the certificate names a responder, otherwise the CRLs it names."""
    from pyhanko_certvalidator.authority import AuthorityWithCert
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    # The timestamp service's certificates come with a timestamp: ask for one now
    # (pyHanko asks for it anyway, to know its size, and keeps it for that).
    response = await timestamper.async_dummy_response("sha256")
    certificates = {c.issuer_serial: c for c in (signer.signing_cert, *signer.cert_registry)}
    for choice in response["content"]["certificates"]:
        certificates.setdefault(choice.chosen.issuer_serial, choice.chosen)
    by_subject = {c.subject.hashable: c for c in certificates.values()}
    for root in trust_roots():
        by_subject.setdefault(root.subject.hashable, root)
    ocsps, crls = [], []
    async with AIOHttpFetcherBackend(per_request_timeout=TIMESTAMP_TIMEOUT) as fetchers:
        for certificate in certificates.values():
            if certificate.self_signed != "no":  # "yes" or "maybe": a root
                continue
            issuer = by_subject.get(certificate.issuer.hashable)
            if certificate.ocsp_urls and issuer is not None:
                ocsps.append(
                    await fetchers.ocsp_fetcher.fetch(certificate, AuthorityWithCert(issuer))
                )
            elif certificate.crl_distribution_points:
                crls += await fetchers.crl_fetcher.fetch(certificate)

    return ocsps, crls
