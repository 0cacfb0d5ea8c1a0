"""The admin page where administrators give someone a role on one object (the editor of
one guideline, the HR adviser of one department), through people.services.object_roles,
which checks and logs. It asks for the second factor again, as people and groups do."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.admin.security import SecondFactorForChangesMixin
from people.models import ObjectRoleGrant
from people.roles import OBJECT_ROLES, Role
from people.selectors import has_role
from people.services.object_roles import grant_object_role, revoke_object_role

# The kinds of object a role can be held on, by label (people imports no app above it).
OBJECT_ROLE_TARGETS = ("handbook.guideline", "people.department")


def _target_kinds() -> Q:
    query = Q(pk__in=[])
    for label in OBJECT_ROLE_TARGETS:
        app_label, model = label.split(".")
        query |= Q(app_label=app_label, model=model)
    return query


class ObjectRoleGrantForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("role"), choices=[(role, Role(role).label) for role in OBJECT_ROLES]
    )

    class Meta:
        model = ObjectRoleGrant
        fields = ["employee", "role", "content_type", "object_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "content_type" in self.fields:
            self.fields["content_type"].queryset = ContentType.objects.filter(_target_kinds())

    def clean(self):
        cleaned = super().clean()
        kind, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        if kind is not None and object_id is not None:
            try:
                cleaned["target"] = kind.get_object_for_this_type(pk=object_id)
            except ObjectDoesNotExist:
                self.add_error("object_id", _("There is no such object."))
        return cleaned


@admin.register(ObjectRoleGrant)
class ObjectRoleGrantAdmin(SecondFactorForChangesMixin, admin.ModelAdmin):
    form = ObjectRoleGrantForm
    list_display = ["employee", "role", "content_type", "target_object", "granted_by", "granted_at"]
    list_filter = ["role", "content_type"]
    search_fields = ["employee__first_name", "employee__last_name", "employee__email"]
    list_select_related = ["employee", "content_type", "granted_by"]
    autocomplete_fields = ["employee"]
    readonly_fields = ["granted_by", "granted_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    # A generic foreign key has no verbose name: its column would say "Target", in English.
    @admin.display(description=_("Object"))
    def target_object(self, obj: ObjectRoleGrant) -> object:
        return obj.target

    # The administrator role decides, not model permissions (no role deletes anything:
    # people.tests.test_roles), whatever stray permission someone else has; a grant is
    # given or taken back through the services, never changed.
    def _is_administrator(self, request) -> bool:
        return request.user.is_active and has_role(user=request.user, role=Role.ADMINISTRATOR)

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._is_administrator(request)

    def save_model(self, request, obj, form, change):
        grant = grant_object_role(
            actor=request.user,
            employee=form.cleaned_data["employee"],
            role=form.cleaned_data["role"],
            target=form.cleaned_data["target"],
        )
        obj.pk = grant.pk
        obj._state.adding = False
        obj._state.db = grant._state.db

    def delete_model(self, request, obj):
        revoke_object_role(
            actor=request.user, employee=obj.employee, role=obj.role, target=obj.target
        )

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("employee"):
            revoke_object_role(
                actor=request.user, employee=grant.employee, role=grant.role, target=grant.target
            )
