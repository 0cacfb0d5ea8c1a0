from django.contrib import admin

from security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by security.services and removed only by the
    retention run, so that nobody can tidy away their own traces in the admin."""

    list_display = ["created_at", "kind", "actor_identifier", "subject_identifier", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["actor_identifier", "subject_identifier", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
