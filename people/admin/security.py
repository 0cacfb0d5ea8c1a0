"""The admin's changes to people and groups ask for the second factor again.

A changed account or group can grant every right the portal has, so these pages (add,
change, password, delete, and the list's bulk actions) want a second factor given within
allauth's REAUTHENTICATION_TIMEOUT, not only a session that passed it at log-in.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from people.auth.two_factor import require_second_factor_recently


class SecondFactorForChangesMixin:
    """For a ModelAdmin: every page that writes asks for the second factor first."""

    def changeform_view(self, request, *args, **kwargs):
        require_second_factor_recently(request)
        return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        require_second_factor_recently(request)
        return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST":  # bulk actions, such as "delete selected"
            require_second_factor_recently(request)
        return super().changelist_view(request, *args, **kwargs)

    def user_change_password(self, request, *args, **kwargs):
        require_second_factor_recently(request)
        return super().user_change_password(request, *args, **kwargs)


class PortalGroupAdmin(SecondFactorForChangesMixin, GroupAdmin):
    pass


def register_group_admin(site: admin.AdminSite = admin.site) -> None:
    """Swap django.contrib.auth's GroupAdmin for the one that asks for the code."""
    if site.is_registered(Group):
        site.unregister(Group)
    site.register(Group, PortalGroupAdmin)
