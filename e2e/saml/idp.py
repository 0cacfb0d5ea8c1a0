"""A SAML 2.0 identity provider for the browser journeys, built on pysaml2's IdP
(``saml2.server.Server``), served on 127.0.0.1 by the standard library's WSGI server.

Run by the ``saml_idp`` fixture (e2e/test_saml_journey.py) as
``python e2e/saml/idp.py`` with these environment variables:

    SAML_IDP_PORT              the port to listen on (127.0.0.1)
    SAML_IDP_KEY_FILE          the signing key (PEM), made at test time
    SAML_IDP_CERT_FILE         its certificate (PEM), published in the metadata
    SAML_IDP_SP_METADATA_URL   the portal's SAML metadata, read at each log-in
    SAML_IDP_USERS             JSON: {"user name": {"attributes": {name: [values]},
                               "authn_context": "<AuthnContextClassRef>"}}

Pages: GET /metadata (the IdP's metadata), GET /sso/redirect (the AuthnRequest by the
HTTP-Redirect binding: a log-in form), POST /login (the signed assertion to the portal's
assertion consumer service by the HTTP-POST binding), GET /idp-initiated?username=...
(a signed assertion that answers no request: IdP-initiated log-in). Any password is
accepted: who logs in is chosen by the user name, so one journey can log in as different
people.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socketserver
import sys
import urllib.request
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

PORT = int(os.environ["SAML_IDP_PORT"])
BASE = f"http://127.0.0.1:{PORT}"
ENTITY_ID = f"{BASE}/metadata"
USERS: dict[str, dict] = json.loads(os.environ.get("SAML_IDP_USERS") or "{}")


def _config(sp_metadata: str | None = None) -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": ENTITY_ID,
            "service": {
                "idp": {
                    "name": "Test-IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": os.environ["SAML_IDP_KEY_FILE"],
            "cert_file": os.environ["SAML_IDP_CERT_FILE"],
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
            "allow_unknown_attributes": True,
        }
    )
    return config


def _page(title: str, body: str, status: str = "200 OK") -> tuple[str, str]:
    document = (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )
    return status, document


def _login_form(saml_request: str, relay_state: str) -> tuple[str, str]:
    return _page(
        "Test-IdP: inloggen",
        '<form method="post" action="/login">'
        f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<p><label for="username">Gebruikersnaam</label> '
        '<input id="username" name="username" autocomplete="username"></p>'
        '<p><label for="password">Wachtwoord</label> '
        '<input id="password" name="password" type="password"></p>'
        '<button type="submit">Inloggen</button></form>',
    )


def _server() -> Server:
    """pysaml2's IdP, knowing the portal from the portal's current metadata."""
    with urllib.request.urlopen(os.environ["SAML_IDP_SP_METADATA_URL"], timeout=10) as reply:  # noqa: S310 - the local portal
        return Server(config=_config(reply.read().decode()))


def _signed_response(server: Server, username: str, args: dict, relay_state: str) -> str:
    """The signed assertion for ``username`` in an auto-submitting POST form."""
    user = USERS[username]
    response = server.create_authn_response(
        identity=user.get("attributes", {}),
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"id-{username}"),
        authn={"class_ref": user["authn_context"], "authn_auth": ENTITY_ID},
        sign_assertion=True,
        sign_response=False,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        **args,
    )
    binding = server.apply_binding(
        BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
    )
    return binding["data"]


def _assertion_for(form: dict[str, str]) -> tuple[str, str]:
    """The answer to the portal's AuthnRequest, for the user chosen in the log-in form."""
    if form.get("username", "") not in USERS:
        return _page("Test-IdP: onbekende gebruiker", "<p>Onbekend.</p>", "403 Forbidden")
    server = _server()
    request = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
    args = server.response_args(request.message, [BINDING_HTTP_POST])
    return "200 OK", _signed_response(server, form["username"], args, form.get("RelayState", ""))


def _unsolicited(username: str) -> tuple[str, str]:
    """IdP-initiated log-in: a signed assertion that answers no request of the portal."""
    if username not in USERS:
        return _page("Test-IdP: onbekende gebruiker", "<p>Onbekend.</p>", "403 Forbidden")
    server = _server()
    (sp_entity_id,) = server.metadata.keys()
    (acs,) = server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)
    args = {"in_response_to": None, "destination": acs["location"], "sp_entity_id": sp_entity_id}
    return "200 OK", _signed_response(server, username, args, "")


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    content_type = "text/html; charset=utf-8"
    if path == "/metadata":
        status, body = "200 OK", create_metadata_string(None, config=_config()).decode()
        content_type = "application/samlmetadata+xml"
    elif path == "/sso/redirect":
        query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        status, body = _login_form(query.get("SAMLRequest", ""), query.get("RelayState", ""))
    elif path == "/idp-initiated":
        query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        status, body = _unsolicited(query.get("username", ""))
    elif path == "/login" and environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length).decode()
        status, body = _assertion_for({k: v[0] for k, v in parse_qs(raw).items()})
    else:
        status, body = _page("Niet gevonden", "", "404 Not Found")
    start_response(status, [("Content-Type", content_type)])
    return [body.encode()]


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """Threads: the portal fetches this IdP's metadata while a log-in here waits for it."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


if __name__ == "__main__":
    with make_server(
        "127.0.0.1", PORT, application, server_class=_ThreadingServer, handler_class=_QuietHandler
    ) as httpd:
        print(f"SAML IdP on {BASE}", flush=True)
        sys.stdout.flush()
        httpd.serve_forever()
