"""The Content-Security-Policy (config/csp.py, portal/csp.py): the header in production,
the nonce on every script and style element, form-action on the SSO pages, and no
template served to a browser that the policy would refuse."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from config.csp import content_security_policy, form_action_origins, origin_of

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# A page in production settings, through Django's test Client, in a process of its own
# (the accessibility statement needs no database). Static files are served unhashed: the
# manifest exists only after collectstatic.
_PRODUCTION_PAGE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get("/toegankelijkheid/", secure=True, HTTP_HOST="portal.voorbeeldstad.nl")
print(json.dumps({"status": response.status_code,
                  "policy": response.headers.get("Content-Security-Policy"),
                  "html": response.content.decode()}))
"""


@pytest.fixture(scope="module")
def production_page() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="portal.voorbeeldstad.nl",
        DATABASE_URL="sqlite://:memory:",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", _PRODUCTION_PAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _nonce(policy: str) -> str:
    found = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'", policy)
    assert found, policy
    return found.group(1)


def test_production_sends_the_strict_policy_and_no_nonce_to_a_page_without_scripts(
    production_page,
):
    """Django adds a nonce only when a template asks for one: a page with no script or
    style element of its own (the theme is a static file) gets none at all."""
    assert production_page["status"] == 200
    assert production_page["policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )
    assert not re.findall(r"<(?:script|style)\b", production_page["html"])


def _print_page(client, employee):
    from handbook.models import GuidelineVersion
    from quizzes.tests.factories import quiz_version

    version = GuidelineVersion.objects.first() or quiz_version(tips=1)
    client.force_login(employee)
    return client.get(
        reverse("handbook:print", kwargs={"guideline": "sociale-media", "number": version.number})
    )


@pytest.mark.django_db
def test_every_script_element_carries_the_nonce_of_its_response(client):
    from people.tests.factories import EmployeeFactory

    response = _print_page(client, EmployeeFactory())
    nonce = _nonce(response.headers["Content-Security-Policy"])
    tags = re.findall(r"<(?:script|style)\b[^>]*>", response.content.decode())

    assert any(tag.startswith("<script") for tag in tags)
    assert all(f'nonce="{nonce}"' in tag for tag in tags), tags


@pytest.mark.django_db
def test_the_nonce_differs_per_response(client):
    from people.tests.factories import EmployeeFactory

    employee = EmployeeFactory()
    first = _print_page(client, employee).headers["Content-Security-Policy"]
    second = _print_page(client, employee).headers["Content-Security-Policy"]

    assert _nonce(first) != _nonce(second)


# --------------------------------------------------------------------------- form-action


def _form_action(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(d for d in policy.split("; ") if d.startswith("form-action"))


def _oidc_app(server_url: str) -> SocialApp:
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="municipal",
        name="Gemeente-account",
        client_id="portal",
        secret="s",
        settings={"server_url": server_url},
    )


def test_the_login_page_lets_its_form_go_on_to_the_oidc_provider(client, db):
    _oidc_app("https://login.voorbeeldstad.nl/realms/gemeente")

    response = client.get(reverse("account_login"))

    assert _form_action(response) == "form-action 'self' https://login.voorbeeldstad.nl"


def test_the_login_page_lets_its_form_go_on_to_the_saml_provider(client, db):
    SocialApp.objects.create(
        provider="saml",
        provider_id="saml",
        name="SAML",
        client_id="gemeente",
        settings={
            "idp": {
                "entity_id": "https://idp.voorbeeldstad.nl/saml",
                "metadata_url": "https://idp.voorbeeldstad.nl:8443/metadata",
            }
        },
    )

    response = client.get(reverse("account_login"))

    assert _form_action(response) == "form-action 'self' https://idp.voorbeeldstad.nl:8443"


def test_other_pages_send_forms_only_to_the_portal(client, db):
    _oidc_app("https://login.voorbeeldstad.nl/realms/gemeente")

    response = client.get(reverse("accessibility"))

    assert _form_action(response) == "form-action 'self'"


def test_a_provider_url_that_would_add_a_directive_never_reaches_the_header(client, db):
    _oidc_app("https://login.voorbeeldstad.nl; script-src * 'unsafe-inline'")

    response = client.get(reverse("account_login"))
    policy = response.headers["Content-Security-Policy"]

    assert _form_action(response) == "form-action 'self'"
    assert "unsafe-inline" not in policy
    assert "script-src *" not in policy


@override_settings(SECURE_CSP=content_security_policy(form_action=["https://sso.example.nl"]))
def test_extra_form_action_origins_apply_to_every_page(client, db):
    response = client.get(reverse("accessibility"))

    assert _form_action(response) == "form-action 'self' https://sso.example.nl"


@pytest.mark.parametrize(
    "value",
    [
        "https://login.example.nl/path",
        "https://login.example.nl?x=1",
        "https://login.example.nl; script-src *",
        "https://a b.nl",
        "*",
        "javascript:alert(1)",
        "login.example.nl",
        "https://user:pw@login.example.nl",
    ],
)
def test_portal_csp_form_action_refuses_anything_but_an_origin(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_CSP_FORM_ACTION"):
        form_action_origins([value], name="PORTAL_CSP_FORM_ACTION")


def test_portal_csp_form_action_takes_origins_with_a_port():
    origins = form_action_origins(
        ["https://Login.Example.nl:8443/", "http://[::1]:9000"], name="PORTAL_CSP_FORM_ACTION"
    )

    assert origins == ["https://login.example.nl:8443", "http://[::1]:9000"]


def test_origin_of_ignores_what_is_not_a_web_address():
    assert origin_of("ftp://files.example.nl") is None
    assert origin_of("https://") is None
    assert origin_of("https://example.nl:99999") is None


# --------------------------------------------------------------------------- templates

# Not served to a browser, so no CSP applies: e-mails (mail programs need their styles
# inline) and the HTML that WeasyPrint turns into PDFs.
NOT_FOR_BROWSERS = (
    "*/email/*",
    "reports/pdf/*",
    "handbook/pdf.html",
    "acknowledgements/certificate.html",
    "acknowledgements/personal_data_pdf.html",
)
REFUSED = {
    "a style attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*="),
    "an inline event handler": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*="),
    "a <style> element without the nonce": re.compile(r"<style(?![^>]*csp_nonce_attr)[^>]*>"),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>"),
}


def _browser_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not any(path.relative_to(TEMPLATES).match(pattern) for pattern in NOT_FOR_BROWSERS)
    ]


@pytest.mark.parametrize("what", REFUSED)
def test_no_template_for_the_browser_has_what_the_policy_refuses(what):
    pattern = REFUSED[what]
    found = [
        str(path.relative_to(TEMPLATES))
        for path in _browser_templates()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]

    assert found == []


def test_the_template_check_sees_the_pages():
    names = {str(path.relative_to(TEMPLATES)) for path in _browser_templates()}

    assert {"base.html", "reports/report_detail.html", "handbook/print.html"} <= names
    assert "campaigns/email/reminder.html" not in names
