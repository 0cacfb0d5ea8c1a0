"""The categories of the person's records: signatures, tips read, notices and quiz
attempts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from acknowledgements.models import (
    Acknowledgement,
    LedgerEntry,
    Notification,
    TipRead,
)
from acknowledgements.selectors.personal_data.common import (
    GROUND,
    _kept_acknowledgements,
    _kept_attempts,
    _kept_tips_read,
    _when,
)
from people.models import Employee
from portal import personal_data as register
from quizzes.models import Attempt, AttemptQuestion


def _acknowledgements(employee: Employee) -> list[dict[str, Any]]:
    records = (
        Acknowledgement.objects.select_related("entry", "version", "recorded_by")
        .filter(employee=employee)
        .order_by("entry__sequence")
    )
    return [
        {
            "entry_sequence": record.entry.sequence,
            "kind": record.kind,
            "verification_code": record.entry.verification_code,
            "record_hash": record.entry.record_hash,
            "guideline_version": record.version.number,
            "language": record.language,
            "employee_number_at_signing": record.employee_number,
            "name_at_signing": record.employee_name,
            "statement": record.statement,
            "typed_name": record.typed_name,
            "signed_at": _when(record.signed_at),
            "method": record.method,
            "recorded_by": record.recorded_by.full_name if record.recorded_by else None,
            "reason": record.reason,
            "scanned_form": bool(record.paper_form),
            "ip_address": record.ip_address,
            "browser": record.user_agent,
        }
        for record in records
    ]


def _tips_read(employee: Employee) -> list[dict[str, Any]]:
    reads = (
        TipRead.objects.select_related("tip__version")
        .filter(employee=employee)
        .order_by("first_opened_at", "pk")
    )
    return [
        {
            "guideline_version": read.tip.version.number,
            "tip": read.tip.number,
            "first_opened_at": _when(read.first_opened_at),
        }
        for read in reads
    ]


def _notifications(employee: Employee) -> list[dict[str, Any]]:
    notifications = (
        Notification.objects.select_related("version")
        .filter(employee=employee)
        .order_by("sent_at", "pk")
    )
    return [
        {
            "kind": notification.get_kind_display(),
            "guideline_version": notification.version.number,
            "sent_at": _when(notification.sent_at),
        }
        for notification in notifications
    ]


def _answer(served: AttemptQuestion, language: str) -> dict[str, Any]:
    answer = getattr(served, "answer", None)  # gone after QUIZ_ANSWER_RETENTION_DAYS
    return {
        "position": served.position,
        "question": served.question.prompt_in(language),
        "answer_kept": answer is not None,
        "chosen": [option.text_in(language) for option in answer.chosen.all()] if answer else [],
        "right": answer.is_correct if answer else None,
    }


def _attempts(employee: Employee) -> list[dict[str, Any]]:
    served = AttemptQuestion.objects.select_related("question", "answer").prefetch_related(
        "answer__chosen"
    )
    attempts = (
        Attempt.objects.select_related("version")
        .prefetch_related(Prefetch("served", queryset=served.order_by("position")))
        .filter(employee=employee)
        .order_by("started_at", "pk")
    )
    return [
        {
            "id": attempt.pk,
            "guideline_version": attempt.version.number,
            "purpose": attempt.purpose,
            "language": attempt.language,
            "started_at": _when(attempt.started_at),
            "submitted_at": _when(attempt.submitted_at),
            "questions": attempt.question_count,
            "answered_right": attempt.correct_count,
            "score_percent": attempt.score_percent,
            "passed": attempt.passed,
            "answers": [_answer(s, attempt.language) for s in attempt.served.all()],
        }
        for attempt in attempts
    ]


CATEGORIES = (
    register.Category(
        key="acknowledgements",
        order=50,
        label=gettext_lazy("Your signatures"),
        contains=gettext_lazy(
            "Per record: its place in the ledger, verification code and hash, the version, "
            "language and statement you signed, the name you typed, when and how it was "
            "recorded (and by whom and why, if someone recorded it for you), IP address "
            "and browser."
        ),
        why=gettext_lazy("Evidence that you acknowledged a version of the guideline."),
        legal_ground=GROUND,
        kept_for=_kept_acknowledgements,
        models=("acknowledgements.Acknowledgement",),
        collect=_acknowledgements,
        labels={
            "entry_sequence": gettext_lazy("Place in the ledger"),
            "verification_code": gettext_lazy("Verification code"),
            "record_hash": gettext_lazy("Hash"),
            "employee_number_at_signing": gettext_lazy("Employee number when signed"),
            "name_at_signing": gettext_lazy("Name when signed"),
            "statement": gettext_lazy("Statement"),
            "typed_name": gettext_lazy("Name typed"),
            "signed_at": gettext_lazy("Signed at"),
            "method": gettext_lazy("How"),
            "recorded_by": gettext_lazy("Recorded by"),
            "scanned_form": gettext_lazy("Scanned paper form"),
            "ip_address": gettext_lazy("IP address"),
            "browser": gettext_lazy("Browser"),
        },
        choices={
            "kind": dict(LedgerEntry.Kind.choices),
            "method": dict(Acknowledgement.Method.choices),
        },
    ),
    register.Category(
        key="tips_read",
        order=55,
        label=gettext_lazy("Tips read"),
        contains=gettext_lazy("Which tips of which version you opened, and when first."),
        why=gettext_lazy("To show you what you still have to read before you can sign."),
        legal_ground=GROUND,
        kept_for=_kept_tips_read,
        models=("acknowledgements.TipRead",),
        collect=_tips_read,
        labels={"tip": gettext_lazy("Tip"), "first_opened_at": gettext_lazy("First opened at")},
    ),
    register.Category(
        key="notifications",
        order=60,
        label=gettext_lazy("Notices to sign again"),
        contains=gettext_lazy(
            "The e-mails that asked you to sign a new version, and when they went."
        ),
        why=gettext_lazy("To ask you to sign again when the guideline changes in meaning."),
        legal_ground=GROUND,
        kept_for=_kept_tips_read,
        models=("acknowledgements.Notification",),
        collect=_notifications,
    ),
    register.Category(
        key="quiz_attempts",
        order=65,
        label=gettext_lazy("Your quiz attempts"),
        contains=gettext_lazy(
            "Per attempt: the version, when you started and submitted it, your score and "
            "whether you passed; per question your answer and whether it was right, as "
            "long as the answers are kept."
        ),
        why=gettext_lazy("Evidence of training: that you passed the quiz."),
        legal_ground=GROUND,
        kept_for=_kept_attempts,
        models=("quizzes.Attempt",),
        collect=_attempts,
        labels={
            "id": gettext_lazy("Number"),
            "purpose": gettext_lazy("Quiz on"),
            "started_at": gettext_lazy("Started at"),
            "submitted_at": gettext_lazy("Submitted at"),
            "questions": gettext_lazy("Questions"),
            "answered_right": gettext_lazy("Answered right"),
            "score_percent": gettext_lazy("Score (%)"),
            "passed": gettext_lazy("Passed"),
            "answers": gettext_lazy("Answers"),
            "position": gettext_lazy("Question number"),
            "question": gettext_lazy("Question"),
            "answer_kept": gettext_lazy("Answer still kept"),
            "chosen": gettext_lazy("Your answer"),
            "right": gettext_lazy("Right"),
        },
        choices={"purpose": dict(Attempt.Purpose.choices)},
    ),
)
