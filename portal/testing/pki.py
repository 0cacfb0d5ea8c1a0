"""A test certificate authority with a timestamp authority and revocation data, served
over real HTTP on 127.0.0.1, for the tests of archival PDF signatures (PAdES B-LTA).

    def test_something(settings):
        pki = running_pki()
        pki.configure(settings)        # signing certificate, trust root, TSA URL
        ...sign, then validate against pki.root...

The PKI is certomancer's (portal/testing/pki.yml): a root CA, the municipality's signing
certificate, a TSA and an OCSP responder; the root publishes a CRL and answers OCSP.
The keys are made for the run (nothing secret in the repository) and the validity
periods are relative to now: the signing certificate expires after
``SIGNER_VALID_DAYS``, so that a test can validate "after it expired". One PKI per test
process, started on first use and served by a daemon thread until the process ends.
"""

from __future__ import annotations

import atexit
import datetime
import functools
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CONFIG = Path(__file__).with_name("pki.yml")
ARCHITECTURE = "portal"
PKCS12_PASSWORD = "test-pki"  # noqa: S105 - a test PKI made for the run
SIGNER_VALID_DAYS = 365
CA_VALID_DAYS = 20 * 365
KEYS = ("root", "signer", "tsa", "ocsp")


@dataclass(frozen=True)
class TestPKI:
    url: str  # "http://127.0.0.1:PORT"
    directory: Path
    root_pem: Path  # the root CA certificate (PEM): the trust anchor
    signer_pkcs12: Path  # the signing certificate with its key and chain
    signer_not_after: datetime.datetime
    architecture: object  # certomancer's PKIArchitecture

    __test__ = False  # not a test class, whatever its name

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCHITECTURE}/tsa/tsa"

    @property
    def root(self):
        """The root CA certificate (asn1crypto), for pyHanko's validation context."""
        return self.architecture.get_cert("root")

    def configure(self, settings) -> None:
        """Point the portal's signing settings at this PKI (pytest-django ``settings``)."""
        settings.REPORTS_SIGNING_CERTIFICATE = str(self.signer_pkcs12)
        settings.REPORTS_SIGNING_PASSWORD = PKCS12_PASSWORD
        settings.REPORTS_SELF_SIGNED = False
        settings.PDF_TIMESTAMP_URL = self.tsa_url
        settings.PDF_TRUST_ROOTS = str(self.root_pem)


class _Dispatcher:
    """The WSGI application, set once the port (part of every URL in the certificates)
    is known."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _validity(days_before: int, days_after: int) -> dict[str, str]:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return {
        "valid-from": (now - datetime.timedelta(days=days_before)).isoformat(),
        "valid-to": (now + datetime.timedelta(days=days_after)).isoformat(),
    }


@functools.cache
def running_pki() -> TestPKI:
    """The running test PKI of this process (started on first call)."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line a request on stderr: no
            pass

    directory = Path(tempfile.mkdtemp(prefix="portal-test-pki-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    (directory / "keys").mkdir()
    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / "keys" / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    config = yaml.safe_load(CONFIG.read_text())
    certs = config["pki-architectures"][ARCHITECTURE]["certs"]
    for label, spec in certs.items():
        days = SIGNER_VALID_DAYS if label == "signer" else CA_VALID_DAYS
        spec["validity"] = _validity(1, days)

    dispatcher = _Dispatcher()
    server = make_server("127.0.0.1", 0, dispatcher, threaded=False, request_handler=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    certomancer = CertomancerConfig(config, key_search_dir=str(directory), external_url_prefix=url)
    architecture = certomancer.get_pki_arch(ARCHITECTURE)

    class WholeSeconds(Animator):
        # NSS (poppler's pdfsig) cannot read times with fractions of a second in OCSP
        # responses: it would call the certificate "unknown issue".
        def at_time(self, request):
            return super().at_time(request).replace(microsecond=0)

    dispatcher.app = WholeSeconds(
        AnimatorArchStore({ARCHITECTURE: architecture}), with_web_ui=False
    )
    threading.Thread(target=server.serve_forever, name="test-pki", daemon=True).start()

    root_pem = directory / "root.pem"
    root_pem.write_bytes(_pem(architecture.get_cert("root").dump()))
    signer_pkcs12 = directory / "signer.p12"
    signer_pkcs12.write_bytes(
        architecture.package_pkcs12(
            "signer", certs_to_embed=["root"], password=PKCS12_PASSWORD.encode()
        )
    )
    signer = architecture.get_cert("signer")
    return TestPKI(
        url=url,
        directory=directory,
        root_pem=root_pem,
        signer_pkcs12=signer_pkcs12,
        signer_not_after=signer.not_valid_after,
        architecture=architecture,
    )


def _pem(der: bytes) -> bytes:
    from cryptography import x509

    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def lta_validation(pdf: bytes, pki: TestPKI, *, at: datetime.datetime | None = None):
    """pyHanko's PAdES B-LTA validation (ETSI EN 319 102-1, 5.6.3) of the file's
    signature, trusting only the test root and using only what the file carries: no
    revocation data is fetched, and every certificate needs some. ``at``: validate at
    that future moment instead of now, as if the document timestamps had been renewed
    until then (pyHanko's simulation): the signing certificate may have expired by then.
    Returns pyHanko's AdESLTAValidationResult."""
    import asyncio
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import ades
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import (
        CertRevTrustPolicy,
        RevocationCheckingPolicy,
        RevocationCheckingRule,
    )
    from pyhanko_certvalidator.registry import SimpleTrustManager

    from portal.pdf.signing import outside_event_loop

    required = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=[pki.root]),
                revinfo_policy=CertRevTrustPolicy(
                    RevocationCheckingPolicy(
                        ee_certificate_rule=required, intermediate_ca_cert_rule=required
                    )
                ),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    [embedded] = list(PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures)
    if at is None:
        coroutine = ades.ades_lta_validation(embedded, spec)
    else:
        coroutine = ades.simulate_future_ades_lta_validation(embedded, spec, at)
    return outside_event_loop(asyncio.run, coroutine)


def pdfsig_missing() -> bool:
    """Whether poppler's pdfsig or NSS's certutil is missing (scripts/system-deps.sh
    installs both for the tests)."""
    return shutil.which("pdfsig") is None or shutil.which("certutil") is None


def pdfsig(pdf: bytes, pki: TestPKI) -> str:
    """What poppler's pdfsig says of the file, with the test root as the only trusted
    certificate authority (a fresh NSS database) and revocation checked online (OCSP)."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="portal-pdfsig-") as directory:
        nss = Path(directory) / "nss"
        nss.mkdir()
        run = functools.partial(subprocess.run, capture_output=True, text=True, check=True)
        run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"])
        run(
            [
                "certutil", "-A", "-d", f"sql:{nss}", "-n", "Portal Test Root CA",
                "-t", "CT,C,C", "-i", str(pki.root_pem),
            ]
        )  # fmt: skip
        path = Path(directory) / "signed.pdf"
        path.write_bytes(pdf)
        command = ["pdfsig", "-nssdir", str(nss), str(path)]
        # Fixed commands from the PATH (scripts/system-deps.sh), on our own files.
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        return completed.stdout
