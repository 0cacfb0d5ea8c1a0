"""/handreikingen/<guideline>/wat-is-er-veranderd/: what changed in the guideline since
the employee last signed it.

The difference (handbook.selectors.diff) from the version the employee last signed to the current
one: the tips changed in meaning first, each with a link to its page and whether the
employee opened it, then removed tips, editorial changes, and the unchanged tips in
brief; with links to the quiz on the changes and to the signing page.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from acknowledgements.selectors import eligibility, reacknowledgement
from acknowledgements.services.reading import read_tip_numbers
from handbook.models import GuidelineVersion, Tip
from handbook.selectors import tips_between
from handbook.selectors.access import guideline_by_slug
from handbook.selectors.diff import TipStatus, diff_versions
from portal.viewhelpers import content_language


class ChangesView(LoginRequiredMixin, View):
    template_name = "acknowledgements/changes.html"

    def get(self, request, guideline: str):
        version = eligibility.current_version_of(slug=guideline)
        language = content_language(request)
        if version is None:
            found = guideline_by_slug(slug=guideline)
            if found is None:
                raise Http404(_("There is no guideline with this name."))
            context = {"empty": True, "guideline": found}
            context["guideline_title"] = found.title_in(language)
            return render(request, self.template_name, context)
        employee = request.user
        status = reacknowledgement.status_for(employee=employee, version=version)
        context = {
            "version": version,
            "guideline": version.guideline,
            "guideline_title": version.guideline.title_in(language),
            "status": status,
            "title": version.title_in(language),
            "title_language": "en" if language == "en" and version.title_en else "nl",
        }
        since = status.signed_version
        if since is not None:
            context.update(self._changes(employee, since, version, status, language))
        return render(request, self.template_name, context)

    def _changes(self, employee, since, version, status, language) -> dict:
        tips = Prefetch("tips", queryset=Tip.objects.order_by("number"))
        found = {
            v.pk: v
            for v in GuidelineVersion.objects.filter(pk__in=[since.pk, version.pk])
            .select_related(None)
            .prefetch_related(tips)
        }
        diff = diff_versions(
            old=found[since.pk],
            new=found[version.pk],
            language=language,
            between=tips_between(
                guideline=version.guideline_id, low=since.number, high=version.number
            ),
        )
        required = {tip.number for tip in status.changed_tips}
        read = read_tip_numbers(employee=employee, version=version)
        for tip in diff.tips:
            tip.required = tip.new_number in required
            tip.read = tip.new_number in read
        material = (TipStatus.MATERIAL, TipStatus.NEW)
        # Tips that must be re-read come first, whatever the diff calls them.
        first = [t for t in diff.tips if t.required or t.status in material]
        context = {
            "diff": diff,
            "material_tips": first,
            "removed_tips": [t for t in diff.tips if t.status == TipStatus.REMOVED],
            "editorial_tips": [
                t for t in diff.tips if t.status == TipStatus.EDITORIAL and t not in first
            ],
            "unchanged_tips": [
                t for t in diff.tips if t.status == TipStatus.UNCHANGED and t not in first
            ],
            "unread_count": sum(1 for t in first if t.required and not t.read),
        }
        if status.must_resign:
            needed = eligibility.requirements(employee=employee, version=version, status=status)
            context["quiz_purpose"] = needed.quiz_purpose
            context["quiz_missing"] = needed.quiz_missing
            context["can_sign"] = not needed.unread and not needed.quiz_missing
        return context
