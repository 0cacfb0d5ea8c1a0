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

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acknowledgements.selectors.personal_data import about_you, activity, records
from acknowledgements.selectors.personal_data.common import _when
from people.models import Employee
from portal import personal_data as register

FORMAT_VERSION = 2
LEGAL_GROUND = register.LEGAL_GROUND

legal_ground = register.legal_ground

# Models with a link to a person that the export leaves out on purpose, and why.
EXCLUDED = {
    "sessions.Session": gettext_lazy(
        "Your log-in sessions: a random key and when it ends, removed when you log out "
        "or it expires. Nothing in it is about you beyond that you are logged in."
    ),
    "socialaccount.SocialToken": gettext_lazy(
        "Keys for the single sign-on: secrets that must never leave the portal."
    ),
    "socialaccount.SocialApp": gettext_lazy("The single sign-on's settings: about no person."),
    "django_tasks_database.DBTaskResult": gettext_lazy(
        "The queue of background jobs: record numbers to work on, no content about a "
        "person; it is emptied as the jobs are done."
    ),
}


def register_categories() -> None:
    """Put this app's categories and the exclusions in the register (AppConfig.ready)."""
    for category in (*about_you.CATEGORIES, *records.CATEGORIES, *activity.CATEGORIES):
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
