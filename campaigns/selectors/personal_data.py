"""What campaigns keep about one person, for the export of their own data (AVG art. 15).

Registered in the register of personal data (``portal.personal_data``) by
``campaigns.apps``: the ledger's export, below this app, gathers it without importing
it. Three categories: the person's assignments (with every exemption: HR's reason and
who exempted and lifted it), the reminders and escalations about them, and the
campaigns' audit trail about them or by them. Each reads in a fixed number of queries,
only the given employee's rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Field, Prefetch, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from campaigns.models import Assignment, Campaign, CampaignEvent, Exemption, Reminder
from people.models import Employee
from portal import personal_data as register
from portal.personal_data import day, when


def _name(employee: Employee | None) -> str | None:
    return employee.full_name if employee else None


# An exemption's own fields, whatever they are: its decision, who asked, approved and
# lifted it (the people by name), when, and HR's reason. Read from the model, so that a
# field added to it is in the export at once.
def _exemption_fields() -> list[Field[Any, Any]]:
    return [
        field for field in Exemption._meta.concrete_fields if field.name not in ("id", "assignment")
    ]


def _people_fields() -> list[str]:
    return [field.name for field in _exemption_fields() if field.is_relation]


def _exemption(exemption: Exemption) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field in _exemption_fields():
        value = getattr(exemption, field.name)
        if field.is_relation:
            value = _name(value)
        elif isinstance(value, datetime.datetime):
            value = when(value)
        elif isinstance(value, datetime.date):
            value = day(value)
        found[field.name] = value
    return found


def _exemption_labels() -> dict[str, Any]:
    return {field.name: capfirst(field.verbose_name) for field in _exemption_fields()}


def assignments_of(*, employee: Employee) -> dict[str, Any]:
    """The person's assignments, oldest first, with their exemptions; and the campaigns
    whose audience names them (three queries)."""
    exemptions = Exemption.objects.select_related(*_people_fields()).order_by("pk")
    assignments = (
        Assignment.objects.filter(employee=employee)
        .select_related("campaign", "guideline", "version", "exempted_by")
        .prefetch_related(Prefetch("exemptions", queryset=exemptions))
        .order_by("added_at", "pk")
    )
    named = Campaign.objects.filter(employees=employee).order_by("start_date", "pk")
    return {
        "assignments": [
            {
                "campaign": assignment.campaign.name,
                "guideline": assignment.guideline.title,
                "guideline_version": assignment.version.number,
                "added_because": assignment.reason,
                "added_at": when(assignment.added_at),
                "due_date": day(assignment.due_date),
                "first_opened_at": when(assignment.opened_at),
                "read_at": when(assignment.read_at),
                "quiz_failed_at": when(assignment.quiz_failed_at),
                "quiz_passed_at": when(assignment.quiz_passed_at),
                "signed_at": when(assignment.signed_at),
                "exempt_reason": assignment.exempt_reason,
                "exempted_by": _name(assignment.exempted_by),
                "exempted_at": when(assignment.exempted_at),
                "exemptions": [_exemption(e) for e in assignment.exemptions.all()],
            }
            for assignment in assignments
        ],
        "named_in_audience": [campaign.name for campaign in named],
    }


def reminders_of(*, employee: Employee) -> dict[str, Any]:
    """The reminders and escalations about the person, and the reminders they asked to
    send to someone else (a manager's), without that person's name (two queries)."""
    about = (
        Reminder.objects.filter(assignment__employee=employee)
        .select_related("assignment__campaign", "requested_by")
        .order_by("created_at", "pk")
    )
    sent = (
        Reminder.objects.filter(requested_by=employee)
        .exclude(assignment__employee=employee)
        .select_related("assignment__campaign")
        .order_by("created_at", "pk")
    )
    return {
        "about_you": [
            {
                "campaign": reminder.assignment.campaign.name,
                "kind": reminder.kind,
                "status": reminder.status,
                "created_at": when(reminder.created_at),
                "sent_at": when(reminder.sent_at),
                "requested_by": _name(reminder.requested_by),
            }
            for reminder in about
        ],
        "requested_by_you": [
            {
                "campaign": reminder.assignment.campaign.name,
                "status": reminder.status,
                "created_at": when(reminder.created_at),
                "sent_at": when(reminder.sent_at),
            }
            for reminder in sent
        ],
    }


def campaign_events_of(*, employee: Employee) -> dict[str, Any]:
    """The campaigns' audit trail about the person's assignments and by them, and the
    campaigns they set up or launched (two queries)."""
    events = (
        CampaignEvent.objects.filter(Q(assignment__employee=employee) | Q(actor=employee))
        .select_related("campaign", "assignment", "actor")
        .order_by("at", "pk")
    )
    about, by = [], []
    for event in events:
        row = {
            "at": when(event.at),
            "event": event.kind,
            "campaign": event.campaign.name,
        }
        if event.assignment is not None and event.assignment.employee_id == employee.pk:
            about.append({**row, "by": _name(event.actor)})
        if event.actor_id == employee.pk:
            by.append({**row, "details": event.details})
    campaigns = Campaign.objects.filter(Q(created_by=employee) | Q(launched_by=employee))
    return {
        "about_you": about,
        "by_you": by,
        "campaigns": [
            {
                "campaign": campaign.name,
                "set_up_by_you": campaign.created_by_id == employee.pk,
                "launched_by_you": campaign.launched_by_id == employee.pk,
            }
            for campaign in campaigns.order_by("start_date", "pk")
        ],
    }


def _kept_reminders() -> str:
    from django.conf import settings

    years = settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    return str(_("%(years)s years after your employment ends; then removed.")) % {"years": years}


CATEGORIES = (
    register.Category(
        key="assignments",
        order=70,
        label=_("Campaigns asking you to sign"),
        contains=_(
            "Per campaign and guideline: when you were added and why, the due date, how "
            "far you got, and any exemption with HR's reason, who exempted you and who "
            "lifted it; and the campaigns that name you in their audience."
        ),
        why=_("To ask you to sign on time, and to account for who was asked and who not."),
        legal_ground=register.STAFF_GROUND,
        kept_for=_kept_reminders,
        models=("campaigns.Assignment", "campaigns.Exemption", "campaigns.Campaign_employees"),
        collect=assignments_of,
        labels={
            **_exemption_labels(),
            "assignments": _("Assignments"),
            "added_because": _("Why added"),
            "added_at": _("Added at"),
            "due_date": _("Due date"),
            "first_opened_at": _("First opened at"),
            "read_at": _("Everything read at"),
            "quiz_failed_at": _("Quiz not passed at"),
            "quiz_passed_at": _("Quiz passed at"),
            "signed_at": _("Signed at"),
            "exempt_reason": _("Reason for exemption"),
            "exempted_by": _("Exempted by"),
            "exempted_at": _("Exempted at"),
            "exemptions": _("Exemptions"),
            "reason_erased_at": _("Reason erased at"),
            "lifted_by": _("Lifted by"),
            "lifted_at": _("Lifted at"),
            "named_in_audience": _("Campaigns that name you"),
        },
        choices={
            "added_because": dict(Assignment.Reason.choices),
            "decision": dict(Exemption.Decision.choices),
        },
    ),
    register.Category(
        key="reminders",
        order=75,
        label=_("Reminders and escalations"),
        contains=_(
            "The reminders sent to you, and the e-mails to your manager or HR about you "
            "(escalations), with when they went; and reminders you asked to send."
        ),
        why=_("To help you sign on time, and to tell your manager when you have not."),
        legal_ground=register.STAFF_GROUND,
        kept_for=_kept_reminders,
        models=("campaigns.Reminder",),
        collect=reminders_of,
        labels={
            "about_you": _("About you"),
            "requested_by_you": _("Asked by you"),
            "requested_by": _("Asked by"),
        },
        choices={"kind": dict(Reminder.Kind.choices), "status": dict(Reminder.Status.choices)},
    ),
    register.Category(
        key="campaign_events",
        order=80,
        label=_("Campaigns' audit trail"),
        contains=_(
            "What happened to your assignments (such as an exemption) and by whom; and "
            "what you did in campaigns, if you set them up."
        ),
        why=_("The audit trail: who changed what, so that every change can be accounted for."),
        legal_ground=register.STAFF_GROUND,
        kept_for=_("As long as the campaign is kept."),
        models=("campaigns.CampaignEvent", "campaigns.Campaign"),
        collect=campaign_events_of,
        labels={
            "about_you": _("About you"),
            "by_you": _("By you"),
            "by": _("By"),
            "campaigns": _("Campaigns you set up or launched"),
            "set_up_by_you": _("Set up by you"),
            "launched_by_you": _("Launched by you"),
        },
        choices={"event": dict(CampaignEvent.Kind.choices)},
    ),
)


def register_categories() -> None:
    """Put the campaigns' categories in the register (AppConfig.ready)."""
    for category in CATEGORIES:
        register.register(category)
