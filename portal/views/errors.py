"""The error pages (400, 403, 404, 500): the portal's layout, in the reader's language.

Django's own handlers render the 500 page without the request (no header for who is
logged in, no language switch) and show a 404's exception class name ("Resolver404",
"Http404") or get_object_or_404's English sentence. These handlers render each page in
full, with the request's context, and show an exception's message only when it is a
sentence of the portal's own.

An error page must never fail itself. When the full page cannot be made (the database
is down, a context processor raises), the same template is rendered without the
request's context; when even that fails, a plain page built here, without any template,
says the same in the reader's language (the language middleware has chosen it before
the view ran).

Pages that refuse a request with 409 or 410 render templates/409.html or 410.html, or
a template that extends them (the quiz's error page): the blocks ``heading``,
``message``, ``explanation`` and ``way_on`` are the same in every error template.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# get_object_or_404's message is English and names a model ("No Report matches the given
# query."): not for the reader.
UNTRANSLATED_LOOKUP = re.compile(r"^No .+ matches the given query\.$")


def exception_message(exception: BaseException | None) -> str:
    """The exception's message when it is a sentence for the reader, else ''."""
    args = getattr(exception, "args", ())
    message = args[0] if args else ""
    if not isinstance(message, str) or UNTRANSLATED_LOOKUP.match(message):
        return ""
    return message


def _plain_page(status: int) -> str:
    """The last resort: a page without template, database or context processor."""
    titles = {
        400: _("Request not accepted"),
        403: _("No access"),
        404: _("Page not found"),
    }
    title = titles.get(status, _("Something went wrong"))
    try:
        home = reverse("home")
    except NoReverseMatch:  # pragma: no cover - the URLconf itself is broken
        home = "/"
    explanation = _(
        "The portal could not show this page. Nothing has been lost. Try again in a few "
        "minutes. If it keeps going wrong, ask the service desk for help."
    )
    return (
        f'<!doctype html>\n<html lang="{escape(get_language() or "nl")}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n"
        f'<main id="main">\n<h1 id="error-heading">{escape(title)}</h1>\n'
        f"<p>{escape(explanation)}</p>\n"
        f'<p><a href="{escape(home)}" id="home-link">{escape(_("Back to the home page"))}</a></p>\n'
        "</main>\n</body>\n</html>\n"
    )


def error_page(
    request: HttpRequest, *, template_name: str, status: int, context: dict | None = None
) -> HttpResponse:
    """The error template in full; failing that, without the request's context; failing
    that, the plain page. Never raises."""
    try:
        return render(request, template_name, context, status=status)
    except Exception:
        logger.exception("The %s page could not be shown in full", status)
    try:
        body = loader.get_template(template_name).render(context)
        return HttpResponse(body, status=status)
    except Exception:
        logger.exception("The %s page could not be shown without the request", status)
    return HttpResponse(_plain_page(status), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    # No exception text: it may quote what the request held (Django does the same).
    return error_page(request, template_name="400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    context = {"exception": exception_message(exception)}
    return error_page(request, template_name="403.html", status=403, context=context)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    context = {"exception": exception_message(exception)}
    return error_page(request, template_name="404.html", status=404, context=context)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, template_name="500.html", status=500)
