"""A small HTTP client for tests against real servers (portal.testing.servers): keeps
cookies, sends forms with the CSRF token of the page they came from, follows no
redirects (a test wants to see them)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(url: str, **kwargs) -> urllib.request.Request:
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"Only the test's own servers, not {url!r}.")
    return urllib.request.Request(url, **kwargs)  # noqa: S310 - checked just above


class Browser:
    """One visitor: ``get(url)``, and ``submit(url, fields)`` that first GETs the page
    for its form's CSRF token (the cookie comes with it), then POSTs the form."""

    def __init__(self, *, language: str = "en"):
        self.cookies = http.cookiejar.CookieJar()
        self.language = language
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def get(self, url: str) -> Answer:
        return self._open(_request(url, headers=self._headers()))

    def submit(self, url: str, fields: dict[str, str]) -> Answer:
        page = self.get(url)
        found = _CSRF_FIELD.search(page.text)
        if found is None:
            raise AssertionError(f"No form with a CSRF token at {url} ({page.status}).")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": found.group(1), **fields})
        request = _request(
            url,
            data=body.encode(),
            headers={**self._headers(), "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        return self._open(request)

    def _headers(self) -> dict[str, str]:
        return {"Accept-Language": self.language}

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            response = self._opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx: an answer all the same
            response = error
        with response:
            headers = {key.lower(): value for key, value in response.headers.items()}
            return Answer(response.status, headers, response.read().decode(errors="replace"))
