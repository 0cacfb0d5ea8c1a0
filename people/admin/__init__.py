from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from people.admin.security import SecondFactorForChangesMixin, register_group_admin
from people.models import Department, Employee
from people.services import create_department, update_department


class DepartmentAdminForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "kind", "parent"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if "/" in code:
            raise forms.ValidationError(_("A code cannot contain “/”."))
        return code

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError(
                _("A department cannot be part of itself or of one of its own units.")
            )
        return parent


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Departments are written through people.services, which keep the paths right."""

    form = DepartmentAdminForm
    list_display = ["name", "code", "kind", "parent", "closed_on"]
    list_filter = ["kind", ("closed_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    # Closing and reopening follow the HR file (the staff import), not the admin.
    readonly_fields = ["path", "closed_on"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        if change:
            update_department(
                department=obj, code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent
            )
            return
        created = create_department(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent)
        obj.pk = created.pk
        obj.path = created.path
        obj._state.adding = False
        obj._state.db = created._state.db


register_group_admin()

from people.admin import object_roles  # noqa: E402, F401 - registers its admin


@admin.register(Employee)
class EmployeeAdmin(SecondFactorForChangesMixin, UserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["employee_number", "full_name", "email", "department", "is_active"]
    list_filter = ["is_active", "department", "groups", "preferred_language"]
    search_fields = ["employee_number", "first_name", "last_name", "email"]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "manager"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (
            None,
            {"fields": ["employee_number", "email", "password"]},
        ),
        (
            _("Name and work"),
            {
                "fields": [
                    "first_name",
                    "name_prefix",
                    "last_name",
                    "job_title",
                    "department",
                    "manager",
                    "start_date",
                    "end_date",
                    "preferred_language",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        )
    ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Employee) -> str:
        return obj.full_name

    # Roles are granted by an administrator only (docs/security.md, "Privileged accounts"):
    # whoever else reaches this form (a stray change_employee permission) sees them read
    # only, and only a superuser makes or changes a superuser.
    def get_readonly_fields(self, request, obj=None):
        from people.roles import Role
        from people.selectors import has_role

        fields = list(super().get_readonly_fields(request, obj))
        if not has_role(user=request.user, role=Role.ADMINISTRATOR):
            fields += ["groups", "user_permissions", "is_staff", "is_superuser"]
        elif not request.user.is_superuser:
            fields += ["user_permissions", "is_superuser"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
