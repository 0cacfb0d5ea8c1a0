"""Single sign-on journeys through a real SAML 2.0 identity provider.

The identity provider is pysaml2's IdP (``saml2.server.Server``, signing with xmlsec1),
run by ``python e2e/saml/idp.py`` on 127.0.0.1 with a key and certificate made for the
test run; the portal is configured as ``saml_apps`` builds it from the environment
(PORTAL_SAML_IDP_METADATA_URL, PORTAL_SAML_IDP_ENTITY_ID) and reads the IdP's metadata
(and so its certificate) from the IdP. The IdP's own log-in page is not the portal's and
is not checked with axe-core; every portal page on the way is.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import (
    axe_check,
    is_logged_in,
    path_of,
    skip_axe_for_this_page,
    visit,
    wait_until_served,
)
from e2e.totp import current_code

pytestmark = pytest.mark.e2e

IDP_SCRIPT = Path(django_settings.BASE_DIR) / "e2e" / "saml" / "idp.py"
ORGANIZATION = "gemeente"
EMAIL = "urn:oid:0.9.2342.19200300.100.1.3"
EMPLOYEE_NUMBER = "urn:oid:2.16.840.1.113730.3.1.3"  # employeeNumber (inetOrgPerson)
PASSWORD_ONLY = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
TWO_FACTOR = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def saml_idp_keys(tmp_path_factory) -> tuple[Path, Path]:
    """The IdP's signing key and self-signed certificate, made for this test run."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-IdP e2e")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("saml-idp")
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def saml_idp(live_server, transactional_db, settings, saml_idp_keys, request):
    """Start an IdP whose accounts are ``users`` ({user name: (attributes,
    AuthnContextClassRef)}) and configure the portal for it; returns the IdP's address.
    The IdP is stopped after the test, however it ends."""
    from config.sso import saml_apps

    if shutil.which("xmlsec1") is None:
        pytest.fail("xmlsec1 is needed for the SAML journeys (apt-get install xmlsec1).")
    key_file, cert_file = saml_idp_keys

    def start(users: dict[str, tuple[dict[str, list[str]], str]]) -> str:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        metadata = reverse("saml_metadata", kwargs={"organization_slug": ORGANIZATION})
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SAML_IDP_PORT": str(port),
            "SAML_IDP_KEY_FILE": str(key_file),
            "SAML_IDP_CERT_FILE": str(cert_file),
            "SAML_IDP_SP_METADATA_URL": f"{live_server.url}{metadata}",
            "SAML_IDP_USERS": json.dumps(
                {
                    name: {"attributes": attributes, "authn_context": context}
                    for name, (attributes, context) in users.items()
                }
            ),
        }
        process = subprocess.Popen(
            [sys.executable, str(IDP_SCRIPT)],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        request.addfinalizer(lambda: _stop(process))
        wait_until_served(f"{base}/metadata", process, what="SAML identity provider", timeout=30)
        providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
        providers["saml"]["APPS"] = saml_apps(
            idp_metadata_url=f"{base}/metadata",
            idp_entity_id=f"{base}/metadata",
            sp_entity_id="",
            name="Gemeente-account (SAML)",
            employee_number_attribute=EMPLOYEE_NUMBER,
            organization_slug=ORGANIZATION,
        )
        settings.SOCIALACCOUNT_PROVIDERS = providers
        settings.PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE = EMPLOYEE_NUMBER
        return base

    return start


def _log_in_at_the_idp(page, idp: str, user: str) -> None:
    """Click the portal's SSO button and sign in at the IdP as ``user``; stops on the
    first portal page after the IdP (checked with axe-core)."""
    visit(page, reverse("account_login"))
    button = page.get_by_role("button", name=re.compile("municipal account|gemeenteaccount", re.I))
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(re.compile(re.escape(idp) + r"/sso/redirect"))
    page.wait_for_load_state("load")
    skip_axe_for_this_page(page, "the identity provider's log-in page is not the portal's")
    page.locator("#username").fill(user)
    page.locator("#password").fill("wat-dan-ook")
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: not url.startswith(idp))
    page.wait_for_load_state("load")
    # The IdP's page that posts the assertion to the portal submits itself on load.
    tracker = page._e2e_tracker
    tracker.exempt.update(doc for doc, url in tracker.loaded.items() if url.startswith(idp))
    axe_check(page)


def _person(email: str = "", number: str = "", *, verified: bool = True) -> dict:
    attributes: dict[str, list[str]] = {}
    if email:
        attributes[EMAIL] = [email]
        if verified:
            attributes["email_verified"] = ["true"]
    if number:
        attributes[EMPLOYEE_NUMBER] = [number]
    return attributes


# --------------------------------------------------------------------------- who gets in


def test_first_saml_login_links_the_employee_matched_by_verified_email(
    page, live_server, employee, saml_idp
):
    idp = saml_idp({"jan": (_person(employee.email.upper()), PASSWORD_ONLY)})

    _log_in_at_the_idp(page, idp, "jan")

    assert path_of(page) == reverse("home"), page.url
    assert is_logged_in(page)
    expect(page.locator("h1")).to_contain_text("Jan")
    account = employee.socialaccount_set.get(provider="saml")
    assert account.uid == "id-jan"


def test_saml_login_is_matched_by_the_employee_number_attribute(
    page, live_server, employee, saml_idp
):
    attributes = _person("j.jansen@elders.example", employee.employee_number, verified=False)
    idp = saml_idp({"jan": (attributes, PASSWORD_ONLY)})

    _log_in_at_the_idp(page, idp, "jan")

    assert path_of(page) == reverse("home"), page.url
    expect(page.locator("h1")).to_contain_text("Jan")


def test_unknown_person_is_refused_by_the_portals_refusal_page(page, live_server, saml_idp):
    from people.models import Employee

    idp = saml_idp({"onbekend": (_person("onbekend@voorbeeldstad.nl", "999999"), PASSWORD_ONLY)})

    _log_in_at_the_idp(page, idp, "onbekend")

    expect(page.locator("h1")).to_have_text("Je kunt hier nog niet inloggen")
    expect(page.locator("main")).to_contain_text(django_settings.PORTAL_SUPPORT_CONTACT)
    assert not is_logged_in(page)
    assert not Employee.objects.filter(email__iexact="onbekend@voorbeeldstad.nl").exists()


def test_an_unverified_email_attribute_does_not_link_someone_elses_account(
    page, live_server, hr_employee, saml_idp
):
    """An IdP account whose (unverified) address was set to HR's does not become HR."""
    idp = saml_idp({"indringer": (_person(hr_employee.email, verified=False), PASSWORD_ONLY)})

    _log_in_at_the_idp(page, idp, "indringer")

    expect(page.locator("h1")).to_have_text("Je kunt hier nog niet inloggen")
    assert not is_logged_in(page)
    assert not hr_employee.socialaccount_set.exists()


# --------------------------------------------------------------------------- second factor


def test_hr_without_totp_must_set_it_up_after_a_saml_login(
    page, live_server, hr_employee, saml_idp
):
    idp = saml_idp({"hanna": (_person(hr_employee.email), TWO_FACTOR)})

    _log_in_at_the_idp(page, idp, "hanna")

    # No trusted assurance configured (the default): the provider's word is not enough.
    assert path_of(page) == reverse("mfa_activate_totp"), page.url


def test_administrator_with_totp_enters_the_portals_code_after_an_untrusted_saml_login(
    page, live_server, saml_idp, settings
):
    from e2e.totp import activate_totp
    from people.tests.factories import EmployeeFactory

    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    admin = EmployeeFactory(email="ad.beheer@voorbeeldstad.nl", administrator=True)
    secret = activate_totp(admin)
    idp = saml_idp({"ad": (_person(admin.email), PASSWORD_ONLY)})

    _log_in_at_the_idp(page, idp, "ad")

    assert path_of(page) == reverse("mfa_authenticate"), page.url
    assert not is_logged_in(page)
    page.locator("#id_code").fill(current_code(secret))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    axe_check(page)
    assert path_of(page) == reverse("home"), page.url
    assert is_logged_in(page)


def test_a_trusted_saml_assurance_skips_the_portals_totp_step(
    page, live_server, hr_with_totp, saml_idp, settings
):
    hr_employee, _secret = hr_with_totp
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    idp = saml_idp({"hanna": (_person(hr_employee.email), TWO_FACTOR)})

    _log_in_at_the_idp(page, idp, "hanna")

    assert path_of(page) == reverse("home"), page.url
    assert is_logged_in(page)
    # An HR page, served only in a session that counts as two-factor.
    visit(page, reverse("campaigns:list"))
    assert path_of(page) == reverse("campaigns:list"), page.url


def test_a_trusted_saml_assurance_also_spares_hr_without_totp_its_set_up(
    page, live_server, hr_employee, saml_idp, settings
):
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    idp = saml_idp({"hanna": (_person(hr_employee.email), TWO_FACTOR)})

    _log_in_at_the_idp(page, idp, "hanna")

    visit(page, reverse("campaigns:list"))
    assert path_of(page) == reverse("campaigns:list"), page.url


def test_an_assurance_raised_in_the_browser_breaks_the_signature_and_is_refused(
    page, live_server, hr_with_totp, saml_idp, settings
):
    """The person logging in edits the assertion on its way to the portal, claiming the
    trusted AuthnContextClassRef: the signature no longer holds and nobody is logged in."""
    hr_employee, _secret = hr_with_totp
    settings.PORTAL_SAML_MFA_AUTHN_CONTEXTS = [TWO_FACTOR]
    idp = saml_idp({"hanna": (_person(hr_employee.email), PASSWORD_ONLY)})
    acs = reverse("saml_acs", kwargs={"organization_slug": ORGANIZATION})
    tampered = []

    def raise_the_assurance(route):
        form = {key: values[0] for key, values in parse_qs(route.request.post_data).items()}
        xml = base64.b64decode(form["SAMLResponse"]).decode()
        assert PASSWORD_ONLY in xml
        form["SAMLResponse"] = base64.b64encode(
            xml.replace(PASSWORD_ONLY, TWO_FACTOR).encode()
        ).decode()
        tampered.append(True)
        route.continue_(post_data=urlencode(form))

    page.route(f"**{acs}", raise_the_assurance)

    _log_in_at_the_idp(page, idp, "hanna")

    assert tampered
    # The portal's page for an answer of the identity provider it cannot accept.
    expect(page.locator("h1")).to_have_text("Inloggen met je gemeenteaccount is niet gelukt")
    expect(page.get_by_role("link", name="Naar de inlogpagina")).to_be_visible()
    assert not is_logged_in(page)
    assert path_of(page) not in {reverse("home"), reverse("mfa_authenticate")}, page.url
    visit(page, reverse("campaigns:list"))
    assert path_of(page) == reverse("account_login"), page.url


def test_a_captured_assertion_cannot_be_replayed_in_another_browser(
    page, second_page, live_server, employee, saml_idp
):
    """Someone who copied the signed response (from a proxy log, a shared screen) posts it
    to the portal from their own browser: it answers a request of another session."""
    idp = saml_idp({"jan": (_person(employee.email), PASSWORD_ONLY)})
    acs = reverse("saml_acs", kwargs={"organization_slug": ORGANIZATION})
    captured: dict[str, str] = {}

    def capture(route):
        captured.update({k: v[0] for k, v in parse_qs(route.request.post_data).items()})
        route.continue_()

    page.route(f"**{acs}", capture)
    _log_in_at_the_idp(page, idp, "jan")
    assert is_logged_in(page)

    reply = second_page.request.post(f"{live_server.url}{acs}", form=captured)

    assert reply.status == 403
    visit(second_page, reverse("home"))
    assert not is_logged_in(second_page)


def test_an_idp_initiated_login_is_refused(page, live_server, employee, saml_idp):
    """A signed assertion that answers no request of this browser (sent to the victim's
    browser to log them in as someone else, or replayed) logs nobody in."""
    idp = saml_idp({"jan": (_person(employee.email), PASSWORD_ONLY)})

    page.goto(f"{idp}/idp-initiated?username=jan")
    page.wait_for_url(lambda url: not url.startswith(idp))
    page.wait_for_load_state("load")
    tracker = page._e2e_tracker
    tracker.exempt.update(doc for doc, url in tracker.loaded.items() if url.startswith(idp))
    axe_check(page)

    expect(page.locator("h1")).to_have_text("Inloggen met je gemeenteaccount is niet gelukt")
    expect(page.get_by_role("link", name="Naar de inlogpagina")).to_be_visible()
    assert not is_logged_in(page)
    assert not employee.socialaccount_set.exists()
