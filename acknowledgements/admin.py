"""The ledger in the admin site: read-only. Nobody adds, changes or deletes entries or
their content here; writes go through acknowledgements.services (and the database
refuses changes anyway, see acknowledgements.triggers). The stored checks of the chain
(LedgerCheck) are listed read-only too; acknowledgements.services.ledger_checks writes them."""

from django.contrib import admin

from acknowledgements.models import Acknowledgement, LedgerCheck, LedgerEntry, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "kind", "version", "recorded_at", "verification_code"]
    list_filter = ["kind", "version"]
    list_select_related = ["version"]
    search_fields = ["=sequence", "=verification_code", "record_hash"]
    fields = [
        "sequence",
        "kind",
        "version",
        "refers_to",
        "recorded_at",
        "verification_code",
        "content_digest",
        "previous_hash",
        "record_hash",
        "format_version",
    ]
    readonly_fields = fields


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["entry", "employee", "version", "kind", "method", "signed_at"]
    list_filter = ["kind", "method", "version", "language"]
    list_select_related = ["entry", "employee", "version"]
    search_fields = ["employee__employee_number", "employee__last_name", "employee__email"]
    date_hierarchy = "signed_at"
    fields = [
        "entry",
        "kind",
        "employee",
        "version",
        "language",
        "text_hash",
        "statement",
        "typed_name",
        "signed_at",
        "quiz_attempt",
        "method",
        "recorded_by",
        "reason",
        "paper_form",
        "paper_form_hash",
        "ip_address",
        "user_agent",
        "campaign_id",
    ]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Who was e-mailed about which version (notify_reacknowledgement)."""

    list_display = ["employee", "version", "kind", "sent_at"]
    list_filter = ["kind", "version"]
    list_select_related = ["employee", "version"]
    search_fields = ["employee__employee_number", "employee__last_name", "employee__email"]
    fields = ["employee", "version", "kind", "sent_at"]
    readonly_fields = fields


@admin.register(LedgerCheck)
class LedgerCheckAdmin(ReadOnlyAdmin):
    """Checks of the chain, asked for on the ledger page or run by verify_ledger."""

    list_display = [
        "requested_at",
        "requested_by",
        "state",
        "ok",
        "entries_checked",
        "head_sequence",
        "problem_sequence",
        "finished_at",
    ]
    list_filter = ["state", "ok"]
    list_select_related = ["requested_by"]
    date_hierarchy = "requested_at"
    fields = [
        "requested_at",
        "requested_by",
        "state",
        "started_at",
        "finished_at",
        "ok",
        "entries_checked",
        "head_sequence",
        "head_hash",
        "problem_sequence",
        "problem_reason",
    ]
    readonly_fields = fields
