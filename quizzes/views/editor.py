"""The communications editors' quiz pages: the question bank of a version, its quiz
settings, import and export of the bank, and the statistics (also for auditors).

Views only read input and show results: writes go through quizzes.services, reading and
writing bank files through quizzes.bank_io, the figures come from quizzes.statistics.
Every page works on one guideline version, chosen with ``?versie=N``.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from handbook.forms import DiffForm
from handbook.models import GuidelineVersion, Tip
from handbook.selectors import current_version, open_draft, visible_versions
from handbook.views.common import GuidelineMixin
from quizzes import bank_io, services, statistics
from quizzes.editor_forms import (
    BankFilterForm,
    BankUploadForm,
    ConfirmImportForm,
    QuizSettingsForm,
    sign_upload,
    unsign_upload,
)
from quizzes.models import Question
from quizzes.selectors import ordered_tips

logger = logging.getLogger(__name__)

VERSION_PARAMETER = "versie"
BANK_PAGE_SIZE = 25
SITUATION_PREVIEW_CHARS = 90


class QuizEditorMixin(LoginRequiredMixin, PermissionRequiredMixin, GuidelineMixin):
    """Logged in with the permission (others get 403; anonymous visitors the log-in page),
    the default guideline, and the version the page is about (``?versie=N``)."""

    permission_required = "quizzes.manage_question_bank"

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        return redirect_to_login(
            self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
        )

    def versions(self) -> list[GuidelineVersion]:
        if not hasattr(self, "_versions"):
            self._versions = list(visible_versions(self.guideline, user=self.request.user))
        return self._versions

    def current(self) -> GuidelineVersion | None:
        if not hasattr(self, "_current"):
            self._current = current_version(self.guideline)
        return self._current

    def default_version(self) -> GuidelineVersion | None:
        """The version in force, else the open draft, else the newest one."""
        return (
            self.current()
            or (
                open_draft(self.guideline)
                if self.request.user.has_perm("handbook.view_draft_guidelineversion")
                else None
            )
            or next(iter(self.versions()), None)
        )

    def get_version(self) -> GuidelineVersion | None:
        if hasattr(self, "_version"):
            return self._version
        requested = self.request.GET.get(VERSION_PARAMETER) or self.request.POST.get(
            VERSION_PARAMETER
        )
        if requested:
            try:
                number = int(requested)
            except ValueError:
                raise Http404(gettext("There is no version with this number.")) from None
            version = next((v for v in self.versions() if v.number == number), None)
            if version is None:
                raise Http404(gettext("There is no version with this number."))
        else:
            version = self.default_version()
        self._version = version
        return version

    def version_url(self, name: str, version: GuidelineVersion | None = None, **query) -> str:
        version = version or self.get_version()
        url = reverse(f"quiz_editor:{name}")
        params = {VERSION_PARAMETER: version.number} if version else {}
        params.update(query)
        if params:
            url += "?" + urlencode(params)
        return url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        context.update(
            guideline=self.guideline,
            version=version,
            versions=self.versions(),
            version_choices=[
                (v.number, DiffForm.version_label(v, self.current())) for v in self.versions()
            ],
            current=self.current(),
            version_parameter=VERSION_PARAMETER,
            can_manage=self.request.user.has_perm("quizzes.manage_question_bank"),
            can_see_statistics=self.request.user.has_perm("quizzes.view_quiz_statistics"),
        )
        return context


def _no_version_response(view):
    return view.response_class(
        request=view.request,
        template=["quizzes/editor/no_version.html"],
        context={"guideline": view.guideline},
    )


# Bank overview --------------------------------------------------------------------------


class BankView(QuizEditorMixin, TemplateView):
    """The questions of a version: search, filters, count per tip, paginated."""

    template_name = "quizzes/editor/bank.html"

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return _no_version_response(self)
        if version.is_draft:
            # A new version starts from a copy of the previous version's bank.
            services.ensure_bank(version=version)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        tips = list(
            Tip.objects.filter(version=version)
            .annotate(
                active_questions=Count("questions", filter=Q(questions__is_active=True)),
                all_questions=Count("questions"),
            )
            .order_by("number")
        )
        for tip in tips:
            tip.too_few = tip.active_questions < statistics.MIN_QUESTIONS_PER_TIP
        form = BankFilterForm(self.request.GET or None, tips=tips)
        filters = form.filters

        questions = Question.objects.filter(version=version)
        total = questions.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
        if filters.get("zoek"):
            term = filters["zoek"]
            questions = questions.filter(
                Q(key__icontains=term)
                | Q(situation__icontains=term)
                | Q(situation_en__icontains=term)
                | Q(prompt__icontains=term)
                | Q(prompt_en__icontains=term)
            )
        if filters.get("tip"):
            questions = questions.filter(
                pk__in=Question.tips.through.objects.filter(
                    tip__version=version, tip__number=filters["tip"]
                ).values("question_id")
            )
        if filters.get("actief") == "ja":
            questions = questions.filter(is_active=True)
        elif filters.get("actief") == "nee":
            questions = questions.filter(is_active=False)
        questions = questions.order_by("position", "key")

        page_obj = Paginator(questions, BANK_PAGE_SIZE).get_page(self.request.GET.get("pagina"))
        page = list(page_obj.object_list)
        tips_of = ordered_tips([question.pk for question in page])
        rows = [{"question": question, "tips": tips_of.get(question.pk, [])} for question in page]
        context.update(
            form=form,
            filtered=bool(filters.get("zoek") or filters.get("tip") or filters.get("actief")),
            tips=tips,
            thin_tips=[tip for tip in tips if tip.too_few],
            min_questions_per_tip=statistics.MIN_QUESTIONS_PER_TIP,
            totals=total,
            page_obj=page_obj,
            rows=rows,
            situation_chars=SITUATION_PREVIEW_CHARS,
        )
        return context


# Settings -------------------------------------------------------------------------------


def _error_summary(form, extra: list[str] = ()) -> list[dict]:
    """Every error on the page as {"message", "target"}: the id of the field to fix."""
    summary = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None:
                summary.append({"message": error, "target": "main-form"})
            else:
                summary.append(
                    {"message": f"{field.label}: {error}", "target": form[name].id_for_label}
                )
    summary.extend({"message": message, "target": "main-form"} for message in extra)
    return summary


class SettingsView(QuizEditorMixin, TemplateView):
    """How the quiz of a version is run: a form; services.update_settings writes."""

    template_name = "quizzes/editor/settings.html"

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return _no_version_response(self)
        form = QuizSettingsForm(instance=services.settings_for(version))
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return _no_version_response(self)
        form = QuizSettingsForm(request.POST, instance=services.settings_for(version))
        service_errors: list[str] = []
        if form.is_valid():
            try:
                services.update_settings(
                    version=version, actor=request.user, **form.changed_settings()
                )
            except ValidationError as error:
                service_errors = [str(message) for message in error.messages]
            else:
                messages.success(
                    request,
                    gettext("The quiz settings of version %(number)s have been saved.")
                    % {"number": version.number},
                )
                return redirect(self.version_url("settings"))
        context = self.get_context_data(form=form)
        context["error_summary"] = _error_summary(form, service_errors)
        return self.render_to_response(context, status=400)


# Export and import ----------------------------------------------------------------------


def bank_filename(version: GuidelineVersion) -> str:
    return f"vragenbank-{version.guideline.slug}-v{version.number}.yaml"


class ExportView(QuizEditorMixin, View):
    """The version's bank as a YAML file download."""

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            raise Http404(gettext("There is no version with this number."))
        response = HttpResponse(
            bank_io.export_bank(version), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{bank_filename(version)}"'
        return response


class _DryRun(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, preview):
        super().__init__("dry run")
        self.preview = preview


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file will do: the counts of import_bank and the keys per kind."""

    created: list[str]
    updated: list[str]
    deactivated: list[str]
    unchanged: list[str]

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + len(self.deactivated)

    def rows(self) -> list[dict]:
        labels = {
            "created": gettext("New questions"),
            "updated": gettext("Changed questions"),
            "deactivated": gettext("Questions made inactive"),
            "unchanged": gettext("Unchanged questions"),
        }
        return [
            {"kind": kind, "label": label, "count": len(keys), "keys": keys}
            for kind, label in labels.items()
            for keys in [getattr(self, kind)]
        ]


def _snapshot(version) -> dict[str, tuple]:
    return {
        key: (updated_at, is_active)
        for key, updated_at, is_active in Question.objects.filter(version=version).values_list(
            "key", "updated_at", "is_active"
        )
    }


def preview_import(*, version: GuidelineVersion, bank, actor) -> ImportPreview:
    """What import_bank would do, without doing it: the import runs in a transaction that
    is rolled back; the questions it touched tell which keys change. Raises
    bank_io.BankFormatError as import_bank does."""
    before = _snapshot(version)
    try:
        with transaction.atomic():
            result = services.import_bank(version=version, bank=bank, actor=actor)
            after = _snapshot(version)
            raise _DryRun((result, after))
    except _DryRun as dry_run:
        result, after = dry_run.preview
    in_file = [question.key for question in bank.questions]
    created = [key for key in in_file if key not in before]
    updated = [key for key in in_file if key in before and after.get(key) != before[key]]
    unchanged = [key for key in in_file if key in before and after.get(key) == before[key]]
    deactivated = [key for key, (_at, active) in before.items() if key not in in_file and active]
    preview = ImportPreview(
        created=sorted(created),
        updated=sorted(updated),
        deactivated=sorted(deactivated),
        unchanged=sorted(unchanged),
    )
    counts = (len(created), len(updated), len(deactivated), len(unchanged))
    if (result.created, result.updated, result.deactivated, result.unchanged) != counts:
        logger.warning("Import preview of version %s: %s, but keys %s", version, result, counts)
    return preview


def _format_errors(error: bank_io.BankFormatError) -> list[dict]:
    errors = []
    for line, reason in error.errors:
        if line is None:
            message = str(reason)
        else:
            message = gettext("Line %(line)s: %(reason)s") % {"line": line, "reason": reason}
        errors.append({"line": line, "reason": reason, "message": message})
    return errors


class ImportView(QuizEditorMixin, TemplateView):
    """Step 1: upload a bank file. A good file leads to the preview (step 2); a bad one is
    refused whole, with every error and its line number."""

    template_name = "quizzes/editor/import.html"

    def get(self, request, *args, **kwargs):
        if self.get_version() is None:
            return _no_version_response(self)
        return self.render_to_response(self.get_context_data(form=BankUploadForm()))

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return _no_version_response(self)
        form = BankUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse(form, _error_summary(form))
        text = form.cleaned_data["bestand"]
        filename = request.FILES["bestand"].name
        try:
            bank = bank_io.parse_bank(text)
            preview = preview_import(version=version, bank=bank, actor=request.user)
        except bank_io.BankFormatError as error:
            return self.refuse(form, [], file_errors=_format_errors(error), filename=filename)
        token = sign_upload(
            text=text, filename=filename, version_pk=version.pk, user_pk=request.user.pk
        )
        context = self.get_context_data(
            confirm_form=ConfirmImportForm(initial={"upload": token}),
            filename=filename,
            outcome=preview.rows(),
            changes=preview.changes,
        )
        return self.response_class(
            request=request,
            template=["quizzes/editor/import_preview.html"],
            context=context,
        )

    def refuse(self, form, summary, *, file_errors=(), filename=""):
        context = self.get_context_data(
            form=BankUploadForm(),
            error_summary=summary,
            file_errors=list(file_errors),
            filename=filename,
        )
        return self.render_to_response(context, status=400)


class ImportConfirmView(QuizEditorMixin, TemplateView):
    """Step 2 (POST): import the file shown in the preview."""

    template_name = "quizzes/editor/import.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            raise Http404(gettext("There is no version with this number."))
        form = ConfirmImportForm(request.POST)
        upload = (
            unsign_upload(
                form.cleaned_data["upload"], version_pk=version.pk, user_pk=request.user.pk
            )
            if form.is_valid()
            else None
        )
        if upload is None:
            messages.error(
                request,
                gettext("The upload has expired or is not valid. Please upload the file again."),
            )
            return redirect(self.version_url("import"))
        try:
            bank = bank_io.parse_bank(upload["text"])
            result = services.import_bank(version=version, bank=bank, actor=request.user)
        except bank_io.BankFormatError as error:
            context = self.get_context_data(
                form=BankUploadForm(),
                error_summary=[],
                file_errors=_format_errors(error),
                filename=upload["name"],
            )
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            gettext(
                "The question bank has been imported: %(created)s new, %(updated)s changed, "
                "%(deactivated)s made inactive, %(unchanged)s unchanged."
            )
            % result.as_dict(),
        )
        return redirect(self.version_url("bank"))


# Statistics -----------------------------------------------------------------------------


class StatisticsMixin(QuizEditorMixin):
    permission_required = "quizzes.view_quiz_statistics"

    def default_version(self) -> GuidelineVersion | None:
        """The version in force, else the newest published one."""
        return self.current() or next((v for v in self.versions() if not v.is_draft), None)


SORT_COLUMNS = [
    ("key", _("Question")),
    ("tip", _("Main tip")),
    ("answered", _("Answered")),
    ("facility", _("Facility (share right)")),
    ("discrimination", _("Discrimination")),
]


class StatisticsView(StatisticsMixin, TemplateView):
    """Aggregate figures per question and per tip; ``?format=csv`` downloads them."""

    template_name = "quizzes/editor/statistics.html"

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return _no_version_response(self)
        if request.GET.get("format") == "csv":
            return statistics_csv_response(version)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        column, descending = statistics.parse_sort(self.request.GET.get("sort"))
        question_stats = statistics.sort_question_statistics(
            statistics.question_statistics(version), column, descending=descending
        )
        headers = []
        for name, label in SORT_COLUMNS:
            sorted_here = name == column
            next_sort = f"-{name}" if sorted_here and not descending else name
            headers.append(
                {
                    "name": name,
                    "label": label,
                    "sorted": sorted_here,
                    "aria_sort": (
                        ("descending" if descending else "ascending") if sorted_here else ""
                    ),
                    "url": self.version_url("statistics", version, sort=next_sort),
                }
            )
        context.update(
            summary=statistics.attempt_summary(version),
            questions=question_stats,
            tips=statistics.tip_statistics(version),
            headers=headers,
            sort=f"-{column}" if descending else column,
            min_answers=statistics.MIN_ANSWERS_FOR_FLAG,
            low_discrimination=statistics.LOW_DISCRIMINATION,
            flagged=[s for s in question_stats if s.needs_attention],
            csv_url=self.version_url("statistics_csv", version),
        )
        return context


class StatisticsCsvView(StatisticsMixin, View):
    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            raise Http404(gettext("There is no version with this number."))
        return statistics_csv_response(version)


def _number(value: float | None, digits: int = 3) -> str:
    """A figure as Dutch Excel reads it in the portal's language (decimal comma in Dutch)."""
    return "" if value is None else formats.number_format(value, digits)


MAX_OPTIONS = 4


def statistics_csv_response(version: GuidelineVersion) -> HttpResponse:
    """The figures per question as CSV: UTF-8 with BOM, ``;``-separated, totals only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = [
        gettext("Question"),
        gettext("Main tip"),
        gettext("Tips"),
        gettext("Active"),
        gettext("More than one answer"),
        gettext("Answered"),
        gettext("Answered right"),
        gettext("Facility (share right)"),
        gettext("Discrimination"),
        gettext("Assessment"),
    ]
    for position in range(1, MAX_OPTIONS + 1):
        header += [
            gettext("Option %(number)s right") % {"number": position},
            gettext("Option %(number)s chosen") % {"number": position},
            gettext("Option %(number)s share") % {"number": position},
        ]
    writer.writerow(header)
    yes, no = gettext("yes"), gettext("no")
    for stats in statistics.question_statistics(version):
        row = [
            stats.key,
            stats.main_tip.number if stats.main_tip else "",
            ", ".join(str(tip.number) for tip in stats.tips),
            yes if stats.question.is_active else no,
            yes if stats.question.multiple_answers else no,
            stats.answered,
            stats.correct,
            _number(stats.facility),
            _number(stats.discrimination),
            stats.flag_label,
        ]
        for option in stats.options[:MAX_OPTIONS]:
            row += [yes if option.is_correct else no, option.chosen, _number(option.share)]
        writer.writerow(row)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"quizstatistiek-{version.guideline.slug}-v{version.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
