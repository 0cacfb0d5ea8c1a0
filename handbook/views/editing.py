"""The editors' pages: dashboard, new draft, editing, publishing, discarding (retiring:
handbook.views.retiring).

Views only read input and show results; every write goes through handbook.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from handbook import services
from handbook.forms import RemovalFormSet, TipFormSet, VersionForm
from handbook.models import GuidelineVersion
from handbook.selectors import (
    current_version,
    handbook_events,
    latest_published,
    open_draft,
    version_with_tips,
    versions_with_tips,
)
from handbook.selectors.diff import diff_versions
from handbook.views.common import GuidelineMixin, LanguageMixin, present_version
from portal.forms import ErrorLink

EVENTS_PAGE_SIZE = 25
TIPS_PREFIX = "tips"
REMOVED_PREFIX = "removed"


class EditorMixin(LoginRequiredMixin, GuidelineMixin, LanguageMixin):
    """Editors of this guideline only (the editor role, or a role granted on this
    guideline: handbook.selectors.access): others get 403, the editor of another
    guideline too. Anonymous visitors are sent to the login page."""

    permission_required = "handbook.change_guidelineversion"

    def check_guideline_access(self) -> None:
        if not self.guideline_perm(self.permission_required):
            raise PermissionDenied(gettext("You may not edit this guideline."))


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


class EditorDashboardView(EditorMixin, TemplateView):
    """The open draft (or a button to start one), versions in force or to come, the audit
    trail of the handbook (paginated)."""

    template_name = "handbook/editor/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        current = current_version(guideline=self.guideline, today=today)
        paginator = Paginator(handbook_events(guideline=self.guideline), EVENTS_PAGE_SIZE)
        context.update(
            guideline=self.guideline,
            draft=open_draft(guideline=self.guideline),
            current=current,
            scheduled=list(
                self.guideline.versions.filter(
                    status=GuidelineVersion.Status.PUBLISHED, effective_date__gt=today
                ).order_by("effective_date", "number")
            ),
            page_obj=paginator.get_page(self.request.GET.get("pagina")),
            can_publish=self.guideline_perm("handbook.publish_guidelineversion"),
            can_create=self.guideline_perm("handbook.add_guidelineversion"),
        )
        return context


class CreateDraftView(EditorMixin, View):
    """POST: start a new draft from the latest version."""

    permission_required = "handbook.add_guidelineversion"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        slug = self.guideline.slug
        try:
            draft = services.create_draft(guideline=self.guideline, actor=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return redirect("handbook:editor", guideline=slug)
        messages.success(
            request,
            gettext("Draft version %(number)s has been created.") % {"number": draft.number},
        )
        return redirect("handbook:edit", guideline=slug, number=draft.number)


class DraftMixin(EditorMixin):
    """Loads the draft named in the URL, with its tips; 404 when it is not a draft."""

    def get_draft(self) -> GuidelineVersion:
        version = version_with_tips(
            guideline=self.guideline, number=self.kwargs["number"], user=self.request.user
        )
        if version is None or not version.is_draft:
            raise Http404(gettext("There is no draft with this number."))
        return version


class EditDraftView(DraftMixin, TemplateView):
    """Edit a draft: its own fields and its tips (add, remove, reorder, mark changes).

    "Add a tip" is a submit button that shows the form again with one more empty tip, so
    it works without JavaScript; nothing is saved until "Save draft".
    """

    template_name = "handbook/editor/edit.html"

    def _setup(self):
        self.draft = self.get_draft()
        previous = self.draft.based_on
        self.previous_texts = (
            {tip.lineage: tip.text for tip in previous.tips.all()} if previous else {}
        )
        self.known_lineages = set(self.previous_texts) | {t.lineage for t in self.draft.tips.all()}
        kept = {tip.lineage for tip in self.draft.tips.all()}
        # The previous version's tips this draft leaves out, in their order there.
        self.removed_texts = (
            {
                tip.lineage: tip.text
                for tip in sorted(previous.tips.all(), key=lambda t: t.number)
                if tip.lineage not in kept
            }
            if previous
            else {}
        )

    def _removals(self, data=None):
        marks = self.draft.editorial_removals or {}
        return RemovalFormSet(
            data,
            prefix=REMOVED_PREFIX,
            initial=[
                {
                    "lineage": lineage,
                    "not_material": str(lineage) in marks,
                    "note": marks.get(str(lineage), ""),
                }
                for lineage in self.removed_texts
            ],
            form_kwargs={"removed_texts": self.removed_texts},
        )

    def _form_kwargs(self):
        return {"previous_texts": self.previous_texts, "known_lineages": self.known_lineages}

    def get(self, request, *args, **kwargs):
        self._setup()
        draft = self.draft
        form = VersionForm(
            initial={
                "title": draft.title,
                "title_en": draft.title_en,
                "introduction": draft.introduction,
                "introduction_en": draft.introduction_en,
                "change_summary": draft.change_summary,
                "change_summary_en": draft.change_summary_en,
                "effective_date": draft.effective_date,
                "requires_reacknowledgement": draft.requires_reacknowledgement,
            }
        )
        formset = TipFormSet(
            prefix=TIPS_PREFIX,
            initial=[
                {
                    "lineage": tip.lineage,
                    "text": tip.text,
                    "text_en": tip.text_en,
                    "topic": tip.topic,
                    "topic_en": tip.topic_en,
                    "change": tip.change,
                    ORDERING_FIELD_NAME: tip.number,
                }
                for tip in sorted(draft.tips.all(), key=lambda t: t.number)
            ],
            form_kwargs=self._form_kwargs(),
        )
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, removals=self._removals())
        )

    def post(self, request, *args, **kwargs):
        self._setup()
        form = VersionForm(request.POST, draft=self.draft)
        formset = TipFormSet(request.POST, prefix=TIPS_PREFIX, form_kwargs=self._form_kwargs())
        # Without the removed tips' part (a page from before it), their marks stay.
        posted_removals = f"{REMOVED_PREFIX}-TOTAL_FORMS" in request.POST
        removals = self._removals(request.POST if posted_removals else None)
        if "add_tip" in request.POST:
            return self._with_extra_tip(form, formset, removals)
        service_errors: list[str] = []
        removals_valid = not posted_removals or removals.is_valid()
        if form.is_valid() and formset.is_valid() and removals_valid:
            tips = [
                services.TipInput(
                    text=tip_form.cleaned_data["text"],
                    text_en=tip_form.cleaned_data["text_en"],
                    # Not posted (a page from before topics): the tip keeps its topic.
                    topic=_posted(tip_form, "topic"),
                    topic_en=_posted(tip_form, "topic_en"),
                    change=tip_form.cleaned_data.get("change") or "",
                    lineage=tip_form.cleaned_data.get("lineage"),
                )
                for tip_form in formset.ordered_tips()
            ]
            try:
                services.update_draft(
                    draft=self.draft,
                    actor=request.user,
                    tips=tips,
                    editorial_removals=(
                        {
                            removal.cleaned_data["lineage"]: removal.cleaned_data["note"]
                            for removal in removals.forms
                            if removal.cleaned_data.get("not_material")
                        }
                        if posted_removals
                        else None
                    ),
                    **{name: form.cleaned_data[name] for name in VERSION_FIELDS},
                )
            except ValidationError as error:
                service_errors = _messages_of(error)
            else:
                messages.success(request, gettext("The draft has been saved."))
                return HttpResponseRedirect(
                    reverse(
                        "handbook:version",
                        kwargs={"guideline": self.guideline.slug, "number": self.draft.number},
                    )
                )
        context = self.get_context_data(form=form, formset=formset, removals=removals)
        context["error_summary"] = error_summary(form, formset, service_errors)
        if posted_removals and not removals_valid:
            context["error_summary"].extend(
                {"message": str(error), "target": "removed-tips"}
                for removal in removals.forms
                for errors in removal.errors.values()
                for error in errors
            )
            context["error_summary"].extend(
                {"message": str(error), "target": "removed-tips"}
                for error in removals.non_form_errors()
            )
        return self.render_to_response(context)

    def _with_extra_tip(self, form, formset, removals):
        """The same form, unsaved, with one more empty tip at the end."""
        initial_version = {name: form[name].value() for name in form.fields}
        tips = []
        for tip_form in formset.forms:
            tips.append({name: tip_form[name].value() for name in tip_form.fields})
        positions = [_int(tip.get(ORDERING_FIELD_NAME)) for tip in tips]
        tips.append({ORDERING_FIELD_NAME: max([p for p in positions if p] or [0]) + 1})
        form = VersionForm(initial=initial_version)
        formset = TipFormSet(prefix=TIPS_PREFIX, initial=tips, form_kwargs=self._form_kwargs())
        formset.forms[-1].fields["text"].widget.attrs["autofocus"] = True
        context = self.get_context_data(form=form, formset=formset, removals=removals)
        context["added_tip"] = len(formset.forms) - 1
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guideline"] = self.guideline
        context["draft"] = self.draft
        context["deletion_field"] = DELETION_FIELD_NAME
        context["ordering_field"] = ORDERING_FIELD_NAME
        return context


VERSION_FIELDS = (
    "title",
    "title_en",
    "introduction",
    "introduction_en",
    "change_summary",
    "change_summary_en",
    "effective_date",
    "requires_reacknowledgement",
)


def _posted(form, name: str) -> str | None:
    """The field's cleaned value if the page sent it, else None."""
    return form.cleaned_data.get(name, "") if form.add_prefix(name) in form.data else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def error_summary(form, formset, service_errors) -> list[ErrorLink]:
    """Every error on the page: the version's, then the tips' (each named by its number and
    linked to its field, or to the tip), then those of the tips as a whole."""
    summary = form.error_summary()
    summary.extend({"message": str(error), "target": "tips"} for error in formset.non_form_errors())
    for position, tip_form in enumerate(formset.forms, start=1):
        tip = gettext("Tip %(number)s") % {"number": position}
        summary.extend(
            {
                "message": f"{tip} – {error['message']}",
                "target": error["target"] or f"tip-form-{position - 1}",
            }
            for error in tip_form.error_summary()
        )
    summary.extend({"message": str(error), "target": "tips"} for error in service_errors)
    return summary


class DraftDiffMixin:
    """The draft compared with the version in force (or the latest published one)."""

    def diff_against_published(self, draft, *, language: str):
        base = current_version(guideline=self.guideline) or latest_published(
            guideline=self.guideline
        )
        if base is None:
            return None, None
        versions = versions_with_tips(
            guideline=self.guideline, numbers=[base.number, draft.number], user=self.request.user
        )
        return base, diff_versions(
            old=versions[base.number], new=versions[draft.number], language=language
        )


class PublishView(DraftMixin, DraftDiffMixin, TemplateView):
    """Confirm and publish a draft (POST). Shows what will be published, its difference
    with the version in force, and why it cannot be published yet, if so."""

    template_name = "handbook/editor/publish.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        draft = self.get_draft()
        try:
            version = services.publish_version(draft=draft, actor=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request,
            gettext("Version %(number)s has been published. It can no longer be changed.")
            % {"number": version.number},
        )
        return redirect("handbook:version", guideline=self.guideline.slug, number=version.number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.get_draft()
        base, diff = self.diff_against_published(draft, language=context["text_language"])
        context.update(
            guideline=self.guideline,
            draft=draft,
            page=present_version(draft, language=context["text_language"], current=None),
            base=base,
            diff=diff,
            blockers=services.publish_blockers(draft=draft, actor=self.request.user),
        )
        return context


class DiscardView(DraftMixin, TemplateView):
    """Confirm and discard (delete) a draft (POST)."""

    template_name = "handbook/editor/discard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(guideline=self.guideline, draft=self.get_draft())
        return context

    def post(self, request, *args, **kwargs):
        draft = self.get_draft()
        try:
            services.discard_draft(draft=draft, actor=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return redirect("handbook:editor", guideline=self.guideline.slug)
        messages.success(
            request,
            gettext("Draft version %(number)s has been discarded.") % {"number": draft.number},
        )
        return redirect("handbook:editor", guideline=self.guideline.slug)
