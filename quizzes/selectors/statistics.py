"""Quiz statistics for editors and auditors: aggregate figures per question and per tip.

Everything is computed in the database over the answers of finished (submitted)
attempts of one guideline version, with a fixed number of queries however many attempts
there are. The figures are totals only: nothing here returns a name or one person's
answers.

Per question:

* answered ``n``: the answers that exist (answers are pruned after the retention period;
  attempts keep their score);
* facility: the share of those answers that is right;
* discrimination: the point-biserial correlation between the item score ``x`` (1 when
  the answer is right, else 0) and the rest score ``y = attempt.correct_count - x``::

      r = (nΣxy − ΣxΣy) / sqrt((nΣx² − (Σx)²)(nΣy² − (Σy)²))

  The sums come from the database; the formula is finished in Python. ``None`` when
  n < 2 or either variance is 0;
* how often each option was chosen.

Per tip: the share of right answers to the questions that test it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from handbook.models import GuidelineVersion, Tip
from portal import suppression
from quizzes.models import Answer, Attempt, Option, Question
from quizzes.selectors import ordered_tips

# A question is judged on its discrimination only with at least this many answers.
MIN_ANSWERS_FOR_FLAG = 10
# Below this, a question hardly tells people who know the guideline from those who don't.
LOW_DISCRIMINATION = 0.2
# A tip tested by fewer active questions than this is flagged on the bank page.
MIN_QUESTIONS_PER_TIP = 3


class Flag:
    """How a question's discrimination is judged (shown as text, never by colour alone)."""

    TOO_FEW = "too_few"
    NO_VARIANCE = "no_variance"
    NEGATIVE = "negative"
    LOW = "low"
    OK = "ok"


FLAG_LABELS = {
    Flag.TOO_FEW: _("Too few answers to judge"),
    Flag.NO_VARIANCE: _("Cannot be computed: everyone scored alike"),
    Flag.NEGATIVE: _("Negative discrimination: check this question"),
    Flag.LOW: _("Low discrimination: check this question"),
    Flag.OK: _("OK"),
}


def point_biserial(
    *, n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float
) -> float | None:
    """r from the sums; ``None`` when n < 2 or either variance is 0."""
    if n < 2:
        return None
    variance_x = n * sxx - sx * sx
    variance_y = n * syy - sy * sy
    if variance_x <= 0 or variance_y <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(variance_x * variance_y)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


@dataclass(frozen=True)
class OptionStats:
    option: Option
    chosen: int
    share: float | None  # of the answers to the question in which this option was ticked

    @property
    def share_percent(self) -> int | None:
        return _percent(self.share)

    @property
    def is_correct(self) -> bool:
        return self.option.is_correct


@dataclass
class QuestionStats:
    question: Question
    tips: list[Tip]
    answered: int = 0
    correct: int = 0
    discrimination: float | None = None
    options: list[OptionStats] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def main_tip(self) -> Tip | None:
        return self.tips[0] if self.tips else None

    @property
    def facility(self) -> float | None:
        return _share(self.correct, self.answered)

    @property
    def facility_percent(self) -> int | None:
        return _percent(self.facility)

    @property
    def flag(self) -> str:
        if self.answered < MIN_ANSWERS_FOR_FLAG:
            return Flag.TOO_FEW
        if self.discrimination is None:
            return Flag.NO_VARIANCE
        if self.discrimination < 0:
            return Flag.NEGATIVE
        if self.discrimination < LOW_DISCRIMINATION:
            return Flag.LOW
        return Flag.OK

    @property
    def flag_label(self) -> str:
        return str(FLAG_LABELS[self.flag])

    @property
    def needs_attention(self) -> bool:
        return self.flag in (Flag.NEGATIVE, Flag.LOW)


@dataclass
class TipStats:
    tip: Tip
    questions: int  # questions of the version that test this tip
    answered: int = 0
    correct: int = 0

    @property
    def share_correct(self) -> float | None:
        return _share(self.correct, self.answered)

    @property
    def share_correct_percent(self) -> int | None:
        return _percent(self.share_correct)


@dataclass(frozen=True)
class AttemptSummary:
    attempts: int
    passed: int
    average_percent: float | None
    people: int = 0  # who finished at least one attempt
    # Fewer people than the smallest group shown (portal.suppression): no figure of the
    # version may be shown, the total being a group too.
    hidden: bool = False

    @property
    def pass_rate(self) -> float | None:
        return _share(self.passed, self.attempts)

    @property
    def pass_rate_percent(self) -> int | None:
        return _percent(self.pass_rate)


def _finished(prefix: str = "") -> Q:
    return Q(**{f"{prefix}submitted_at__isnull": False, f"{prefix}correct_count__isnull": False})


def _finished_answers(version: GuidelineVersion) -> QuerySet[Answer]:
    """Answers to the version's questions in its submitted attempts."""
    return Answer.objects.filter(
        _finished("served__attempt__"),
        served__question__version=version,
        served__attempt__version=version,
    )


def _questions(version: GuidelineVersion) -> list[Question]:
    return list(
        Question.objects.filter(version=version)
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .order_by("position", "key")
    )


def question_statistics(*, version: GuidelineVersion) -> list[QuestionStats]:
    """Every question of the version (active or not) with its figures: five queries."""
    questions = _questions(version)
    tips = ordered_tips(question_ids=[question.pk for question in questions])
    item = Case(When(is_correct=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    rest = ExpressionWrapper(
        F("served__attempt__correct_count") - item, output_field=IntegerField()
    )
    sums = {
        row["served__question"]: row
        for row in _finished_answers(version)
        .values("served__question")
        .annotate(
            n=Count("pk"),
            sx=Sum(item),
            sy=Sum(rest),
            sxy=Sum(ExpressionWrapper(item * rest, output_field=IntegerField())),
            syy=Sum(ExpressionWrapper(rest * rest, output_field=IntegerField())),
        )
        .order_by()
    }
    chosen_counts = {
        row["option"]: row["chosen"]
        for row in Answer.chosen.through.objects.filter(
            _finished("answer__served__attempt__"),
            answer__served__question__version=version,
            answer__served__attempt__version=version,
        )
        .values("option")
        .annotate(chosen=Count("pk"))
        .order_by()
    }

    result = []
    for question in questions:
        row = sums.get(question.pk)
        stats = QuestionStats(question=question, tips=tips.get(question.pk, []))
        if row:
            n, sx = row["n"], row["sx"] or 0
            stats.answered, stats.correct = n, sx
            # x is 0 or 1, so Σx² = Σx.
            stats.discrimination = point_biserial(
                n=n, sx=sx, sy=row["sy"] or 0, sxy=row["sxy"] or 0, sxx=sx, syy=row["syy"] or 0
            )
        stats.options = [
            OptionStats(
                option=option,
                chosen=chosen_counts.get(option.pk, 0),
                share=_share(chosen_counts.get(option.pk, 0), stats.answered),
            )
            for option in question.options.all()
        ]
        result.append(stats)
    return result


def tip_statistics(*, version: GuidelineVersion) -> list[TipStats]:
    """Every tip of the version, with the share of right answers to the questions that
    test it: two queries."""
    item = Case(When(is_correct=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    sums = {
        row["served__question__tips"]: row
        for row in _finished_answers(version)
        .filter(served__question__tips__isnull=False)
        .values("served__question__tips")
        .annotate(n=Count("pk"), correct=Sum(item))
        .order_by()
    }
    tips = Tip.objects.filter(version=version).annotate(question_count=Count("questions"))
    result = []
    for tip in tips.order_by("number"):
        row: Mapping[str, Any] = sums.get(tip.pk) or {}
        result.append(
            TipStats(
                tip=tip,
                questions=tip.question_count,
                answered=row.get("n", 0),
                correct=row.get("correct") or 0,
            )
        )
    return result


def attempt_summary(*, version: GuidelineVersion) -> AttemptSummary:
    """How many attempts were finished and passed, the average score, and by how many
    people (too few: ``hidden``, by portal.suppression's rule): one query."""
    totals = Attempt.objects.filter(_finished(), version=version).aggregate(
        people=Count("employee_id", distinct=True),
        attempts=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        average=Avg(
            ExpressionWrapper(
                F("correct_count") * 100.0 / F("question_count"), output_field=FloatField()
            ),
            filter=Q(question_count__gt=0),
        ),
    )
    return AttemptSummary(
        attempts=totals["attempts"],
        passed=totals["passed"],
        average_percent=float(totals["average"]) if totals["average"] is not None else None,
        people=totals["people"],
        hidden=suppression.suppress(
            sizes={version.pk: totals["people"]}, minimum=suppression.min_group_size()
        ).total_hidden,
    )


# Sorting -------------------------------------------------------------------------------


# Any: a column's figure (text, a number or None); only those not None are compared.
QUESTION_SORTS: dict[str, Callable[[QuestionStats], Any]] = {
    "key": lambda s: s.key,
    "tip": lambda s: s.main_tip.number if s.main_tip else None,
    "answered": lambda s: s.answered,
    "facility": lambda s: s.facility,
    "discrimination": lambda s: s.discrimination,
}
DEFAULT_SORT = "key"


def parse_sort(*, value: str | None) -> tuple[str, bool]:
    """``?sort=facility`` or ``?sort=-facility`` → (column, descending); unknown → key."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in QUESTION_SORTS:
        return DEFAULT_SORT, False
    return column, descending


def sort_question_statistics(
    *, stats: Iterable[QuestionStats], column: str, descending: bool = False
) -> list[QuestionStats]:
    """Sorted by a column of QUESTION_SORTS; questions without a figure always go last."""
    stats = list(stats)
    value_of = QUESTION_SORTS[column]
    with_value = [s for s in stats if value_of(s) is not None]
    without = [s for s in stats if value_of(s) is None]
    # Ties stay in key order both ways: sort by key, then (stably) by the value.
    with_value.sort(key=lambda s: s.key)
    with_value.sort(key=value_of, reverse=descending)
    without.sort(key=lambda s: s.key)
    return with_value + without
