"""Pages that every member of staff reads: the current version, its tips, the history,
any version, the difference between two versions, a printable page and a PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.generic import TemplateView

from handbook.forms import DiffForm
from handbook.selectors import (
    current_version,
    tips_between,
    version_state,
    version_with_tips,
    versions_with_tips,
    visible_versions,
)
from handbook.selectors.diff import diff_versions
from handbook.signals import tip_viewed
from handbook.views.common import STATE_LABELS, HandbookPageMixin, present_version
from portal.viewhelpers import content_language, localise

HISTORY_PAGE_SIZE = 20


class VersionPageMixin(HandbookPageMixin):
    """Loads one version with its tips: the current one, or the one in the URL."""

    use_current = False

    def get_version(self):
        today = timezone.localdate()
        self.current = current_version(guideline=self.guideline, today=today)
        if self.use_current:
            if self.current is None:
                return None
            number = self.current.number
        else:
            number = self.kwargs["number"]
        version = version_with_tips(guideline=self.guideline, number=number, user=self.request.user)
        if version is None and not self.use_current:
            raise Http404(gettext("There is no version with this number."))
        return version

    def get(self, request, *args, **kwargs):
        self.version = self.get_version()
        if self.version is None:
            context = {"reason": "no_current", "guideline": self.guideline}
            context["can_edit"] = self.guideline_perm("handbook.change_guidelineversion")
            return self.response_class(
                request=request,
                template=["handbook/empty.html"],
                context=context,
                using=self.template_engine,
            )
        self.presentation = present_version(
            self.version, language=content_language(request), current=self.current
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guideline"] = self.guideline
        context["version"] = self.version
        context["page"] = self.presentation
        context["is_current_page"] = self.use_current
        context["can_edit"] = self.guideline_perm("handbook.change_guidelineversion")
        context["can_publish"] = self.guideline_perm("handbook.publish_guidelineversion")
        context["current"] = self.current
        return context


class CurrentVersionView(VersionPageMixin, TemplateView):
    """The version in force today, with its introduction and all tips."""

    template_name = "handbook/version_detail.html"
    use_current = True


class VersionView(VersionPageMixin, TemplateView):
    """Any version readable by this user; for a draft, the editors' preview."""

    template_name = "handbook/version_detail.html"


class TipPageMixin(VersionPageMixin):
    template_name = "handbook/tip_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = self.kwargs["tip"]
        tip = self.presentation.tip(number)
        if tip is None:
            raise Http404(gettext("This version has no tip with this number."))
        context["tip"] = tip
        tip_viewed.send(sender=type(self), employee=self.request.user, tip=tip.tip)
        context["previous_tip"], context["next_tip"] = self.presentation.neighbours(number)
        return context


class CurrentTipView(TipPageMixin, TemplateView):
    """One tip of the current version, with links to the previous and next tip."""

    use_current = True


class TipView(TipPageMixin, TemplateView):
    """One tip of a given version."""


class PrintView(VersionPageMixin, TemplateView):
    """A version laid out for paper: no navigation, the hash on the page."""

    template_name = "handbook/print.html"


class PdfView(VersionPageMixin, TemplateView):
    """A version as a tagged PDF (PDF/UA-1), made with WeasyPrint."""

    template_name = "handbook/pdf.html"

    def render_to_response(self, context, **response_kwargs):
        from portal.pdf import page_counter_css, render_pdf

        language = self.presentation.language
        with translation.override(language):
            context["page_counter"] = page_counter_css(gettext("page %(page)s of %(pages)s"))
            html = render_to_string(self.template_name, context, request=self.request)
            title = gettext("%(title)s – version %(number)s") % {
                "title": self.presentation.title.text,
                "number": self.version.number,
            }
        pdf = render_pdf(html, language=language, title=title)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{self.guideline.slug}-{self.version.number}-{language}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class HistoryView(HandbookPageMixin, TemplateView):
    """Every version this user may see, newest first, paginated."""

    template_name = "handbook/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        current = current_version(guideline=self.guideline, today=today)
        paginator = Paginator(
            visible_versions(guideline=self.guideline, user=self.request.user), HISTORY_PAGE_SIZE
        )
        page = paginator.get_page(self.request.GET.get("pagina"))
        language = context["text_language"]
        context["guideline"] = self.guideline
        context["current"] = current
        context["page_obj"] = page
        context["rows"] = [
            {
                "version": version,
                "state": (state := version_state(version=version, current=current, today=today)),
                "state_label": STATE_LABELS[state],
                "title": localise(version.title, version.title_en, language),
                "change_summary": localise(
                    version.change_summary, version.change_summary_en, language
                ),
                "content_hash": version.content_hash,
            }
            for version in page.object_list
        ]
        return context


class DiffView(HandbookPageMixin, TemplateView):
    """The difference between two versions, word by word and per tip."""

    template_name = "handbook/diff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        versions = list(
            visible_versions(guideline=self.guideline, user=user)
            .select_related(None)
            .only("number", "status", "effective_date", "guideline_id")
        )
        current = current_version(guideline=self.guideline)
        data = self.request.GET.copy()
        if versions and ("naar" not in data or "van" not in data):
            data.setdefault("naar", str(self._default_to(versions, current)))
            to_number = _int_or_none(data.get("naar"))
            data.setdefault("van", str(self._default_from(versions, to_number)))
        form = DiffForm(data if versions else None, versions=versions, current=current)
        context["form"] = form
        context["guideline"] = self.guideline
        context["diff"] = None
        if len(versions) < 2:
            context["too_few"] = True
            return context
        if not form.is_valid():
            return context
        old_number, new_number = form.cleaned_data["van"], form.cleaned_data["naar"]
        found = versions_with_tips(
            guideline=self.guideline, numbers=[old_number, new_number], user=user
        )
        old, new = found[old_number], found[new_number]
        low, high = sorted((old_number, new_number))
        diff = diff_versions(
            old=old,
            new=new,
            language=context["text_language"],
            between=tips_between(guideline=self.guideline, low=low, high=high),
        )
        context["diff"] = diff
        context["old_title"] = localise(old.title, old.title_en, context["text_language"])
        context["new_title"] = localise(new.title, new.title_en, context["text_language"])
        return context

    @staticmethod
    def _default_to(versions, current) -> int:
        if current is not None:
            return current.number
        return versions[0].number

    @staticmethod
    def _default_from(versions, to_number) -> int:
        """The version just before the "to" version, or else the nearest other one."""
        numbers = sorted(v.number for v in versions)
        earlier = [n for n in numbers if to_number is not None and n < to_number]
        if earlier:
            return earlier[-1]
        others = [n for n in numbers if n != to_number]
        return others[0] if others else numbers[0]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


__all__ = [
    "CurrentTipView",
    "CurrentVersionView",
    "DiffView",
    "HistoryView",
    "PdfView",
    "PrintView",
    "TipView",
    "VersionView",
]
