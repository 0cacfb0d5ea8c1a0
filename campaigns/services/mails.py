"""The reminder and escalation e-mails: plain text and HTML, in the reader's language,
with a link straight to what is left to do."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from campaigns.models import Reminder
from handbook.models import GuidelineVersion
from people.models import Employee
from people.roles import Role
from portal.mail import templated_email


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _next_step(employee: Employee, version: GuidelineVersion) -> tuple[list[str], str]:
    """What the employee still has to do for the version, and the page for the first
    of it (a tip, the quiz, or the signing page)."""
    from acknowledgements.selectors.eligibility import requirements

    needed = requirements(employee=employee, version=version)
    todo = []
    url = reverse("signing:sign", kwargs={"guideline": version.guideline.slug})
    if needed.unread:
        todo.append("read")
        url = reverse(
            "handbook:tip",
            kwargs={
                "guideline": version.guideline.slug,
                "number": version.number,
                "tip": needed.unread[0].number,
            },
        )
    if needed.quiz_missing:
        todo.append("quiz")
        if not needed.unread:
            url = reverse("quizzes:start", kwargs={"guideline": version.guideline.slug})
    todo.append("sign")
    return todo, _absolute(url)


def hr_addresses() -> list[str]:
    if settings.CAMPAIGN_HR_EMAIL:
        return [settings.CAMPAIGN_HR_EMAIL]
    return list(
        Employee.objects.filter(is_active=True, groups__name=Role.HR)
        .exclude(email="")
        .values_list("email", flat=True)
        .order_by("email")
    )


def build(*, reminder: Reminder) -> EmailMultiAlternatives | None:
    """The e-mail for a reminder, or None when there is nobody to send it to."""
    assignment = reminder.assignment
    employee = assignment.employee
    if reminder.kind in (Reminder.Kind.REMINDER, Reminder.Kind.MANUAL):
        to = [employee.email] if employee.email else []
        language = employee.preferred_language
        template = "reminder"
    elif reminder.kind == Reminder.Kind.MANAGER:
        manager = employee.manager
        to = [manager.email] if manager and manager.is_active and manager.email else []
        language = manager.preferred_language if manager else settings.LANGUAGE_CODE
        template = "escalation_manager"
    else:
        to = hr_addresses()
        language = settings.LANGUAGE_CODE
        template = "escalation_hr"
    if not to:
        return None
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        todo, next_url = _next_step(employee, assignment.version)
        context = {
            "reminder": reminder,
            "assignment": assignment,
            "campaign": assignment.campaign,
            "employee": employee,
            "manager": employee.manager,
            "requested_by": reminder.requested_by,
            "title": assignment.version.title_in(language),
            "version": assignment.version,
            "todo": todo,
            "next_url": next_url,
            "team_url": _absolute(reverse("campaigns_team:team")),
            "dashboard_url": _absolute(reverse("campaigns:detail", args=[assignment.campaign_id])),
        }
    return templated_email(
        f"campaigns/email/{template}",
        context,
        to=to,
        language=language,
        headers=_message_id(reminder.message_id_local_part),
    )


def _message_id(local_part: str) -> dict[str, str]:
    # The sender may carry a name ("Gemeente Voorbeeldstad <portal@...>"): take the address.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return {"Message-ID": f"<{local_part}@{domain}>"}


def build_hr_digest(*, reminders: list[Reminder]) -> EmailMultiAlternatives | None:
    """One e-mail to HR about several overdue people of one campaign (a batch of HR
    escalations), instead of one e-mail per person."""
    if len(reminders) == 1:
        return build(reminder=reminders[0])
    to = hr_addresses()
    if not to:
        return None
    campaign = reminders[0].assignment.campaign
    people = sorted(
        (reminder.assignment for reminder in reminders),
        key=lambda assignment: (assignment.employee.last_name, assignment.employee.first_name),
    )
    context = {
        "campaign": campaign,
        "assignments": people,
        "dashboard_url": _absolute(reverse("campaigns:detail", args=[campaign.pk])),
        "overdue_url": _absolute(reverse("campaigns:people", args=[campaign.pk]))
        + "?status=overdue",
    }
    # Unique per group: the first reminder's id and how many it covers.
    local_part = f"{reminders[0].message_id_local_part}-{len(reminders)}"
    return templated_email(
        "campaigns/email/escalation_hr_digest", context, to=to, headers=_message_id(local_part)
    )
