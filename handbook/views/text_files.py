"""A guideline's text as a file: importing it into the open draft (upload, preview,
confirm) and exporting any version (handbook.services.text_import; the formats:
handbook/text_io/README.md). Editors of this guideline only.

The preview carries the uploaded file to the confirmation in a signed token, tied to the
draft as previewed and to the editor; the confirmation reads and checks the file again
before anything is stored, and refuses when the draft changed in between.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from handbook.forms import (
    ConfirmTextImportForm,
    TextUploadForm,
    sign_text_upload,
    unsign_text_upload,
)
from handbook.selectors import open_draft, version_with_tips
from handbook.services.text_import import (
    export_filename,
    export_text,
    import_text,
    preview_text_import,
)
from handbook.text_io import FORMATS, TextExportError, TextFormatError
from handbook.views.editing import EditorMixin


def _file_errors(error: TextFormatError) -> list[dict]:
    rows = []
    for line, reason in error.errors:
        if line is None:
            message = str(reason)
        else:
            message = gettext("Line %(line)s: %(reason)s") % {"line": line, "reason": reason}
        rows.append({"line": line, "reason": reason, "message": message})
    return rows


class _DraftImportMixin(EditorMixin):
    template_name = "handbook/editor/import.html"

    def get_draft(self):
        draft = open_draft(guideline=self.guideline)
        if draft is not None:
            draft = version_with_tips(
                guideline=self.guideline, number=draft.number, user=self.request.user
            )
        return draft

    def no_draft(self):
        messages.error(
            self.request, gettext("There is no draft to import into. Start a new draft first.")
        )
        return redirect("handbook:editor", guideline=self.guideline.slug)

    def refused(self, *, draft, form=None, summary=(), file_errors=(), filename="", status=400):
        context = self.get_context_data(
            draft=draft,
            form=form or TextUploadForm(),
            error_summary=list(summary),
            file_errors=list(file_errors),
            filename=filename,
        )
        return self.render_to_response(context, status=status)


class ImportTextView(_DraftImportMixin, TemplateView):
    """Step 1: upload a file (GET: the form). A good file leads to the preview (step 2);
    a malformed one is refused whole, with every error and its line."""

    def get(self, request, *args, **kwargs):
        draft = self.get_draft()
        if draft is None:
            return self.no_draft()
        return self.render_to_response(self.get_context_data(draft=draft, form=TextUploadForm()))

    def post(self, request, *args, **kwargs):
        draft = self.get_draft()
        if draft is None:
            return self.no_draft()
        form = TextUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refused(draft=draft, form=form, summary=form.error_summary())
        data = form.cleaned_data["bestand"]
        filename = request.FILES["bestand"].name or ""
        try:
            preview = preview_text_import(version=draft, data=data, filename=filename)
        except TextFormatError as error:
            return self.refused(draft=draft, file_errors=_file_errors(error), filename=filename)
        except ValidationError as error:
            return self.refused(draft=draft, file_errors=[{"message": m} for m in error.messages])
        token = sign_text_upload(data=data, filename=filename, draft=draft, user_pk=request.user.pk)
        context = self.get_context_data(
            draft=draft,
            preview=preview,
            filename=filename,
            confirm_form=ConfirmTextImportForm(initial={"upload": token}),
        )
        return self.response_class(
            request=request,
            template=["handbook/editor/import_preview.html"],
            context=context,
        )


class ConfirmImportView(_DraftImportMixin, TemplateView):
    """Step 2 (POST): import the file shown in the preview, read and checked again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        draft = self.get_draft()
        if draft is None:
            return self.no_draft()
        form = ConfirmTextImportForm(request.POST)
        upload = (
            unsign_text_upload(form.cleaned_data["upload"], draft=draft, user_pk=request.user.pk)
            if form.is_valid()
            else None
        )
        if upload is None:
            messages.error(
                request,
                gettext(
                    "The upload has expired, is not valid, or the draft changed since the "
                    "preview. Please upload the file again."
                ),
            )
            return redirect("handbook:import", guideline=self.guideline.slug)
        try:
            import_text(
                version=draft, data=upload["data"], filename=upload["name"], actor=request.user
            )
        except TextFormatError as error:
            return self.refused(
                draft=draft, file_errors=_file_errors(error), filename=upload["name"]
            )
        except ValidationError as error:
            return self.refused(draft=draft, file_errors=[{"message": m} for m in error.messages])
        messages.success(
            request,
            gettext("“%(name)s” has been imported into draft version %(number)s.")
            % {"name": upload["name"], "number": draft.number},
        )
        return redirect("handbook:edit", guideline=self.guideline.slug, number=draft.number)


class ExportTextView(EditorMixin, View):
    """A version's text as a file (Markdown or YAML) that imports back the same."""

    def get(self, request, *args, number: int, format: str, **kwargs):
        if format not in FORMATS:
            raise Http404(gettext("There is no such file format."))
        version = version_with_tips(guideline=self.guideline, number=number, user=request.user)
        if version is None:
            raise Http404(gettext("There is no version with this number."))
        try:
            data = export_text(version=version, format=format)
        except TextExportError as error:
            messages.error(request, str(error))
            return redirect("handbook:editor", guideline=self.guideline.slug)
        content_type = "text/markdown" if format == "markdown" else "application/yaml"
        response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
        filename = export_filename(version=version, format=format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
