"""Everything the portal holds about one employee (AVG art. 15, right of access).

The categories live in the register of personal data (``portal.personal_data``): each
app registers its own from its ``AppConfig.ready()`` (campaigns its assignments and
reminders, reports the reports that listed someone), so that this module gathers them
without importing the apps above it. The categories of the apps below (people,
handbook, quizzes, the ledger itself, the security log) and of the log-in apps
(allauth) are defined here and registered by ``acknowledgements.apps``, with the models
left out on purpose (``EXCLUDED``).

``personal_data_export`` gathers every category for one employee, each with why it is
kept, on which ground and for how long. Only the given employee's own data; a fixed
number of queries however much there is.

Format version 2 (issue 21): every category's explanation in ``why_kept`` now also has
its ``label`` and what it ``contains``; new categories ``object_roles``, ``sign_in``,
``invitations``, ``staff_imports``, ``security_events`` and, from the apps above,
``assignments``, ``reminders``, ``campaign_events`` and ``reports``; ``audit_events``
gained ``editing``, ``retirement_requests``, ``recorded_for_others``,
``ledger_checks`` and ``admin_site``. The version 1 sections are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db.models import CharField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acknowledgements.models import (
    Acknowledgement,
    DestructionList,
    LedgerCheck,
    LedgerEntry,
    Notification,
    TipRead,
)
from handbook.models import (
    Guideline,
    GuidelineVersion,
    HandbookEvent,
    RetirementRequest,
)
from people.models import Department, Employee, Invitation, ObjectRoleGrant, StaffImport
from people.roles import Role
from people.selectors import roles_of
from portal import personal_data as register
from quizzes.models import Attempt, AttemptQuestion, QuizEvent
from security.models import SecurityEvent

FORMAT_VERSION = 2
LEGAL_GROUND = register.LEGAL_GROUND


_when = register.when
_day = register.day


legal_ground = register.legal_ground


def _name(employee: Employee | None) -> str | None:
    return employee.full_name if employee else None


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


def _roles(employee: Employee) -> list[str]:
    granted = employee.user_permissions.order_by().values_list(
        "content_type__app_label", "codename"
    )
    direct = [f"{app}.{codename}" for app, codename in granted]
    return sorted(str(role) for role in roles_of(user=employee)) + sorted(direct)


def _object_roles(employee: Employee) -> list[dict[str, Any]]:
    grants = (
        ObjectRoleGrant.objects.filter(employee=employee)
        .select_related("content_type", "granted_by")
        .annotate(
            department_name=Subquery(
                Department.objects.filter(pk=OuterRef("object_id")).values("name")[:1]
            ),
            guideline_title=Subquery(
                Guideline.objects.filter(pk=OuterRef("object_id")).values("title")[:1]
            ),
        )
        .order_by("granted_at", "pk")
    )
    named = {"department": "department_name", "guideline": "guideline_title"}
    return [
        {
            "role": grant.role,
            "on": (
                getattr(grant, named[grant.content_type.model])
                if grant.content_type.model in named
                else f"{grant.content_type.model} {grant.object_id}"
            ),
            "granted_by": _name(grant.granted_by),
            "granted_at": _when(grant.granted_at),
        }
        for grant in grants
    ]


def _sign_in(employee: Employee) -> dict[str, Any]:
    addresses = EmailAddress.objects.filter(user=employee).order_by("pk")
    factors = Authenticator.objects.filter(user=employee).order_by("created_at", "pk")
    accounts = SocialAccount.objects.filter(user=employee).order_by("pk")
    return {
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "second_factors": [
            {
                "kind": factor.type,
                "created_at": _when(factor.created_at),
                "last_used_at": _when(factor.last_used_at),
            }
            for factor in factors
        ],
        "single_sign_on": [
            {
                "provider": account.provider,
                "identifier": account.uid,
                "last_login": _when(account.last_login),
                "linked_at": _when(account.date_joined),
            }
            for account in accounts
        ],
    }


def _invitations(employee: Employee) -> list[dict[str, Any]]:
    invitations = Invitation.objects.filter(employee=employee).order_by("created_at", "pk")
    return [
        {
            "status": invitation.status,
            "created_at": _when(invitation.created_at),
            "sent_at": _when(invitation.sent_at),
            "attempts": invitation.attempts,
        }
        for invitation in invitations
    ]


def _mentions(log: StaffImport, number: str) -> list[dict[str, Any]]:
    """What the import's log says about the person with ``number``."""
    found = []
    for kind, entries in (log.changes or {}).items():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and str(entry.get("number", "")) == number:
                found.append({"change": kind, "fields": list(entry.get("fields") or [])})
    return found


def _staff_imports(employee: Employee) -> dict[str, Any]:
    number = employee.employee_number or ""
    # The log names people by employee number inside its JSON: a text search narrows
    # it down in the database (one query, both databases), the exact check is here.
    mentioning = Q(pk__in=[])
    if number:
        mentioning = Q(changes_text__contains=f'"{number}"')
    logs = (
        StaffImport.objects.annotate(changes_text=Cast("changes", CharField()))
        .filter(mentioning | Q(imported_by=employee))
        .order_by("created_at", "pk")
    )
    changed_you, run_by_you = [], []
    for log in logs:
        mentions = _mentions(log, number) if number else []
        if mentions:
            changed_you.append(
                {
                    "at": _when(log.created_at),
                    "file": log.filename,
                    "mode": log.mode,
                    "changes": mentions,
                }
            )
        if log.imported_by_id == employee.pk:
            run_by_you.append(
                {
                    "at": _when(log.created_at),
                    "file": log.filename,
                    "mode": log.mode,
                    "new": log.new_count,
                    "changed": log.changed_count,
                    "leaving": log.leaving_count,
                }
            )
    return {"about_you": changed_you, "run_by_you": run_by_you}


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


# The categories -----------------------------------------------------------------------


def _kept_acknowledgements() -> str:
    return _(
        "%(years)s years after your employment ends (Selectielijst gemeenten 2020: "
        "personnel file); then erased."
    ) % {"years": settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT}


def _kept_tips_read() -> str:
    return _("%(years)s years after your employment ends; then removed.") % {
        "years": settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    }


def _kept_attempts() -> str:
    return _(
        "%(years)s years after the attempt (Selectielijst gemeenten 2020: internal "
        "training), longer only while an acknowledgement refers to it. Your answers "
        "per question are removed after %(days)s days."
    ) % {
        "years": settings.RETENTION_QUIZ_ATTEMPT_YEARS,
        "days": settings.QUIZ_ANSWER_RETENTION_DAYS,
    }


def _kept_security() -> str:
    return _("%(days)s days; then removed.") % {"days": settings.PORTAL_SECURITY_LOG_RETENTION_DAYS}


_L = gettext_lazy
GROUND = register.STAFF_GROUND
ROLE_LABELS = {role.value: role.label for role in Role}
STAFF_IMPORT_MODES = dict(StaffImport.Mode.choices)
# The staff import logs the fields it changed by name: shown by their label.
EMPLOYEE_FIELDS = {
    field.name: capfirst(field.verbose_name) for field in Employee._meta.concrete_fields
}

CATEGORIES = (
    register.Category(
        key="profile",
        order=10,
        label=_L("Your profile"),
        contains=_L(
            "Employee number, name, e-mail address, job title, department, manager, start "
            "and end date, language, whether your account is active, when it was created "
            "and when you last logged in."
        ),
        why=_L("Your account: to log in and to know which guideline applies to you."),
        legal_ground=GROUND,
        kept_for=_L("As long as you are employed, then as long as your records are."),
        models=("people.Employee",),
        collect=_profile,
        labels={
            "employee_number": _L("Employee number"),
            "first_name": _L("First name"),
            "name_prefix": _L("Name prefix"),
            "last_name": _L("Last name"),
            "email": _L("E-mail address"),
            "job_title": _L("Job title"),
            "department": _L("Department"),
            "manager": _L("Manager"),
            "start_date": _L("Start date"),
            "end_date": _L("End date"),
            "preferred_language": _L("Language"),
            "active": _L("Account active"),
            "account_created": _L("Account created"),
            "last_login": _L("Last logged in"),
        },
        choices={"preferred_language": register.LANGUAGES},
    ),
    register.Category(
        key="roles",
        order=20,
        label=_L("Your roles"),
        contains=_L("The roles you hold in the portal, and any permission given to you directly."),
        why=_L("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=_L("As long as you hold the role."),
        models=("people.Employee_groups", "people.Employee_user_permissions"),
        collect=_roles,
        choices={"roles": ROLE_LABELS},
    ),
    register.Category(
        key="object_roles",
        order=25,
        label=_L("Your roles on one part"),
        contains=_L(
            "Roles you hold on one department or one guideline only (such as HR adviser of "
            "a directorate), who gave them and when."
        ),
        why=_L("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=_L("As long as you hold the role."),
        models=("people.ObjectRoleGrant",),
        collect=_object_roles,
        labels={
            "role": _L("Role"),
            "on": _L("On"),
            "granted_by": _L("Given by"),
            "granted_at": _L("Given at"),
        },
        choices={"role": ROLE_LABELS},
    ),
    register.Category(
        key="sign_in",
        order=30,
        label=_L("How you log in"),
        contains=_L(
            "Your e-mail addresses for logging in, your second factors (kind and when "
            "used; never their secrets) and the link with the municipality's single "
            "sign-on."
        ),
        why=_L("To let you log in safely, and only you."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"),
        collect=_sign_in,
        labels={
            "email_addresses": _L("E-mail addresses"),
            "email": _L("E-mail address"),
            "verified": _L("Confirmed"),
            "primary": _L("Main address"),
            "second_factors": _L("Second factors"),
            "last_used_at": _L("Last used at"),
            "single_sign_on": _L("Single sign-on"),
            "provider": _L("Provider"),
            "identifier": _L("Your identifier there"),
            "last_login": _L("Last logged in"),
            "linked_at": _L("Linked at"),
        },
        choices={
            "kind": {
                "totp": _L("Authenticator app"),
                "recovery_codes": _L("Recovery codes"),
                "webauthn": _L("Security key"),
            }
        },
    ),
    register.Category(
        key="invitations",
        order=35,
        label=_L("Invitations"),
        contains=_L("The welcome e-mails the portal sent you to set a password."),
        why=_L("To let new staff start using the portal."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("people.Invitation",),
        collect=_invitations,
        labels={"attempts": _L("Attempts")},
        choices={"status": dict(Invitation.Status.choices)},
    ),
    register.Category(
        key="staff_imports",
        order=40,
        label=_L("Imports from the HR system"),
        contains=_L(
            "The imports of staff data from the HR system that added or changed you, with "
            "the fields that changed; and the imports you ran."
        ),
        why=_L("To keep the list of staff the same as the HR system's, and to show how."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("people.StaffImport",),
        collect=_staff_imports,
        labels={
            "about_you": _L("About you"),
            "run_by_you": _L("Run by you"),
            "file": _L("File"),
            "mode": _L("Mode"),
            "changes": _L("Changes"),
            "change": _L("Change"),
            "fields": _L("Fields"),
            "new": _L("New"),
            "changed": _L("Changed"),
            "leaving": _L("Leaving"),
        },
        choices={
            "mode": STAFF_IMPORT_MODES,
            "fields": EMPLOYEE_FIELDS,
            "change": {
                "new": _L("New"),
                "changed": _L("Changed"),
                "leaving": _L("Leaving"),
                "reactivated": _L("Back again"),
                "left_alone": _L("Left alone (privileged account)"),
            },
        },
    ),
    register.Category(
        key="acknowledgements",
        order=50,
        label=_L("Your signatures"),
        contains=_L(
            "Per record: its place in the ledger, verification code and hash, the version, "
            "language and statement you signed, the name you typed, when and how it was "
            "recorded (and by whom and why, if someone recorded it for you), IP address "
            "and browser."
        ),
        why=_L("Evidence that you acknowledged a version of the guideline."),
        legal_ground=GROUND,
        kept_for=_kept_acknowledgements,
        models=("acknowledgements.Acknowledgement",),
        collect=_acknowledgements,
        labels={
            "entry_sequence": _L("Place in the ledger"),
            "verification_code": _L("Verification code"),
            "record_hash": _L("Hash"),
            "employee_number_at_signing": _L("Employee number when signed"),
            "name_at_signing": _L("Name when signed"),
            "statement": _L("Statement"),
            "typed_name": _L("Name typed"),
            "signed_at": _L("Signed at"),
            "method": _L("How"),
            "recorded_by": _L("Recorded by"),
            "scanned_form": _L("Scanned paper form"),
            "ip_address": _L("IP address"),
            "browser": _L("Browser"),
        },
        choices={
            "kind": dict(LedgerEntry.Kind.choices),
            "method": dict(Acknowledgement.Method.choices),
        },
    ),
    register.Category(
        key="tips_read",
        order=55,
        label=_L("Tips read"),
        contains=_L("Which tips of which version you opened, and when first."),
        why=_L("To show you what you still have to read before you can sign."),
        legal_ground=GROUND,
        kept_for=_kept_tips_read,
        models=("acknowledgements.TipRead",),
        collect=_tips_read,
        labels={"tip": _L("Tip"), "first_opened_at": _L("First opened at")},
    ),
    register.Category(
        key="notifications",
        order=60,
        label=_L("Notices to sign again"),
        contains=_L("The e-mails that asked you to sign a new version, and when they went."),
        why=_L("To ask you to sign again when the guideline changes in meaning."),
        legal_ground=GROUND,
        kept_for=_kept_tips_read,
        models=("acknowledgements.Notification",),
        collect=_notifications,
    ),
    register.Category(
        key="quiz_attempts",
        order=65,
        label=_L("Your quiz attempts"),
        contains=_L(
            "Per attempt: the version, when you started and submitted it, your score and "
            "whether you passed; per question your answer and whether it was right, as "
            "long as the answers are kept."
        ),
        why=_L("Evidence of training: that you passed the quiz."),
        legal_ground=GROUND,
        kept_for=_kept_attempts,
        models=("quizzes.Attempt",),
        collect=_attempts,
        labels={
            "id": _L("Number"),
            "purpose": _L("Quiz on"),
            "started_at": _L("Started at"),
            "submitted_at": _L("Submitted at"),
            "questions": _L("Questions"),
            "answered_right": _L("Answered right"),
            "score_percent": _L("Score (%)"),
            "passed": _L("Passed"),
            "answers": _L("Answers"),
            "position": _L("Question number"),
            "question": _L("Question"),
            "answer_kept": _L("Answer still kept"),
            "chosen": _L("Your answer"),
            "right": _L("Right"),
        },
        choices={"purpose": dict(Attempt.Purpose.choices)},
    ),
    register.Category(
        key="audit_events",
        order=90,
        label=_L("Changes you made"),
        contains=_L(
            "If you edit a guideline or the quiz, record signatures for others, check the "
            "ledger or work in the admin site: what you did, in your name."
        ),
        why=_L("The audit trail: who changed what, so that every change can be accounted for."),
        legal_ground=GROUND,
        kept_for=_L("As long as the guideline's versions are kept."),
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
            "handbook": _L("Guidelines"),
            "quiz": _L("Quizzes"),
            "retirement_reason": _L("Reason for retiring"),
            "editing": _L("Versions you worked on"),
            "your_part": _L("Your part"),
            "retirement_requests": _L("Requests to retire a version"),
            "state": _L("State"),
            "requested_by_you": _L("Asked by you"),
            "decided_by_you": _L("Decided by you"),
            "requested_at": _L("Asked at"),
            "recorded_for_others": _L("Signatures you recorded for others"),
            "entry_sequence": _L("Place in the ledger"),
            "method": _L("How"),
            "signed_at": _L("Signed at"),
            "ledger_checks": _L("Ledger checks you asked for"),
            "intact": _L("Ledger intact"),
            "admin_site": _L("Changes in the admin site"),
            "action": _L("Action"),
            "object": _L("What"),
            "change": _L("Change"),
        },
        choices={
            "event": {
                **dict(HandbookEvent.Kind.choices),
                **dict(QuizEvent.Kind.choices),
            },
            "your_part": {
                "owner": _L("Owner of the guideline"),
                "created": _L("Created"),
                "last_edited": _L("Last changed"),
                "published": _L("Published"),
                "retired": _L("Retired"),
            },
            "state": {
                **dict(RetirementRequest.State.choices),
                **dict(LedgerCheck.State.choices),
            },
            "method": dict(Acknowledgement.Method.choices),
            "action": {1: _L("Added"), 2: _L("Changed"), 3: _L("Deleted")},
        },
    ),
    register.Category(
        key="destruction_lists",
        order=92,
        label=_L("Destruction lists"),
        contains=_L(
            "The destruction lists that name data about you, when their retention period "
            "has ended; and the lists you proposed, approved or carried out."
        ),
        why=_L(
            "To destroy personal data at the end of its retention period only with the "
            "approval of the municipality's archivist, and to account for it."
        ),
        legal_ground=_L("Archiefwet 1995 and Selectielijst gemeenten 2020; AVG art. 5(1)(e)."),
        kept_for=_L("As long as the municipality must show what it destroyed (Archiefwet 1995)."),
        models=("acknowledgements.DestructionList",),
        collect=_destruction_lists,
        labels={
            "about_you": _L("About you"),
            "by_you": _L("By you"),
            "proposed_at": _L("Proposed at"),
            "items": _L("What goes"),
            "category": _L("Category"),
            "description": _L("Description"),
            "your_part": _L("Your part"),
        },
        choices={
            "status": dict(DestructionList.Status.choices),
            "your_part": {
                "proposed": _L("Proposed"),
                "approved": _L("Approved"),
                "carried_out": _L("Carried out"),
            },
        },
    ),
    register.Category(
        key="security_events",
        order=95,
        label=_L("Security log"),
        contains=_L(
            "The security log's events you caused or that are about you: log-ins, "
            "second factors, roles, accounts switched on or off, downloads."
        ),
        why=_L(
            "To protect the portal and your data, and to find out who did what if "
            "something goes wrong."
        ),
        legal_ground=_L("AVG art. 32 (security of processing)."),
        kept_for=_kept_security,
        models=("security.SecurityEvent",),
        collect=_security_events,
        labels={
            "by": _L("By"),
            "about": _L("About"),
            "ip_address": _L("IP address"),
            "browser": _L("Browser"),
        },
        choices={"event": dict(SecurityEvent.Kind.choices)},
    ),
)

# Models with a link to a person that the export leaves out on purpose, and why.
EXCLUDED = {
    "sessions.Session": _L(
        "Your log-in sessions: a random key and when it ends, removed when you log out "
        "or it expires. Nothing in it is about you beyond that you are logged in."
    ),
    "socialaccount.SocialToken": _L(
        "Keys for the single sign-on: secrets that must never leave the portal."
    ),
    "socialaccount.SocialApp": _L("The single sign-on's settings: about no person."),
    "django_tasks_database.DBTaskResult": _L(
        "The queue of background jobs: record numbers to work on, no content about a "
        "person; it is emptied as the jobs are done."
    ),
}


def register_categories() -> None:
    """Put this app's categories and the exclusions in the register (AppConfig.ready)."""
    for category in CATEGORIES:
        register.register(category)
    for model, reason in EXCLUDED.items():
        register.exclude(model, reason)


def personal_data_export(*, employee: Employee) -> dict[str, Any]:
    """All the portal holds about ``employee``, as plain JSON-ready values: every
    category of the register, each with its explanation under ``why_kept``."""
    employee = Employee.objects.select_related("department", "manager").get(pk=employee.pk)
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "created_at": _when(timezone.now()),
        "controller": settings.PORTAL_MUNICIPALITY_NAME,
        "about": _(
            "All data the portal holds about you (AVG art. 15). The ledger itself keeps "
            "no personal data: only hashes of your records."
        ),
        "why_kept": {},
    }
    for category in register.categories():
        data["why_kept"][category.key] = category.explanation()
        data[category.key] = category.collect(employee=employee)
    return data


def readable_export(*, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export's categories for the page and the PDF: each its key, label,
    explanation (``why_kept``) and content as rows of label and value."""
    return [
        {
            "key": category.key,
            "label": str(category.label),
            "explanation": data["why_kept"][category.key],
            "content": register.readable(category=category, data=data[category.key]),
        }
        for category in register.categories()
        if category.key in data
    ]


def personal_data_pdf(*, employee: Employee, language: str) -> bytes:
    """The export as a readable, accessible PDF (portal.pdf) in ``language``: every
    category with its explanation and content. Not signed: it is the person's copy."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from portal.pdf import page_counter_css, render_pdf

    language = language if language in ("nl", "en") else "nl"
    with translation.override(language):
        data = personal_data_export(employee=employee)
        title = _("Your data in the portal: %(name)s") % {"name": employee.full_name}
        html = render_to_string(
            "acknowledgements/personal_data_pdf.html",
            {
                "title": title,
                "language": language,
                "data": data,
                "sections": readable_export(data=data),
                "employee": employee,
                "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
                "municipality_logo": settings.PORTAL_LOGO,
                "page_counter": page_counter_css(_("page %(page)s of %(pages)s")),
            },
        )
    return render_pdf(html, language=language, title=title)
