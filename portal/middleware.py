"""Sessions end after a while without activity, and in any case after their maximum length.

``PORTAL_SESSION_IDLE_MINUTES`` (0: off) is the idle time; ``SESSION_COOKIE_AGE``
(``DJANGO_SESSION_COOKIE_AGE``) stays the absolute maximum, counted from the log-in,
however active the session is. Both moments are kept in the session: set at log-in
(``start_the_clock``, connected in PortalConfig.ready), the last activity written again
at most once a minute, so an idle session ends to within a minute and most requests
write nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext, ngettext

LAST_ACTIVITY_KEY = "portal_last_activity"
STARTED_KEY = "portal_session_started"
# Seconds: the last activity is written to the session at most this often.
ACTIVITY_RESOLUTION = 60


def now() -> float:
    """The clock of the session timeout, in seconds (a function, so tests can set it)."""
    return time.time()


def start_the_clock(sender, request, user, **kwargs) -> None:
    """On every log-in (the ``user_logged_in`` signal): the session counts from now."""
    session = getattr(request, "session", None)
    if session is not None:
        moment = now()
        session[STARTED_KEY] = moment
        session[LAST_ACTIVITY_KEY] = moment


class IdleSessionTimeoutMiddleware:
    """Log out whoever was idle too long, or logged in for too long, and send them to the
    log-in page (with ?next= back to where they were) with a message that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counts = not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        if counts and request.user.is_authenticated:
            reason = self._ended(request.session, now())
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if counts and request.user.is_authenticated:
            self._touch(request.session, now())
        return response

    @staticmethod
    def _ended(session, moment: float) -> str:
        """Why the session has ended, or "" while it has not."""
        started = session.get(STARTED_KEY)
        if started is not None and moment - started > settings.SESSION_COOKIE_AGE:
            return gettext(
                "You were logged out because your session reached its maximum length. "
                "Log in again to continue."
            )
        minutes = settings.PORTAL_SESSION_IDLE_MINUTES
        last = session.get(LAST_ACTIVITY_KEY)
        if minutes > 0 and last is not None and moment - last > minutes * 60:
            return ngettext(
                "You were logged out after %(minutes)d minute without activity.",
                "You were logged out after %(minutes)d minutes without activity.",
                minutes,
            ) % {"minutes": minutes}
        return ""

    @staticmethod
    def _touch(session, moment: float) -> None:
        if STARTED_KEY not in session:  # a session from before this middleware
            session[STARTED_KEY] = moment
        last = session.get(LAST_ACTIVITY_KEY)
        if last is None or moment - last >= ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY_KEY] = moment
