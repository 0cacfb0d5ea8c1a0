"""Everything the portal holds about one employee (AVG art. 15, right of access).

``personal_data_export`` gathers the employee's profile, roles, acknowledgements, tips
read, quiz attempts (with their answers while these are kept) and the audit events they
caused, each with why it is kept and for how long. Only the given employee's own data;
a fixed number of queries however much there is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements.models import Acknowledgement, Notification, TipRead
from handbook.models import HandbookEvent, RetirementRequest
from people.models import Department, Employee
from people.selectors import roles_of
from quizzes.models import Attempt, AttemptQuestion, QuizEvent

FORMAT_VERSION = 1
LEGAL_GROUND = "art. 4 Ambtenarenwet 2017; AVG art. 6(1)(c)"


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def why_kept() -> dict[str, dict[str, str]]:
    ack_years = settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    attempt_years = settings.RETENTION_QUIZ_ATTEMPT_YEARS
    answer_days = settings.QUIZ_ANSWER_RETENTION_DAYS
    ground = _(
        "The municipality must have an integrity policy that includes training, and must "
        "account for it (%(ground)s)."
    ) % {"ground": LEGAL_GROUND}
    return {
        "profile": {
            "why": _("Your account: to log in and to know which guideline applies to you."),
            "legal_ground": ground,
            "kept_for": _("As long as you are employed, then as long as your records are."),
        },
        "acknowledgements": {
            "why": _("Evidence that you acknowledged a version of the guideline."),
            "legal_ground": ground,
            "kept_for": _(
                "%(years)s years after your employment ends (Selectielijst gemeenten 2020: "
                "personnel file); then erased."
            )
            % {"years": ack_years},
        },
        "tips_read": {
            "why": _("To show you what you still have to read before you can sign."),
            "legal_ground": ground,
            "kept_for": _("%(years)s years after your employment ends; then removed.")
            % {"years": ack_years},
        },
        "quiz_attempts": {
            "why": _("Evidence of training: that you passed the quiz."),
            "legal_ground": ground,
            "kept_for": _(
                "%(years)s years after the attempt (Selectielijst gemeenten 2020: internal "
                "training), longer only while an acknowledgement refers to it. Your answers "
                "per question are removed after %(days)s days."
            )
            % {"years": attempt_years, "days": answer_days},
        },
        "audit_events": {
            "why": _("The audit trail of changes to the guideline and the quiz."),
            "legal_ground": ground,
            "kept_for": _("As long as the guideline's versions are kept."),
        },
    }


def _profile(employee: Employee) -> dict[str, Any]:
    department = employee.department
    codes = [code for code in (department.path if department else "").split("/") if code]
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "employee_number": employee.employee_number,
        "first_name": employee.first_name,
        "name_prefix": employee.name_prefix,
        "last_name": employee.last_name,
        "email": employee.email,
        "job_title": employee.job_title,
        "department": [names.get(code, code) for code in codes],
        "manager": employee.manager.full_name if employee.manager else None,
        "start_date": _day(employee.start_date),
        "end_date": _day(employee.end_date),
        "preferred_language": employee.preferred_language,
        "active": employee.is_active,
        "account_created": _when(employee.date_joined),
        "last_login": _when(employee.last_login),
    }


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


def _events(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    handbook: Iterable[HandbookEvent] = (
        HandbookEvent.objects.select_related("guideline")
        .filter(actor=employee)
        .order_by("at", "pk")
    )
    quiz = QuizEvent.objects.select_related("version").filter(actor=employee).order_by("at", "pk")
    handbook = list(handbook)
    # The audit trail names a retirement request by id; its reason is on the request.
    requests = {event.details.get("request") for event in handbook} - {None}
    reasons = dict(
        RetirementRequest.objects.filter(pk__in=requests).values_list("pk", "reason")
        if requests
        else ()
    )
    return {
        "handbook": [
            {
                "at": _when(event.at),
                "event": event.kind,
                "guideline": event.guideline.title,
                "guideline_version": event.version_number,
                "details": event.details,
                **(
                    {"retirement_reason": reasons[event.details["request"]]}
                    if event.details.get("request") in reasons
                    else {}
                ),
            }
            for event in handbook
        ],
        "quiz": [
            {
                "at": _when(event.at),
                "event": event.kind,
                "guideline_version": event.version.number if event.version else None,
                "details": event.details,
            }
            for event in quiz
        ],
    }


def personal_data_export(*, employee: Employee) -> dict[str, Any]:
    """All the portal holds about ``employee``, as plain JSON-ready values."""
    employee = Employee.objects.select_related("department", "manager").get(pk=employee.pk)
    return {
        "format_version": FORMAT_VERSION,
        "created_at": _when(timezone.now()),
        "controller": settings.PORTAL_MUNICIPALITY_NAME,
        "about": _(
            "All data the portal holds about you (AVG art. 15). The ledger itself keeps "
            "no personal data: only hashes of your records."
        ),
        "why_kept": why_kept(),
        "profile": _profile(employee),
        "roles": sorted(str(role) for role in roles_of(user=employee)),
        "acknowledgements": _acknowledgements(employee),
        "tips_read": _tips_read(employee),
        "notifications": _notifications(employee),
        "quiz_attempts": _attempts(employee),
        "audit_events": _events(employee),
    }
