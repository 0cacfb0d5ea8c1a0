"""Writes of the quiz: question banks, settings, attempts, scoring, pruning old answers.

Every function here is atomic and writes its QuizEvent (where there is one) in the same
transaction. Scoring happens here only, on the server, from what was served.

A question's tips are kept in the order given, main tip first: the rows of the
question-tip table are written in that order (``set_question_tips``) and read back by
``quizzes.selectors.ordered_tips``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from handbook.models import GuidelineVersion, Tip
from quizzes import selectors
from quizzes.bank_io import BankFile, BankFormatError, QuestionData
from quizzes.drawing import Candidate, draw
from quizzes.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Option,
    Question,
    QuizEvent,
    QuizSettings,
)

SETTINGS_FIELDS = (
    "questions_per_attempt",
    "pass_mark",
    "shuffle_options",
    "attempts_per_day",
    "minutes_per_attempt",
    "required_for_acknowledgement",
)


def _log(kind, *, version=None, actor=None, **details) -> QuizEvent:
    return QuizEvent.objects.create(kind=kind, version=version, actor=actor, details=details)


def _require(actor, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


# --------------------------------------------------------------------------- banks


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """The questions in the file."""
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "unchanged": self.unchanged,
        }

    def __str__(self) -> str:
        return (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(deactivated)s deactivated"
            )
            % self.as_dict()
        )


def set_question_tips(question: Question, tips: list[Tip]) -> None:
    """Give the question exactly these tips, in this order (main tip first)."""
    through = Question.tips.through
    through.objects.filter(question=question).delete()
    through.objects.bulk_create(through(question=question, tip=tip) for tip in tips)


def _option_rows(data: QuestionData) -> list[tuple]:
    return [
        (o.text, o.text_en, o.is_correct, o.explanation, o.explanation_en) for o in data.options
    ]


def _stored_option_rows(question: Question) -> list[tuple]:
    return [
        (o.text, o.text_en, o.is_correct, o.explanation, o.explanation_en)
        for o in sorted(question.options.all(), key=lambda o: o.position)
    ]


def _question_fields(data: QuestionData, position: int) -> dict:
    return {
        "position": position,
        "situation": data.situation,
        "situation_en": data.situation_en,
        "prompt": data.prompt,
        "prompt_en": data.prompt_en,
        "multiple_answers": data.multiple_answers,
        "is_active": data.active,
    }


def _check_bank(version: GuidelineVersion, bank: BankFile, tips: dict[int, Tip]) -> list:
    errors: list[tuple[int | None, str]] = []
    if bank.guideline != version.guideline.slug:
        errors.append(
            (
                bank.guideline_line,
                _("The file is for guideline “%(file)s”, not for “%(guideline)s”.")
                % {"file": bank.guideline, "guideline": version.guideline.slug},
            )
        )
    if bank.version != version.number:
        errors.append(
            (
                bank.version_line,
                _("The file is for version %(file)s, not for version %(version)s.")
                % {"file": bank.version, "version": version.number},
            )
        )
    for question in bank.questions:
        missing = [number for number in question.tips if number not in tips]
        if missing:
            errors.append(
                (
                    question.tips_line,
                    _(
                        "Question “%(key)s” names tip %(tips)s, which version %(version)s "
                        "does not have (it has tips 1 to %(last)s)."
                    )
                    % {
                        "key": question.key,
                        "tips": ", ".join(str(n) for n in missing),
                        "version": version.number,
                        "last": max(tips) if tips else 0,
                    },
                )
            )
    return errors


@transaction.atomic
def import_bank(*, version: GuidelineVersion, bank: BankFile, actor) -> ImportResult:
    """Bring the version's question bank in line with the file, all or nothing.

    Questions are matched by key: new keys are created, changed ones updated, and the
    version's questions that the file does not name are deactivated (never deleted, so
    past attempts keep what they were served). A question that was served in an attempt
    keeps its options' ids (they are updated by position); changing its number of
    options is refused. Raises BankFormatError (with line numbers) when the file does not
    fit the version.
    """
    _require(actor, "quizzes.manage_question_bank")
    version = (
        GuidelineVersion.objects.select_for_update().select_related("guideline").get(pk=version.pk)
    )
    tips = {tip.number: tip for tip in version.tips.all()}
    errors = _check_bank(version, bank, tips)
    existing = {
        question.key: question
        for question in version.questions.prefetch_related("options").order_by("pk")
    }
    stored_tips = selectors.ordered_tips(question.pk for question in existing.values())
    served = set(
        AttemptQuestion.objects.filter(question__version=version)
        .values_list("question_id", flat=True)
        .distinct()
    )
    for data in bank.questions:
        question = existing.get(data.key)
        if (
            question is not None
            and question.pk in served
            and len(question.options.all()) != len(data.options)
        ):
            errors.append(
                (
                    data.line,
                    _(
                        "Question “%(key)s” has been used in attempts, so its number of "
                        "options (%(stored)s) cannot change to %(new)s. Give the new "
                        "question a new key instead."
                    )
                    % {
                        "key": data.key,
                        "stored": len(question.options.all()),
                        "new": len(data.options),
                    },
                )
            )
    if errors:
        raise BankFormatError(sorted(errors, key=lambda e: e[0] or 0))

    created = updated = unchanged = deactivated = 0
    for position, data in enumerate(bank.questions, start=1):
        fields = _question_fields(data, position)
        wanted_tips = [tips[number] for number in data.tips]
        question = existing.get(data.key)
        if question is None:
            question = Question.objects.create(version=version, key=data.key, **fields)
            Option.objects.bulk_create(
                Option(
                    question=question,
                    position=index,
                    text=o.text,
                    text_en=o.text_en,
                    is_correct=o.is_correct,
                    explanation=o.explanation,
                    explanation_en=o.explanation_en,
                )
                for index, o in enumerate(data.options, start=1)
            )
            set_question_tips(question, wanted_tips)
            created += 1
            continue
        same_fields = all(getattr(question, name) == value for name, value in fields.items())
        same_options = _stored_option_rows(question) == _option_rows(data)
        same_tips = [t.pk for t in stored_tips.get(question.pk, [])] == [t.pk for t in wanted_tips]
        if same_fields and same_options and same_tips:
            unchanged += 1
            continue
        if not same_fields:
            for name, value in fields.items():
                setattr(question, name, value)
            question.save()
        elif not (same_options and same_tips):
            question.save(update_fields=["updated_at"])
        if not same_options:
            _replace_options(question, data)
        if not same_tips:
            set_question_tips(question, wanted_tips)
        updated += 1
    named = {data.key for data in bank.questions}
    leaving = [
        question.pk for key, question in existing.items() if key not in named and question.is_active
    ]
    if leaving:
        deactivated = Question.objects.filter(pk__in=leaving).update(
            is_active=False, updated_at=timezone.now()
        )
    result = ImportResult(
        created=created, updated=updated, deactivated=deactivated, unchanged=unchanged
    )
    _log(QuizEvent.Kind.BANK_IMPORTED, version=version, actor=actor, **result.as_dict())
    return result


def _replace_options(question: Question, data: QuestionData) -> None:
    """Update the options by position (their ids stay); add or remove at the end."""
    stored = sorted(question.options.all(), key=lambda o: o.position)
    changed = []
    for index, (option, new) in enumerate(zip(stored, data.options, strict=False), start=1):
        option.position = index
        option.text, option.text_en = new.text, new.text_en
        option.is_correct = new.is_correct
        option.explanation, option.explanation_en = new.explanation, new.explanation_en
        changed.append(option)
    if changed:
        Option.objects.bulk_update(
            changed, ["text", "text_en", "is_correct", "explanation", "explanation_en"]
        )
    if len(stored) > len(data.options):
        Option.objects.filter(pk__in=[o.pk for o in stored[len(data.options) :]]).delete()
    Option.objects.bulk_create(
        Option(
            question=question,
            position=index,
            text=o.text,
            text_en=o.text_en,
            is_correct=o.is_correct,
            explanation=o.explanation,
            explanation_en=o.explanation_en,
        )
        for index, o in enumerate(data.options[len(stored) :], start=len(stored) + 1)
    )


@transaction.atomic
def ensure_bank(*, version: GuidelineVersion) -> None:
    """Give a version without questions the bank of the version it is based on.

    Questions are copied by key with their options; their tips are mapped by lineage to
    this version's tips. A question none of whose tips is left is copied inactive.
    The nearest earlier version with questions is used. Idempotent.
    """
    version = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    if version.questions.exists():
        return
    source = version.based_on
    seen = {version.pk}
    while source is not None and source.pk not in seen and not source.questions.exists():
        seen.add(source.pk)
        source = source.based_on
    if source is None or source.pk in seen:
        return
    by_lineage = {tip.lineage: tip for tip in version.tips.all()}
    questions = list(source.questions.prefetch_related("options").order_by("position", "pk"))
    old_tips = selectors.ordered_tips(question.pk for question in questions)
    copies = []
    for question in questions:
        new_tips = [
            by_lineage[tip.lineage]
            for tip in old_tips.get(question.pk, [])
            if tip.lineage in by_lineage
        ]
        copy = Question.objects.create(
            version=version,
            key=question.key,
            position=question.position,
            situation=question.situation,
            situation_en=question.situation_en,
            prompt=question.prompt,
            prompt_en=question.prompt_en,
            multiple_answers=question.multiple_answers,
            is_active=question.is_active and bool(new_tips),
        )
        Option.objects.bulk_create(
            Option(
                question=copy,
                position=option.position,
                text=option.text,
                text_en=option.text_en,
                is_correct=option.is_correct,
                explanation=option.explanation,
                explanation_en=option.explanation_en,
            )
            for option in question.options.all()
        )
        set_question_tips(copy, new_tips)
        copies.append(copy)
    _log(
        QuizEvent.Kind.BANK_IMPORTED,
        version=version,
        copied_from=source.number,
        created=len(copies),
        inactive=sum(not copy.is_active for copy in copies),
    )


# --------------------------------------------------------------------------- settings


def settings_for(version: GuidelineVersion) -> QuizSettings:
    """The version's quiz settings, created with the defaults when there are none."""
    settings, _created = QuizSettings.objects.get_or_create(version=version)
    return settings


@transaction.atomic
def update_settings(*, version: GuidelineVersion, actor, **fields) -> QuizSettings:
    """Change the version's quiz settings; logs which values changed (old and new)."""
    _require(actor, "quizzes.change_quizsettings")
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise TypeError(f"Unknown quiz settings: {', '.join(unknown)}")
    settings_for(version)
    settings = QuizSettings.objects.select_for_update().get(version=version)
    changes = {}
    for name, value in fields.items():
        old = getattr(settings, name)
        if old != value:
            changes[name] = [old, value]
            setattr(settings, name, value)
    if not changes:
        return settings
    settings.full_clean()
    settings.save()
    _log(QuizEvent.Kind.SETTINGS_CHANGED, version=version, actor=actor, changes=changes)
    return settings


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


def _candidates(version, purpose: str) -> list[Candidate]:
    through = Question.tips.through
    rows = (
        through.objects.filter(question__version=version, question__is_active=True)
        .order_by("pk")
        .values_list("question_id", "tip_id", "tip__change")
    )
    tips: dict[int, list[int]] = {}
    material: dict[int, list[int]] = {}
    for question_id, tip_id, change in rows:
        tips.setdefault(question_id, []).append(tip_id)
        if change in selectors.MATERIAL_CHANGES:
            material.setdefault(question_id, []).append(tip_id)
    if purpose == Attempt.Purpose.CHANGES:
        return [Candidate(question_id, tuple(ids)) for question_id, ids in material.items()]
    question_ids = Question.objects.filter(version=version, is_active=True).values_list(
        "pk", flat=True
    )
    return [Candidate(pk, tuple(tips.get(pk, ()))) for pk in question_ids]


def _last_seen(employee, version) -> dict[int, datetime.datetime]:
    return dict(
        AttemptQuestion.objects.filter(attempt__employee=employee, attempt__version=version)
        .values("question_id")
        .annotate(last=Max("attempt__started_at"))
        .values_list("question_id", "last")
    )


@transaction.atomic
def start_attempt(
    *,
    employee,
    version: GuidelineVersion,
    purpose: str = Attempt.Purpose.FULL,
    language: str = "nl",
    now: datetime.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Start an attempt, or return the employee's open one of the same purpose.

    Draws the questions (see quizzes.drawing), freezes them and their option order.
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
    settings = settings_for(version)
    if (
        selectors.attempts_left_today(
            employee=employee, version=version, settings=settings, now=now
        )
        <= 0
    ):
        raise DailyLimitReached(
            _("You have used all %(count)s attempts for today. You can try again tomorrow.")
            % {"count": settings.attempts_per_day}
        )
    candidates = _candidates(version, purpose)
    chosen = draw(
        candidates,
        settings.questions_per_attempt,
        last_seen=_last_seen(employee, version),
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
    employee,
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
    *, now: datetime.datetime | None = None, dry_run: bool = False, actor=None
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
