"""The editors' question bank pages: overview, settings, export, import with preview."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from handbook.models import GuidelineVersion, Tip
from quizzes import bank_io, services
from quizzes.forms.editor import (
    BankFilterForm,
    BankUploadForm,
    ConfirmImportForm,
    QuizSettingsForm,
    sign_upload,
    unsign_upload,
)
from quizzes.models import Question
from quizzes.selectors import ordered_tips, statistics
from quizzes.views.editor_common import (
    BANK_PAGE_SIZE,
    SITUATION_PREVIEW_CHARS,
    QuizEditorMixin,
    no_version_response,
)

logger = logging.getLogger(__name__)


class BankView(QuizEditorMixin, TemplateView):
    """The questions of a version: search, filters, count per tip, paginated."""

    template_name = "quizzes/editor/bank.html"

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return no_version_response(self)
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
        if form.search_refused:
            questions = questions.none()
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
        tips_of = ordered_tips(question_ids=[question.pk for question in page])
        rows = [{"question": question, "tips": tips_of.get(question.pk, [])} for question in page]
        context.update(
            form=form,
            filtered=bool(
                form.search_refused
                or filters.get("zoek")
                or filters.get("tip")
                or filters.get("actief")
            ),
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


class SettingsView(QuizEditorMixin, TemplateView):
    """How the quiz of a version is run: a form; services.update_settings writes."""

    template_name = "quizzes/editor/settings.html"

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return no_version_response(self)
        form = QuizSettingsForm(instance=services.settings_for(version=version))
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return no_version_response(self)
        form = QuizSettingsForm(request.POST, instance=services.settings_for(version=version))
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
        context["error_summary"] = form.error_summary(extra=service_errors)
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


def _outcome_rows(result) -> list[dict]:
    """The preview's table: per outcome a label, the count and the keys."""
    labels = {
        "created": gettext("New questions"),
        "updated": gettext("Changed questions"),
        "deactivated": gettext("Questions made inactive"),
        "unchanged": gettext("Unchanged questions"),
    }
    return [
        {"kind": kind, "label": label, "count": len(keys), "keys": sorted(keys)}
        for kind, label in labels.items()
        for keys in [getattr(result, kind)]
    ]


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
            return no_version_response(self)
        return self.render_to_response(self.get_context_data(form=BankUploadForm()))

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        if version is None:
            return no_version_response(self)
        form = BankUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse(form, form.error_summary())
        text = form.cleaned_data["bestand"]
        filename = request.FILES["bestand"].name
        try:
            bank = bank_io.parse_bank(text)
            preview = services.preview_import(version=version, bank=bank, actor=request.user)
        except bank_io.BankFormatError as error:
            return self.refuse(form, [], file_errors=_format_errors(error), filename=filename)
        token = sign_upload(
            text=text, filename=filename, version_pk=version.pk, user_pk=request.user.pk
        )
        context = self.get_context_data(
            confirm_form=ConfirmImportForm(initial={"upload": token}),
            filename=filename,
            outcome=_outcome_rows(preview),
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
