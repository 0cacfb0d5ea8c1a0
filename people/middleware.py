from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from people.auth.two_factor import has_totp, needs_second_factor, session_passed_second_factor


class PreferredLanguageMiddleware:
    """Show the portal in the logged-in employee's preferred language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """HR, editors, auditors, administrators (and staff) pass the second factor in each
    session before anything else: a session without it is sent to enter a code (or,
    without TOTP, to set it up). Having a TOTP device is not enough; see people.auth.two_factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self._exempt(request.path)
            and needs_second_factor(user)
            and not session_passed_second_factor(request)
        ):
            target = "mfa_reauthenticate" if has_totp(user) else "mfa_activate_totp"
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        """What a session needs before its second factor: the code or the set-up
        (password first), log-out, the language switch, the accessibility statement."""
        from django.conf import settings

        pages = {
            reverse(name)
            for name in (
                "mfa_reauthenticate",
                "mfa_activate_totp",
                "account_reauthenticate",
                "account_logout",
                "accessibility",
            )
        }
        prefixes = ("/taal/", f"/{settings.STATIC_URL.lstrip('/')}")
        return path in pages or path.startswith(prefixes)
