"""The editors' page that changes only a version's tip topics: of a draft, and of a
published version without a new version (a topic is not part of the signed text:
handbook.services.topics)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from handbook.forms import TopicFormSet
from handbook.models import GuidelineVersion
from handbook.selectors import version_with_tips
from handbook.services.topics import TopicInput, change_topics
from handbook.views.editing import EditorMixin

TOPICS_PREFIX = "topics"


class TopicsView(EditorMixin, TemplateView):
    """GET: every tip of the version with its topics in a form; POST: saves them.
    Editors of this guideline only (EditorMixin); 404 for a retired version."""

    template_name = "handbook/editor/topics.html"

    def get_version(self) -> GuidelineVersion:
        version = version_with_tips(
            guideline=self.guideline, number=self.kwargs["number"], user=self.request.user
        )
        if version is None or version.status == GuidelineVersion.Status.RETIRED:
            raise Http404(gettext("This version's topics cannot be changed."))
        return version

    def _formset(self, version: GuidelineVersion, data=None):
        tips = sorted(version.tips.all(), key=lambda tip: tip.number)
        return TopicFormSet(data, prefix=TOPICS_PREFIX, tips=tips)

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        return self.render_to_response(
            self.get_context_data(version=version, formset=self._formset(version))
        )

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        formset = self._formset(version, request.POST)
        errors: list[str] = []
        if formset.is_valid():
            topics = [
                TopicInput(
                    number=tip.number,
                    topic=form.cleaned_data.get("topic", ""),
                    topic_en=form.cleaned_data.get("topic_en", ""),
                )
                for tip, form in formset.with_tips()
            ]
            try:
                changed = change_topics(version=version, actor=request.user, topics=topics)
            except ValidationError as error:
                errors = [str(message) for message in error.messages]
            else:
                if changed:
                    messages.success(
                        request,
                        ngettext(
                            "The topic of %(count)s tip has been saved.",
                            "The topics of %(count)s tips have been saved.",
                            len(changed),
                        )
                        % {"count": len(changed)},
                    )
                else:
                    messages.info(request, gettext("No topic was changed."))
                return HttpResponseRedirect(
                    reverse(
                        "handbook:version",
                        kwargs={"guideline": self.guideline.slug, "number": version.number},
                    )
                )
        context = self.get_context_data(version=version, formset=formset)
        context["error_summary"] = [
            {
                "message": gettext("Tip %(number)s") % {"number": tip.number} + f" – {error}",
                "target": form[name].auto_id,
            }
            for tip, form in formset.with_tips()
            for name, field_errors in form.errors.items()
            for error in field_errors
        ] + [{"message": message, "target": "topics-form"} for message in errors]
        return self.render_to_response(context)
