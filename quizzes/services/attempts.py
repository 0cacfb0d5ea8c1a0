"""Attempts: drawing questions, scoring on the server only, pruning old answers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Collection

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from handbook.models import GuidelineVersion
from people.models import Employee
from quizzes import selectors
from quizzes.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Option,
    Question,
    QuizEvent,
)
from quizzes.services.common import _log
from quizzes.services.drawing import Candidate, draw
from quizzes.services.quiz_settings import settings_for

# --------------------------------------------------------------------------- attempts


class QuizRefused(Exception):
    """A request the quiz refuses, with the HTTP status that fits and a message."""

    status = 400
    code = "refused"

    def __init__(self, message: str = "", *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NoQuestions(QuizRefused):
    status = 409
    code = "no_questions"


class DailyLimitReached(QuizRefused):
    status = 429
    code = "daily_limit"


class AttemptNotFound(QuizRefused):
    status = 404
    code = "not_found"


class AlreadySubmitted(QuizRefused):
    status = 409
    code = "already_submitted"


class AttemptExpired(QuizRefused):
    status = 410
    code = "expired"


class InvalidSubmission(QuizRefused):
    status = 400
    code = "invalid"


class Unanswered(Exception):
    """Not every question was answered: nothing is scored. ``positions`` are 1-based."""

    def __init__(self, positions: list[int]):
        super().__init__(positions)
        self.positions = positions


def _candidates(
    version: GuidelineVersion, purpose: str, tip_ids: Collection[int] | None = None
) -> tuple[list[Candidate], dict[int, str]]:
    """The questions to draw from, and their keys by id. CHANGES: those on tips marked
    material or new in this version, or, given ``tip_ids``, on those tips (changes since a
    version further back). Two queries (one for CHANGES)."""
    through = Question.tips.through
    rows = (
        through.objects.filter(question__version=version, question__is_active=True)
        .order_by("pk")
        .values_list("question_id", "tip_id", "tip__change", "question__key")
    )
    tips: dict[int, list[int]] = {}
    material: dict[int, list[int]] = {}
    keys: dict[int, str] = {}
    for question_id, tip_id, change, key in rows:
        keys[question_id] = key
        tips.setdefault(question_id, []).append(tip_id)
        if (change in selectors.MATERIAL_CHANGES) if tip_ids is None else (tip_id in tip_ids):
            material.setdefault(question_id, []).append(tip_id)
    if purpose == Attempt.Purpose.CHANGES:
        candidates = [Candidate(question_id, tuple(ids)) for question_id, ids in material.items()]
        return candidates, keys
    questions = Question.objects.filter(version=version, is_active=True).values_list("pk", "key")
    keys = dict(questions)
    return [Candidate(pk, tuple(tips.get(pk, ()))) for pk in keys], keys


def _last_seen(
    employee: Employee, version: GuidelineVersion, keys: dict[int, str]
) -> dict[int, datetime.datetime]:
    """When the employee was last served each candidate (by its key, at any version of
    the guideline: see quizzes.selectors.last_served_by_key). One query."""
    by_key = selectors.last_served_by_key(employee=employee, version=version)
    return {question_id: by_key[key] for question_id, key in keys.items() if key in by_key}


@transaction.atomic
def start_attempt(
    *,
    employee: Employee,
    version: GuidelineVersion,
    purpose: str = Attempt.Purpose.FULL,
    language: str = "nl",
    now: datetime.datetime | None = None,
    rng: random.Random | None = None,
    tip_ids: Collection[int] | None = None,
) -> Attempt:
    """Start an attempt, or return the employee's open one of the same purpose.

    ``tip_ids`` (purpose CHANGES only): the changed tips to ask about, for someone whose
    last signed version is further back (acknowledgements.selectors.reacknowledgement).

    Draws the questions (see quizzes.services.drawing), freezes them and their option order.
    Every attempt (a first one, a retry, next year's round) prefers the questions the
    employee was never served, then those served longest ago: nothing of the previous
    attempt while the bank has enough other questions. What was served counts by question
    key at every version of the guideline (a question keeps its key in a new version's
    copied bank); other employees' attempts never count. The draw costs the same queries
    however many attempts came before, and runs under the lock on the employee's row, so
    a concurrent start sees what the other served.
    Raises DailyLimitReached or NoQuestions.
    """
    travel = now is not None
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    # One start at a time per employee: a double click does not start two attempts.
    get_user_model().objects.select_for_update().filter(pk=employee.pk).first()
    existing = selectors.open_attempt(employee=employee, version=version, purpose=purpose, now=now)
    if existing is not None:
        return existing
    settings = settings_for(version=version)
    if (
        selectors.attempts_left_today(
            employee=employee, version=version, settings=settings, now=now
        )
        <= 0
    ):
        raise DailyLimitReached(
            ngettext(
                "You have used your attempt for today. You can try again tomorrow.",
                "You have used all %(count)s attempts for today. You can try again tomorrow.",
                settings.attempts_per_day,
            )
            % {"count": settings.attempts_per_day}
        )
    candidates, keys = _candidates(version, purpose, None if tip_ids is None else set(tip_ids))
    chosen = draw(
        candidates=candidates,
        count=settings.questions_per_attempt,
        last_seen=_last_seen(employee, version, keys),
        rng=rng,
    )
    if not chosen:
        raise NoQuestions(_("There are no questions for this quiz yet."))
    attempt = Attempt.objects.create(
        employee=employee,
        version=version,
        purpose=purpose,
        language=language,
        expires_at=now + datetime.timedelta(minutes=settings.minutes_per_attempt),
        question_count=len(chosen),
        pass_mark=settings.pass_mark,
    )
    if travel:
        # started_at is auto_now_add; tests pass ``now`` to travel in time.
        Attempt.objects.filter(pk=attempt.pk).update(started_at=now)
        attempt.started_at = now
    options: dict[int, list[int]] = {}
    for question_id, option_id in (
        Option.objects.filter(question_id__in=chosen)
        .order_by("position")
        .values_list("question_id", "pk")
    ):
        options.setdefault(question_id, []).append(option_id)
    served = []
    for position, question_id in enumerate(chosen, start=1):
        order = list(options.get(question_id, []))
        if settings.shuffle_options:
            rng.shuffle(order)
        served.append(
            AttemptQuestion(
                attempt=attempt, question_id=question_id, position=position, option_order=order
            )
        )
    AttemptQuestion.objects.bulk_create(served)
    return attempt


@transaction.atomic
def submit_attempt(
    *,
    employee: Employee,
    attempt_id: int,
    answers: dict[int, list[int]],
    now: datetime.datetime | None = None,
) -> Attempt:
    """Score an attempt once, from the answers given (question id -> option ids).

    Everything is checked before anything is written: the attempt must be the
    employee's own (AttemptNotFound), not submitted yet (AlreadySubmitted), not expired
    (AttemptExpired); the answers may only name served questions and their own options,
    one option for a single-answer question (InvalidSubmission). Unanswered questions
    raise Unanswered. The attempt row is locked, so a double click scores once.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None or attempt.employee_id != employee.pk:
        raise AttemptNotFound(_("There is no attempt with this number."))
    if attempt.submitted_at is not None:
        raise AlreadySubmitted(_("This attempt has already been submitted."))
    if attempt.expires_at <= now:
        raise AttemptExpired(
            _("The time for this attempt ran out, so it can no longer be submitted.")
        )
    served = list(
        attempt.served.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    by_question = {item.question_id: item for item in served}
    unknown = set(answers) - set(by_question)
    if unknown:
        raise InvalidSubmission(_("The answers name a question that was not part of this attempt."))
    chosen_per_question: dict[int, set[int]] = {}
    for question_id, option_ids in answers.items():
        item = by_question[question_id]
        chosen = set(option_ids)
        if not chosen <= set(item.option_order):
            raise InvalidSubmission(
                _("The answers name an option that does not belong to its question.")
            )
        if len(chosen) > 1 and not item.question.multiple_answers:
            raise InvalidSubmission(
                _("More than one option was chosen for a question with one right answer.")
            )
        chosen_per_question[question_id] = chosen
    missing = [item.position for item in served if not chosen_per_question.get(item.question_id)]
    if missing:
        raise Unanswered(missing)

    rows = []
    for item in served:
        right = {option.pk for option in item.question.options.all() if option.is_correct}
        rows.append(
            (Answer(served=item, is_correct=chosen_per_question[item.question_id] == right), item)
        )
    Answer.objects.bulk_create([answer for answer, _item in rows])
    through = Answer.chosen.through
    through.objects.bulk_create(
        through(answer_id=answer.pk, option_id=option_id)
        for answer, item in rows
        for option_id in sorted(chosen_per_question[item.question_id])
    )
    correct = sum(answer.is_correct for answer, _item in rows)
    attempt.submitted_at = now
    attempt.correct_count = correct
    attempt.passed = 100 * correct >= attempt.pass_mark * attempt.question_count
    attempt.save(update_fields=["submitted_at", "correct_count", "passed"])
    return attempt


# --------------------------------------------------------------------------- retention


@transaction.atomic
def prune_answers(
    *, now: datetime.datetime | None = None, dry_run: bool = False, actor: Employee | None = None
) -> int:
    """Delete the answers (and the options chosen) of attempts submitted more than
    QUIZ_ANSWER_RETENTION_DAYS days ago, in bulk. Scores and pass/fail stay.
    Returns the number of answers (to be) removed."""
    days = django_settings.QUIZ_ANSWER_RETENTION_DAYS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    answers = Answer.objects.filter(served__attempt__submitted_at__lt=cutoff)
    count = answers.count()
    if dry_run:
        return count
    if count:
        Answer.chosen.through.objects.filter(answer__in=answers).delete()
        answers.delete()
    # Logged also when there was nothing to remove: the trail shows the rule is applied.
    _log(
        QuizEvent.Kind.ANSWERS_PRUNED,
        actor=actor,
        count=count,
        retention_days=days,
        submitted_before=cutoff.isoformat(),
    )
    return count
