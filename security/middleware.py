"""Who is asking and from where, for events that model signals report, and downloads.

The request being answered is kept in a context variable while the view runs, so that a
receiver of a model signal (a role granted in the admin, an account switched off) can
say who did it and from where without every service passing the request along. Outside
a request (the worker, a management command) there is none, and events say so.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import FileResponse, HttpRequest

# Short names for the formats the portal hands out; others by their MIME subtype.
FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/json": "json",
    "application/yaml": "yaml",
}

_current_request: ContextVar[HttpRequest | None] = ContextVar("security_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread is answering, or None in the worker and in commands."""
    return _current_request.get()


class SecurityEventMiddleware:
    """Keeps the current request for the event log, and logs every file handed out as an
    attachment (a report, a CSV or Excel list, a personal-data export, a certificate):
    whatever view sends it, a download cannot leave the portal unrecorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if is_download(response) and not getattr(response, "download_recorded", False):
                _record_download(request, response)
            return response
        finally:
            _current_request.reset(token)


def is_download(response) -> bool:
    """A file handed out: a successful answer sent as an attachment, or a file streamed
    from storage (FileResponse) however it is sent."""
    return response.status_code == 200 and (
        response.get("Content-Disposition", "").lower().startswith("attachment")
        or isinstance(response, FileResponse)
    )


def _record_download(request, response) -> None:
    """A download whose view did not record it (security.services.record_download):
    under its page's name, so that none leaves the portal unrecorded."""
    from security.services import record_download

    record_download(request=request, response=response, what="")
