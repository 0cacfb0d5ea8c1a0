"""Single sign-on journeys through a real OpenID Connect provider.

The provider is the npm package ``oidc-provider`` (a certified implementation), run by
``node e2e/oidc/provider.mjs`` on 127.0.0.1 for the length of a test, with its own
log-in and consent pages (devInteractions). Those pages are not the portal's and are not
checked with axe-core; every portal page on the way is.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
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

pytestmark = pytest.mark.e2e

PROVIDER_SCRIPT = Path(settings.BASE_DIR) / "e2e" / "oidc" / "provider.mjs"
CLIENT_ID = "richtlijnenportaal"
CLIENT_SECRET = "e2e-client-secret-not-a-real-one"
PROVIDER_ID = "municipal"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oidc_provider(live_server, transactional_db):
    """Start a provider whose one account has the given claims; configure the portal's
    SocialApp (as an administrator would in the admin) with its issuer. Returns the issuer."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the SSO journeys (apt-get install nodejs).")
    if not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").exists():
        pytest.fail("node_modules/oidc-provider is missing: run `npm ci` (make test does).")
    processes: list[subprocess.Popen] = []

    def start(*, email: str = "", employee_number: str = "", amr: str = "") -> str:
        from allauth.socialaccount.models import SocialApp

        port = _free_port()
        issuer = f"http://127.0.0.1:{port}"
        callback = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
        env = {
            "PATH": os.environ.get("PATH", ""),
            "NODE_ENV": "development",
            "OIDC_PORT": str(port),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_REDIRECT_URI": f"{live_server.url}{callback}",
            "OIDC_SUB": f"sub-{email or employee_number}",
            "OIDC_EMAIL": email,
            "OIDC_EMPLOYEE_NUMBER": employee_number,
            "OIDC_AMR": amr,
        }
        process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        wait_until_served(
            f"{issuer}/.well-known/openid-configuration",
            process,
            what="OpenID Connect provider",
            timeout=20,
        )
        SocialApp.objects.create(
            provider="openid_connect",
            provider_id=PROVIDER_ID,
            name="Gemeente-account",
            client_id=CLIENT_ID,
            secret=CLIENT_SECRET,
            settings={"server_url": issuer},
        )
        return issuer

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _log_in_at_the_provider(page, issuer: str) -> None:
    """Click the portal's SSO button, then sign in and consent on the provider's pages."""
    visit(page, reverse("account_login"))
    button = page.get_by_role("button", name=re.compile("municipal account|gemeenteaccount", re.I))
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(re.compile(re.escape(issuer) + r"/interaction/"))
    page.wait_for_load_state("load")
    skip_axe_for_this_page(page, "the identity provider's log-in page is not the portal's")
    page.locator("input[name=login]").fill("whoever")
    page.locator("input[name=password]").fill("anything")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    if page.url.startswith(issuer):
        skip_axe_for_this_page(page, "the identity provider's consent page is not the portal's")
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: not url.startswith(issuer))
    page.wait_for_load_state("load")
    axe_check(page)


def test_employee_logs_in_with_the_municipal_account_matched_by_email(
    page, live_server, employee, oidc_provider
):
    issuer = oidc_provider(email=employee.email.upper(), employee_number="")

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("home"), page.url
    assert is_logged_in(page)
    expect(page.locator("h1")).to_contain_text("Jan")
    assert employee.socialaccount_set.filter(provider=PROVIDER_ID).exists()


def test_employee_is_matched_by_employee_number(page, live_server, employee, oidc_provider):
    issuer = oidc_provider(
        email="j.jansen@elders.example", employee_number=employee.employee_number
    )

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("home"), page.url
    expect(page.locator("h1")).to_contain_text("Jan")


def test_unknown_person_is_refused_and_told_whom_to_contact(page, live_server, oidc_provider):
    from people.models import Employee

    issuer = oidc_provider(email="onbekend@voorbeeldstad.nl", employee_number="999999")

    _log_in_at_the_provider(page, issuer)

    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(settings.PORTAL_SUPPORT_CONTACT)
    assert not is_logged_in(page)
    assert not Employee.objects.filter(email__iexact="onbekend@voorbeeldstad.nl").exists()


def test_hr_whose_provider_asserts_mfa_needs_no_totp(page, live_server, hr_employee, oidc_provider):
    issuer = oidc_provider(email=hr_employee.email, amr="pwd,mfa")

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("home"), page.url
    # An HR page, which without a second factor would send them to set up TOTP.
    visit(page, reverse("campaigns:list"))
    assert path_of(page) == reverse("campaigns:list"), page.url


def test_hr_without_mfa_from_the_provider_must_set_up_totp(
    page, live_server, hr_employee, oidc_provider
):
    issuer = oidc_provider(email=hr_employee.email, amr="pwd")

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("mfa_activate_totp"), page.url


def test_hr_with_totp_but_no_mfa_from_the_provider_must_enter_a_code(
    page, live_server, hr_with_totp, oidc_provider
):
    hr_employee, _secret = hr_with_totp
    issuer = oidc_provider(email=hr_employee.email, amr="pwd")

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("mfa_authenticate"), page.url


def test_hr_with_totp_whose_provider_asserts_mfa_is_not_asked_for_a_code(
    page, live_server, hr_with_totp, oidc_provider
):
    hr_employee, _secret = hr_with_totp
    issuer = oidc_provider(email=hr_employee.email, amr="mfa")

    _log_in_at_the_provider(page, issuer)

    assert path_of(page) == reverse("home"), page.url
    assert is_logged_in(page)
