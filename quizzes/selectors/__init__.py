"""Shared reads of the quiz. Other apps (acknowledgements, the editors' statistics) use
these; nothing here writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from handbook.models import GuidelineVersion, Tip
from people.models import Employee
from quizzes.models import Answer, Attempt, AttemptQuestion, Option, Question, QuizSettings

MATERIAL_CHANGES = (Tip.Change.MATERIAL, Tip.Change.NEW)


def quiz_settings(*, version: GuidelineVersion) -> QuizSettings:
    """The version's settings, or the defaults (unsaved) when none were stored yet."""
    return QuizSettings.objects.filter(version=version).first() or QuizSettings(version=version)


def start_of_today(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Midnight at the start of today, local time: the daily attempt limit counts from it."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def quiz_required_condition(*, version: GuidelineVersion | int | OuterRef) -> Q:
    """Whether signing the version asks for a passed quiz, as a condition for one-query
    checks: the version's setting (the default when none is stored) and at least one
    active question. The same rule as acknowledgements.selectors.eligibility.quiz_required."""
    required = QuizSettings._meta.get_field("required_for_acknowledgement").default
    setting = Subquery(
        QuizSettings.objects.filter(version=version).values("required_for_acknowledgement")[:1]
    )
    return Q(Coalesce(setting, Value(required))) & Q(
        Exists(Question.objects.filter(version=version, is_active=True))
    )


def passed_attempts(
    *,
    employee: Employee | int,
    version: GuidelineVersion | int | OuterRef,
    purpose: str | None = None,
) -> QuerySet[Attempt]:
    """The employee's passed attempts at this version's quiz (of this purpose, if given),
    newest first: the first is the one a signature refers to."""
    attempts = latest_attempts(employee=employee, version=version).filter(passed=True)
    if purpose is not None:
        attempts = attempts.filter(purpose=purpose)
    return attempts


def has_passed(
    *,
    employee: Employee,
    version: GuidelineVersion,
    purpose: str | None = None,
    since: datetime.datetime | None = None,
) -> bool:
    """Whether the employee passed the quiz of this version (of this purpose, if given;
    submitted ``since`` then, if given)."""
    attempts = passed_attempts(employee=employee, version=version, purpose=purpose)
    if since is not None:
        attempts = attempts.filter(submitted_at__gte=since)
    return attempts.exists()


def latest_attempts(
    *, employee: Employee | int, version: GuidelineVersion | int | OuterRef
) -> QuerySet[Attempt]:
    """The employee's attempts at this version's quiz, newest first (slice as needed)."""
    return Attempt.objects.filter(employee=employee, version=version).order_by("-started_at", "-pk")


def attempts_started_today(
    *, employee: Employee, version: GuidelineVersion, now: datetime.datetime | None = None
) -> int:
    return Attempt.objects.filter(
        employee=employee, version=version, started_at__gte=start_of_today(now=now)
    ).count()


def attempts_left_today(
    *,
    employee: Employee,
    version: GuidelineVersion,
    settings: QuizSettings | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """How many attempts the employee may still start today (0 or more)."""
    settings = settings or quiz_settings(version=version)
    used = attempts_started_today(employee=employee, version=version, now=now)
    return max(0, settings.attempts_per_day - used)


def last_served_by_key(
    *, employee: Employee, version: GuidelineVersion
) -> dict[str, datetime.datetime]:
    """When each question was last served to the employee, by question key: the start of
    the latest attempt that served it. A question keeps its key in every version (a new
    version's bank is a copy of the previous one), so attempts at every version of this
    version's guideline count; other guidelines' and other employees' never do.
    One query, however many attempts there were."""
    return dict(
        AttemptQuestion.objects.filter(
            attempt__employee=employee, attempt__version__guideline_id=version.guideline_id
        )
        .values("question__key")
        .annotate(last=Max("attempt__started_at"))
        .values_list("question__key", "last")
    )


def open_attempt(
    *,
    employee: Employee,
    version: GuidelineVersion,
    purpose: str,
    now: datetime.datetime | None = None,
) -> Attempt | None:
    """An attempt of this purpose that was started, not submitted and has not expired."""
    return (
        Attempt.objects.filter(
            employee=employee,
            version=version,
            purpose=purpose,
            submitted_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        .order_by("-started_at", "-pk")
        .first()
    )


def ordered_tips(*, question_ids: Iterable[int]) -> dict[int, list[Tip]]:
    """Each question's tips in the order they were given (main tip first): one query.

    The order is that of the rows in the question-tip table; quizzes.services writes
    them in the bank file's order.
    """
    through = Question.tips.through
    rows = (
        through.objects.filter(question_id__in=list(question_ids))
        .select_related("tip")
        .order_by("pk")
    )
    tips: dict[int, list[Tip]] = {}
    for row in rows:
        tips.setdefault(row.question_id, []).append(row.tip)
    return tips


def active_question_count(*, version: GuidelineVersion) -> int:
    return Question.objects.filter(version=version, is_active=True).count()


def change_question_count(*, version: GuidelineVersion) -> int:
    """Active questions that test a tip changed in meaning (or new) in this version."""
    return (
        Question.objects.filter(version=version, is_active=True, tips__change__in=MATERIAL_CHANGES)
        .distinct()
        .count()
    )


def changes_question_count(*, version: GuidelineVersion, tip_ids: Collection[int]) -> int:
    """Active questions of the version on any of these tips."""
    return (
        version.questions.filter(is_active=True, tips__in=list(tip_ids)).distinct().count()
        if tip_ids
        else 0
    )


def served_questions(*, attempt: Attempt) -> list[AttemptQuestion]:
    """What was served in the attempt, in order, with questions, options and the answers
    given (answer is None when not answered or pruned): four queries however many."""
    answers = Answer.objects.prefetch_related(
        Prefetch("chosen", queryset=Option.objects.only("pk", "question_id"))
    )
    return list(
        attempt.served.select_related("question")
        .prefetch_related(
            Prefetch("question__options", queryset=Option.objects.order_by("position")),
        )
        .prefetch_related(Prefetch("answer", queryset=answers))
        .order_by("position")
    )


def attempt_of(*, employee: Employee, attempt_id: int) -> Attempt | None:
    """The employee's own attempt with this id; None for anyone else's (no leak)."""
    return (
        Attempt.objects.select_related("version", "version__guideline")
        .filter(pk=attempt_id, employee=employee)
        .first()
    )
