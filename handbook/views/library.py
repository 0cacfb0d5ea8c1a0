"""The guidelines as a library: the list every member of staff reads, the editors' list,
creating a guideline and choosing whom a guideline applies to (its audience)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from handbook.forms import AudienceForm, GuidelineForm
from handbook.selectors.library import any_guideline, editor_library, library_for
from handbook.services import guidelines as guideline_services
from handbook.views.editing import EditorMixin
from portal.viewhelpers import content_language


class GuidelineListView(LoginRequiredMixin, TemplateView):
    """/handreikingen/: the guidelines that apply to me, then the other guidelines."""

    template_name = "handbook/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        library = library_for(user=self.request.user, language=content_language(self.request))
        context["library"] = library
        context["no_guideline"] = library.empty and not any_guideline()
        return context


def _may_create(user) -> bool:
    return user.has_perm(guideline_services.CREATE_PERMISSION)


class LibraryView(LoginRequiredMixin, TemplateView):
    """/handreikingen/redactie/: the guidelines this editor edits, and "new guideline"
    for the editors of every guideline. Someone who edits none gets 403."""

    template_name = "handbook/editor/library.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entries = editor_library(user=user, language=content_language(self.request))
        may_create = _may_create(user)
        if not entries and not may_create:
            raise PermissionDenied(gettext("You do not edit any guideline."))
        context.update(entries=entries, may_create=may_create)
        return context


def _service_errors(form, error: ValidationError) -> None:
    """A service's refusal, on the form's fields where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class CreateGuidelineView(LoginRequiredMixin, TemplateView):
    """/handreikingen/redactie/nieuw/: a new guideline with its first draft. Editors of
    every guideline only; the editor of one guideline gets 403."""

    template_name = "handbook/editor/create_guideline.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_create(request.user):
            raise PermissionDenied(gettext("You may not create guidelines."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=GuidelineForm()))

    def post(self, request, *args, **kwargs):
        form = GuidelineForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                guideline = guideline_services.create_guideline(
                    actor=request.user,
                    slug=data["slug"],
                    title=data["title"],
                    title_en=data["title_en"],
                    owner=data["owner"],
                    review_date=data["review_date"],
                    introduction=data["introduction"],
                    introduction_en=data["introduction_en"],
                    **form.audience_choices(),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext(
                        "The guideline “%(title)s” has been created, with draft version 1. "
                        "Write its tips, or import its text from a file."
                    )
                    % {"title": guideline.title},
                )
                return redirect("handbook:editor", guideline=guideline.slug)
        context = self.get_context_data(form=form, error_summary=form.error_summary())
        return self.render_to_response(context, status=400)


class AudienceView(EditorMixin, TemplateView):
    """/handreikingen/<g>/redactie/doelgroep/: whom the guideline applies to. The editors
    of this guideline (also one granted on it alone)."""

    template_name = "handbook/editor/audience.html"

    def get(self, request, *args, **kwargs):
        form = AudienceForm(
            initial=AudienceForm.initial_for(self.guideline), guideline=self.guideline
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = AudienceForm(request.POST, guideline=self.guideline)
        if form.is_valid():
            try:
                guideline_services.update_guideline_audience(
                    guideline=self.guideline, actor=request.user, **form.audience_choices()
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, gettext("The audience has been saved."))
                return redirect("handbook:editor", guideline=self.guideline.slug)
        context = self.get_context_data(form=form, error_summary=form.error_summary())
        return self.render_to_response(context, status=400)
