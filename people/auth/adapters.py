from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts come from HR: nobody signs up on their own."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A single sign-on a moment ago counts as reauthentication (e.g. to set up TOTP)."""
        from people.auth.sso import recently_signed_on

        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and self.request is not None and recently_signed_on(self.request):
            return False
        return required

    def get_reauthentication_methods(self, user) -> list[dict]:
        """Whoever has an authenticator app confirms with its code, not the password: the
        password page is not offered to them (it sends on to the code page)."""
        methods = super().get_reauthentication_methods(user)
        if any(method["id"] == "mfa_reauthenticate" for method in methods):
            return [method for method in methods if method["id"] != "reauthenticate"]
        return methods

    def get_login_stages(self) -> list[str]:
        """allauth's TOTP step, skipped when the identity provider asserted MFA."""
        return [
            "people.auth.sso.IdentityProviderMfaStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def validation_error(self, code: str, *args):
        """A log-in stopped by the log-in limits goes into the security log: nothing else
        records it, as it never reaches the password check."""
        if code == "too_many_login_attempts" and self.request is not None:
            from security.services import record_login_limit_reached

            tried = str(self.request.POST.get("login", ""))
            record_login_limit_reached(request=self.request, tried=tried)
        return super().validation_error(code, *args)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed log-ins count per account, whatever Host header the request names."""
        from people.auth.login_limits import failed_login_key

        return failed_login_key(credentials=credentials)


class MunicipalSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on lets in only people the portal knows: no sign-up, ever."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        from people.auth.sso import find_employee

        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Connecting a second identity to one's own account is not offered: the
            # portal itself connects an employee's municipal account at first log-in.
            self._refuse(request, sociallogin)
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                self._refuse(request, sociallogin)
            return
        employee = find_employee(sociallogin)
        if employee is None:
            self._refuse(request, sociallogin)
        sociallogin.connect(request, employee)

    def send_notification_mail(self, *args, **kwargs) -> None:
        """No "account connected" e-mail: the portal connected it itself."""

    @staticmethod
    def _refuse(request, sociallogin=None):
        from django.conf import settings
        from django.shortcuts import render

        from security.services import record_sso_refused

        record_sso_refused(request=request, sociallogin=sociallogin)

        raise ImmediateHttpResponse(
            render(
                request,
                "account/sso_refused.html",
                {"support_contact": settings.PORTAL_SUPPORT_CONTACT},
                status=403,
            )
        )
