"""The categories of what the person did and what was logged about them: audit
trails, destruction lists and security events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from acknowledgements.models import (
    Acknowledgement,
    DestructionList,
    LedgerCheck,
)
from acknowledgements.selectors.personal_data.common import (
    GROUND,
    _kept_security,
    _when,
)
from handbook.models import (
    GuidelineVersion,
    HandbookEvent,
    RetirementRequest,
)
from people.models import Employee
from portal import personal_data as register
from quizzes.models import QuizEvent
from security.models import SecurityEvent


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


def _work(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    """What the person did as an editor, HR or administrator, beyond the audit trails."""
    roles = {
        "owner": Q(guideline__owner=employee),
        "created": Q(created_by=employee),
        "last_edited": Q(last_edited_by=employee),
        "published": Q(published_by=employee),
        "retired": Q(retired_by=employee),
    }
    any_role = Q(pk__in=[])
    for condition in roles.values():
        any_role |= condition
    versions = (
        GuidelineVersion.objects.filter(any_role)
        .select_related("guideline")
        .order_by("guideline__title", "number")
    )
    editing = [
        {
            "guideline": version.guideline.title,
            "guideline_version": version.number,
            "your_part": [
                part
                for part, field in (
                    ("owner", version.guideline.owner_id),
                    ("created", version.created_by_id),
                    ("last_edited", version.last_edited_by_id),
                    ("published", version.published_by_id),
                    ("retired", version.retired_by_id),
                )
                if field == employee.pk
            ],
        }
        for version in versions
    ]
    requests = (
        RetirementRequest.objects.filter(Q(requested_by=employee) | Q(decided_by=employee))
        .select_related("version__guideline")
        .order_by("requested_at", "pk")
    )
    retirement_requests = [
        {
            "guideline": request.version.guideline.title,
            "guideline_version": request.version.number,
            "reason": request.reason,
            "state": request.state,
            "requested_by_you": request.requested_by_id == employee.pk,
            "decided_by_you": request.decided_by_id == employee.pk,
            "requested_at": _when(request.requested_at),
        }
        for request in requests
    ]
    on_behalf = (
        Acknowledgement.objects.filter(recorded_by=employee)
        .exclude(employee=employee)
        .select_related("entry", "version")
        .order_by("entry__sequence")
    )
    recorded = [
        {
            "entry_sequence": record.entry.sequence,
            "guideline_version": record.version.number,
            "method": record.method,
            "signed_at": _when(record.signed_at),
        }
        for record in on_behalf
    ]
    checks = LedgerCheck.objects.filter(requested_by=employee).order_by("requested_at", "pk")
    ledger_checks = [
        {"requested_at": _when(check.requested_at), "state": check.state, "intact": check.ok}
        for check in checks
    ]
    admin_entries = (
        LogEntry.objects.filter(user=employee)
        .select_related("content_type")
        .order_by("action_time", "pk")
    )
    admin_site = [
        {
            "at": _when(entry.action_time),
            "action": entry.action_flag,
            "object": f"{entry.content_type.name if entry.content_type else ''}: "
            f"{entry.object_repr}",
            "change": entry.get_change_message(),
        }
        for entry in admin_entries
    ]
    return {
        "editing": editing,
        "retirement_requests": retirement_requests,
        "recorded_for_others": recorded,
        "ledger_checks": ledger_checks,
        "admin_site": admin_site,
    }


def _audit_events(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    return {**_events(employee), **_work(employee)}


def _security_events(employee: Employee) -> list[dict[str, Any]]:
    events = SecurityEvent.objects.filter(Q(actor=employee) | Q(subject=employee)).order_by(
        "created_at", "pk"
    )
    return [
        {
            "at": _when(event.created_at),
            "event": event.kind,
            "by": event.actor_identifier,
            "about": event.subject_identifier,
            "ip_address": event.ip_address,
            "browser": event.user_agent,
            "details": event.details,
        }
        for event in events
    ]


def _destruction_lists(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    """The destruction lists that name the person (by employee number, inside the
    list's items: narrowed in the database, checked here) and those they proposed,
    approved or carried out (one query)."""
    number = employee.employee_number or ""
    naming = Q(items_text__contains=f'"{number}"') if number else Q(pk__in=[])
    by = Q(proposed_by=employee) | Q(approved_by=employee) | Q(carried_out_by=employee)
    lists = (
        DestructionList.objects.annotate(items_text=Cast("items", CharField()))
        .filter(naming | by)
        .order_by("proposed_at", "pk")
    )
    about, work = [], []
    for found in lists:
        mine = [
            {"category": item.get("category"), "description": item.get("description")}
            for item in found.items or []
            if isinstance(item, dict) and number and str(item.get("employee_number")) == number
        ]
        if mine:
            about.append(
                {"proposed_at": _when(found.proposed_at), "status": found.status, "items": mine}
            )
        parts = [
            part
            for part, who in (
                ("proposed", found.proposed_by_id),
                ("approved", found.approved_by_id),
                ("carried_out", found.carried_out_by_id),
            )
            if who == employee.pk
        ]
        if parts:
            work.append(
                {
                    "proposed_at": _when(found.proposed_at),
                    "status": found.status,
                    "your_part": parts,
                }
            )
    return {"about_you": about, "by_you": work}


CATEGORIES = (
    register.Category(
        key="audit_events",
        order=90,
        label=gettext_lazy("Changes you made"),
        contains=gettext_lazy(
            "If you edit a guideline or the quiz, record signatures for others, check the "
            "ledger or work in the admin site: what you did, in your name."
        ),
        why=gettext_lazy(
            "The audit trail: who changed what, so that every change can be accounted for."
        ),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as the guideline's versions are kept."),
        models=(
            "handbook.HandbookEvent",
            "quizzes.QuizEvent",
            "handbook.Guideline",
            "handbook.GuidelineVersion",
            "handbook.RetirementRequest",
            "acknowledgements.LedgerCheck",
            "admin.LogEntry",
        ),
        collect=_audit_events,
        labels={
            "handbook": gettext_lazy("Guidelines"),
            "quiz": gettext_lazy("Quizzes"),
            "retirement_reason": gettext_lazy("Reason for retiring"),
            "editing": gettext_lazy("Versions you worked on"),
            "your_part": gettext_lazy("Your part"),
            "retirement_requests": gettext_lazy("Requests to retire a version"),
            "state": gettext_lazy("State"),
            "requested_by_you": gettext_lazy("Asked by you"),
            "decided_by_you": gettext_lazy("Decided by you"),
            "requested_at": gettext_lazy("Asked at"),
            "recorded_for_others": gettext_lazy("Signatures you recorded for others"),
            "entry_sequence": gettext_lazy("Place in the ledger"),
            "method": gettext_lazy("How"),
            "signed_at": gettext_lazy("Signed at"),
            "ledger_checks": gettext_lazy("Ledger checks you asked for"),
            "intact": gettext_lazy("Ledger intact"),
            "admin_site": gettext_lazy("Changes in the admin site"),
            "action": gettext_lazy("Action"),
            "object": gettext_lazy("What"),
            "change": gettext_lazy("Change"),
        },
        choices={
            "event": {
                **dict(HandbookEvent.Kind.choices),
                **dict(QuizEvent.Kind.choices),
            },
            "your_part": {
                "owner": gettext_lazy("Owner of the guideline"),
                "created": gettext_lazy("Created"),
                "last_edited": gettext_lazy("Last changed"),
                "published": gettext_lazy("Published"),
                "retired": gettext_lazy("Retired"),
            },
            "state": {
                **dict(RetirementRequest.State.choices),
                **dict(LedgerCheck.State.choices),
            },
            "method": dict(Acknowledgement.Method.choices),
            "action": {
                1: gettext_lazy("Added"),
                2: gettext_lazy("Changed"),
                3: gettext_lazy("Deleted"),
            },
        },
    ),
    register.Category(
        key="destruction_lists",
        order=92,
        label=gettext_lazy("Destruction lists"),
        contains=gettext_lazy(
            "The destruction lists that name data about you, when their retention period "
            "has ended; and the lists you proposed, approved or carried out."
        ),
        why=gettext_lazy(
            "To destroy personal data at the end of its retention period only with the "
            "approval of the municipality's archivist, and to account for it."
        ),
        legal_ground=gettext_lazy(
            "Archiefwet 1995 and Selectielijst gemeenten 2020; AVG art. 5(1)(e)."
        ),
        kept_for=gettext_lazy(
            "As long as the municipality must show what it destroyed (Archiefwet 1995)."
        ),
        models=("acknowledgements.DestructionList",),
        collect=_destruction_lists,
        labels={
            "about_you": gettext_lazy("About you"),
            "by_you": gettext_lazy("By you"),
            "proposed_at": gettext_lazy("Proposed at"),
            "items": gettext_lazy("What goes"),
            "category": gettext_lazy("Category"),
            "description": gettext_lazy("Description"),
            "your_part": gettext_lazy("Your part"),
        },
        choices={
            "status": dict(DestructionList.Status.choices),
            "your_part": {
                "proposed": gettext_lazy("Proposed"),
                "approved": gettext_lazy("Approved"),
                "carried_out": gettext_lazy("Carried out"),
            },
        },
    ),
    register.Category(
        key="security_events",
        order=95,
        label=gettext_lazy("Security log"),
        contains=gettext_lazy(
            "The security log's events you caused or that are about you: log-ins, "
            "second factors, roles, accounts switched on or off, downloads."
        ),
        why=gettext_lazy(
            "To protect the portal and your data, and to find out who did what if "
            "something goes wrong."
        ),
        legal_ground=gettext_lazy("AVG art. 32 (security of processing)."),
        kept_for=_kept_security,
        models=("security.SecurityEvent",),
        collect=_security_events,
        labels={
            "by": gettext_lazy("By"),
            "about": gettext_lazy("About"),
            "ip_address": gettext_lazy("IP address"),
            "browser": gettext_lazy("Browser"),
        },
        choices={"event": dict(SecurityEvent.Kind.choices)},
    ),
)
