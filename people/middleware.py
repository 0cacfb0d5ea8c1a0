from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from people.selectors import must_use_two_factor
from people.sso import session_has_idp_mfa


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
    """HR, editors and administrators set up TOTP before they can do anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = request.user
        if (
            settings.PORTAL_MFA_REQUIRED
            and user.is_authenticated
            and not self._exempt(request.path)
            and must_use_two_factor(user)
            and not self._has_totp(user)
            and not session_has_idp_mfa(request)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        from django.conf import settings

        allowed = (
            "/account/",
            "/taal/",
            "/toegankelijkheid/",
            f"/{settings.STATIC_URL.lstrip('/')}",
        )
        return path.startswith(allowed)

    @staticmethod
    def _has_totp(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
