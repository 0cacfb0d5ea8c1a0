"""Refuse control characters in what a request sends, before anything reads it.

PostgreSQL refuses a NUL in text, so a ``%00`` in any query parameter or form field
that reached a query was a 500; the other control characters break the reports'
spreadsheets and XML later on. No form the portal offers can send them: the address
and the names and values of query parameters and form fields (not the content of
uploaded files) are checked here, and one with a control character gets a 400 page
that says why, before a session, a view or the database is touched. Tab, line feed and
carriage return stay allowed in values, because a text area sends them.

Cookies are the browser's, not the user's input: one with a control character is
dropped (the request goes on as if it was not sent), so a broken cookie cannot lock
anyone out, nor reach the database as a session key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.shortcuts import render
from django.utils import translation

# C0 controls and DEL; values may hold tab (09), line feed (0A) and carriage return (0D).
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control(pairs: Iterable[tuple[str, list]]) -> bool:
    for name, values in pairs:
        if CONTROL_IN_NAME.search(name):
            return True
        for value in values:
            if isinstance(value, str) and CONTROL_IN_VALUE.search(value):
                return True
    return False


def has_control_characters(request) -> bool:
    """Whether the address, a query parameter or a form field (name or value), or an
    uploaded file's field name or file name holds a control character."""
    if CONTROL_IN_NAME.search(request.path):
        return True
    if _has_control(request.GET.lists()):
        return True
    if request.method == "POST":
        if _has_control(request.POST.lists()):
            return True
        files = request.FILES
        if any(CONTROL_IN_NAME.search(name) for name in files):
            return True
        if any(CONTROL_IN_NAME.search(upload.name or "") for upload in files.values()):
            return True
    return False


class RefuseControlCharactersMiddleware:
    """Early in MIDDLEWARE (before the session): answer 400 to a request with control
    characters, in the language of the browser or the language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, value in list(request.COOKIES.items()):
            if CONTROL_IN_NAME.search(name) or CONTROL_IN_NAME.search(value):
                del request.COOKIES[name]
        if has_control_characters(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        # LocaleMiddleware comes later; choose the language as it would (no user yet).
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = render(request, "400.html", {"control_characters": True}, status=400)
        response.headers.setdefault("Content-Language", language)
        return response
