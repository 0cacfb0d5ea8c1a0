"""Quiz statistics for editors and auditors: aggregate figures only, never a person."""

from __future__ import annotations

import csv
import io
import logging

from django.http import Http404, HttpResponse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from handbook.models import GuidelineVersion
from portal import suppression
from quizzes.selectors import statistics
from quizzes.views.editor_common import (
    QuizEditorMixin,
    no_version_response,
)
from security.services import record_download

logger = logging.getLogger(__name__)


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
            return no_version_response(self)
        if request.GET.get("format") == "csv":
            return record_download(
                request=request, response=statistics_csv_response(version), what="quiz_statistics"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        column, descending = statistics.parse_sort(value=self.request.GET.get("sort"))
        question_stats = statistics.sort_question_statistics(
            stats=statistics.question_statistics(version=version),
            column=column,
            descending=descending,
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
        summary = statistics.attempt_summary(version=version)
        if summary.hidden:  # too few people: no figure at all (portal.suppression)
            question_stats = []
        context.update(
            summary=summary,
            min_group_size=suppression.min_group_size(),
            questions=question_stats,
            tips=[] if summary.hidden else statistics.tip_statistics(version=version),
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
        return record_download(
            request=request, response=statistics_csv_response(version), what="quiz_statistics"
        )


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
    # Too few people (portal.suppression): the header only, as the page shows none.
    hidden = statistics.attempt_summary(version=version).hidden
    for stats in [] if hidden else statistics.question_statistics(version=version):
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
