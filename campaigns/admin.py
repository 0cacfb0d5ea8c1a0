from django.contrib import admin

from campaigns.models import Assignment, Campaign, CampaignEvent, CampaignGuideline, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    """Campaigns are set up and run in the portal's HR pages (campaigns.services);
    the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignGuidelineInline(admin.TabularInline):
    """The guidelines a campaign asks for, with their versions (or days, onboarding)."""

    model = CampaignGuideline
    fields = ["guideline", "version", "due_days"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "status", "start_date", "deadline"]
    inlines = [CampaignGuidelineInline]
    list_filter = ["kind", "status"]
    search_fields = ["name"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["employee", "campaign", "version", "due_date", "reason", "exempted_at"]
    list_filter = ["campaign", "reason"]
    list_select_related = ["employee", "campaign", "version"]
    search_fields = ["employee__last_name", "employee__email", "employee__employee_number"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "kind", "step", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["assignment__employee", "assignment__campaign"]


@admin.register(CampaignEvent)
class CampaignEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "campaign", "actor"]
    list_filter = ["kind"]
