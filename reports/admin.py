from django.contrib import admin

from reports.models import Report, ReportEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports are asked for in the portal's report pages (reports.services) and made by
    the background worker; the admin only shows them and their log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "kind",
        "format",
        "status",
        "requested_by",
        "requested_at",
        "expires_at",
    ]
    list_filter = ["kind", "format", "status"]
    list_select_related = ["requested_by"]
    search_fields = ["number", "file_sha256"]
    date_hierarchy = "requested_at"


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "report", "actor"]
    list_filter = ["kind"]
    list_select_related = ["report", "actor"]
    search_fields = ["report__number"]
