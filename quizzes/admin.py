"""The quiz in the admin site.

Questions (with their options) and settings can be corrected here; editors normally
import banks on their own pages. Attempts and the quiz's audit trail are read-only:
nobody adds, changes or deletes them here, and an individual's answers are not shown.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from handbook.models import Tip
from quizzes.models import Attempt, Option, Question, QuizEvent, QuizSettings


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    min_num = 3
    max_num = 4
    fields = ["position", "text", "text_en", "is_correct", "explanation", "explanation_en"]
    ordering = ["position"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    inlines = [OptionInline]
    list_display = ["key", "version", "position", "multiple_answers", "is_active", "updated_at"]
    list_filter = ["version", "is_active", "multiple_answers"]
    list_select_related = ["version"]
    search_fields = ["key", "situation", "prompt"]
    filter_horizontal = ["tips"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["version", "key", "position", "is_active", "multiple_answers"]}),
        (
            _("Text"),
            {"fields": ["situation", "situation_en", "prompt", "prompt_en"]},
        ),
        (_("Tips it tests"), {"fields": ["tips"]}),
        (_("Changes"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A question stays with its version: its tips belong to that version.
        if obj is not None:
            return [*self.readonly_fields, "version"]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._quiz_question = obj
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tips":
            question = getattr(request, "_quiz_question", None)
            tips = Tip.objects.select_related("version").order_by("version__number", "number")
            if question is not None:
                tips = tips.filter(version_id=question.version_id)
            kwargs["queryset"] = tips
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(QuizSettings)
class QuizSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "questions_per_attempt",
        "pass_mark",
        "attempts_per_day",
        "minutes_per_attempt",
        "shuffle_options",
        "required_for_acknowledgement",
    ]
    list_select_related = ["version"]


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Score and pass/fail only: which options someone chose is not shown to anybody."""

    list_display = [
        "pk",
        "employee",
        "version",
        "purpose",
        "started_at",
        "submitted_at",
        "correct_count",
        "question_count",
        "passed",
    ]
    list_filter = ["version", "purpose", "passed"]
    list_select_related = ["employee", "version"]
    search_fields = ["employee__email", "employee__last_name"]
    date_hierarchy = "started_at"
    fields = [
        "employee",
        "version",
        "purpose",
        "language",
        "started_at",
        "expires_at",
        "submitted_at",
        "question_count",
        "correct_count",
        "pass_mark",
        "passed",
    ]
    readonly_fields = fields


@admin.register(QuizEvent)
class QuizEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "version", "actor"]
    list_filter = ["kind"]
    list_select_related = ["version", "actor"]
    fields = ["at", "kind", "version", "actor", "details"]
    readonly_fields = fields
