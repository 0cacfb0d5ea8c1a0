"""The handbook in the admin site: for administrators, with the same rules as the portal.

Published and retired versions and their tips are read-only here (no change, no
delete); the database refuses it anyway (handbook.triggers). Versions are created,
published and retired on the editors' pages, so that the four-eyes rule and the audit
trail apply; the admin can correct a draft, which counts as a change by that person.
The audit trail (HandbookEvent) cannot be added to, changed or deleted.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from handbook import services
from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner", "review_date"]
    list_select_related = ["owner"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at"]


def _is_frozen(version) -> bool:
    return version is not None and version.pk is not None and not version.is_draft


class TipInline(admin.TabularInline):
    model = Tip
    extra = 0
    fields = ["number", "text", "text_en", "change", "lineage"]
    readonly_fields = ["lineage"]
    ordering = ["number"]

    def has_add_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(admin.ModelAdmin):
    inlines = [TipInline]
    list_display = ["__str__", "number", "status", "effective_date", "published_at", "published_by"]
    list_filter = ["status", "guideline"]
    list_select_related = ["guideline", "published_by"]
    search_fields = ["title", "title_en"]
    actions = None  # no bulk delete: drafts are discarded one by one, with an event
    readonly_fields = [
        "guideline",
        "number",
        "status",
        "based_on",
        "content_hash",
        "content_hash_en",
        "created_at",
        "created_by",
        "last_edited_at",
        "last_edited_by",
        "published_at",
        "published_by",
        "retired_at",
        "retired_by",
    ]
    fieldsets = [
        (None, {"fields": ["guideline", "number", "status", "based_on"]}),
        (
            _("Text"),
            {
                "fields": [
                    "title",
                    "title_en",
                    "introduction",
                    "introduction_en",
                    "change_summary",
                    "change_summary_en",
                ]
            },
        ),
        (_("Publication"), {"fields": ["effective_date", "requires_reacknowledgement"]}),
        (
            _("Record"),
            {
                "fields": [
                    "content_hash",
                    "content_hash_en",
                    "created_at",
                    "created_by",
                    "last_edited_at",
                    "last_edited_by",
                    "published_at",
                    "published_by",
                    "retired_at",
                    "retired_by",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        # New versions start on the editors' page (services.create_draft).
        return False

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_admin_change(draft=form.instance, actor=request.user)

    def delete_model(self, request, obj):
        services.discard_draft(draft=obj, actor=request.user)


@admin.register(HandbookEvent)
class HandbookEventAdmin(admin.ModelAdmin):
    list_display = ["at", "guideline", "kind", "version_number", "actor"]
    list_filter = ["kind", "guideline"]
    list_select_related = ["guideline", "actor"]
    date_hierarchy = "at"
    actions = None
    readonly_fields = ["guideline", "version_number", "kind", "actor", "at", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
