"""The admin site (/beheer/) behind the portal's own log-in.

Django's admin has a password form of its own, with no log-in limits and no second
factor. Here its log-in URL only sends people to allauth's log-in (``?next=`` back), and
the site is served only to active staff whose session passed the second factor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        from people.auth.two_factor import needs_second_factor, session_passed_second_factor

        if not super().has_permission(request):
            return False
        return not needs_second_factor(request.user) or session_passed_second_factor(request)

    def login(self, request, extra_context=None):
        """Never a log-in form here, for GET or POST: to the portal's log-in (anonymous),
        on to the admin (who may use it), or 403 (anyone else who is logged in)."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME)
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        raise PermissionDenied


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the portal's admin site as ``admin.site``."""

    default_site = "people.auth.admin_site.PortalAdminSite"
