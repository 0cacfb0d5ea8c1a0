"""Question banks: import and copy to a new version (the settings: quiz_settings).

A question's tips are kept in the order given, main tip first: the rows of the
question-tip table are written in that order (``set_question_tips``) and read back by
``quizzes.selectors.ordered_tips``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handbook.models import GuidelineVersion, Tip
from people.models import Employee
from quizzes import selectors
from quizzes.bank_io import BankFile, BankFormatError, QuestionData
from quizzes.models import (
    AttemptQuestion,
    Option,
    Question,
    QuizEvent,
)
from quizzes.services.common import _log, _require

# --------------------------------------------------------------------------- banks


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a preview, would do): the keys per outcome."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deactivated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """The questions in the file."""
        return len(self.created) + len(self.updated) + len(self.unchanged)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + len(self.deactivated)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "deactivated": len(self.deactivated),
            "unchanged": len(self.unchanged),
        }

    def __str__(self) -> str:
        return (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(deactivated)s deactivated"
            )
            % self.as_dict()
        )


def set_question_tips(*, question: Question, tips: list[Tip]) -> None:
    """Give the question exactly these tips, in this order (main tip first)."""
    through = Question.tips.through
    through.objects.filter(question=question).delete()
    through.objects.bulk_create(through(question=question, tip=tip) for tip in tips)


def _option_rows(data: QuestionData) -> list[tuple[object, ...]]:
    return [
        (o.text, o.text_en, o.is_correct, o.explanation, o.explanation_en) for o in data.options
    ]


def _stored_option_rows(question: Question) -> list[tuple[object, ...]]:
    return [
        (o.text, o.text_en, o.is_correct, o.explanation, o.explanation_en)
        for o in sorted(question.options.all(), key=lambda o: o.position)
    ]


def _question_fields(data: QuestionData, position: int) -> dict[str, object]:
    return {
        "position": position,
        "situation": data.situation,
        "situation_en": data.situation_en,
        "prompt": data.prompt,
        "prompt_en": data.prompt_en,
        "multiple_answers": data.multiple_answers,
        "is_active": data.active,
    }


def _check_bank(
    version: GuidelineVersion, bank: BankFile, tips: dict[int, Tip]
) -> list[tuple[int | None, str]]:
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
def import_bank(
    *, version: GuidelineVersion, bank: BankFile, actor: Employee | None
) -> ImportResult:
    """Bring the version's question bank in line with the file, all or nothing.

    Questions are matched by key: new keys are created, changed ones updated, and the
    version's questions that the file does not name are deactivated (never deleted, so
    past attempts keep what they were served). A question that was served in an attempt
    keeps its options' ids (they are updated by position); changing its number of
    options is refused. Raises BankFormatError (with line numbers) when the file does not
    fit the version.
    """
    _require(actor, "quizzes.manage_question_bank", version=version)
    version = (
        GuidelineVersion.objects.select_for_update().select_related("guideline").get(pk=version.pk)
    )
    tips = {tip.number: tip for tip in version.tips.all()}
    errors = _check_bank(version, bank, tips)
    existing = {
        question.key: question
        for question in version.questions.prefetch_related("options").order_by("pk")
    }
    stored_tips = selectors.ordered_tips(
        question_ids=(question.pk for question in existing.values())
    )
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

    created, updated, unchanged = [], [], []
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
            set_question_tips(question=question, tips=wanted_tips)
            created.append(data.key)
            continue
        same_fields = all(getattr(question, name) == value for name, value in fields.items())
        same_options = _stored_option_rows(question) == _option_rows(data)
        same_tips = [t.pk for t in stored_tips.get(question.pk, [])] == [t.pk for t in wanted_tips]
        if same_fields and same_options and same_tips:
            unchanged.append(data.key)
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
            set_question_tips(question=question, tips=wanted_tips)
        updated.append(data.key)
    named = {data.key for data in bank.questions}
    leaving = {
        key: question.pk
        for key, question in existing.items()
        if key not in named and question.is_active
    }
    if leaving:
        Question.objects.filter(pk__in=leaving.values()).update(
            is_active=False, updated_at=timezone.now()
        )
    result = ImportResult(
        created=tuple(created),
        updated=tuple(updated),
        deactivated=tuple(sorted(leaving)),
        unchanged=tuple(unchanged),
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
    The nearest earlier version with questions is used; never one of another guideline
    (each guideline has its own bank). Idempotent.
    """
    version = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    if version.questions.exists():
        return
    source = version.based_on
    seen = {version.pk}
    while (
        source is not None
        and source.pk not in seen
        and source.guideline_id == version.guideline_id
        and not source.questions.exists()
    ):
        seen.add(source.pk)
        source = source.based_on
    if source is None or source.pk in seen or source.guideline_id != version.guideline_id:
        return
    by_lineage = {tip.lineage: tip for tip in version.tips.all()}
    questions = list(source.questions.prefetch_related("options").order_by("position", "pk"))
    old_tips = selectors.ordered_tips(question_ids=(question.pk for question in questions))
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
        set_question_tips(question=copy, tips=new_tips)
        copies.append(copy)
    _log(
        QuizEvent.Kind.BANK_IMPORTED,
        version=version,
        copied_from=source.number,
        created=len(copies),
        inactive=sum(not copy.is_active for copy in copies),
    )


class _Rollback(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, result: ImportResult):
        super().__init__("preview")
        self.result = result


def preview_import(
    *, version: GuidelineVersion, bank: BankFile, actor: Employee | None
) -> ImportResult:
    """What import_bank would do, without doing it: the import runs in a transaction
    that is rolled back. Raises BankFormatError as import_bank does."""
    try:
        with transaction.atomic():
            raise _Rollback(import_bank(version=version, bank=bank, actor=actor))
    except _Rollback as rollback:
        return rollback.result
