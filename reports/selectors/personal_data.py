"""What the reports say about one person, for the export of one's own data (AVG art.
15): the reports that listed them, worked out from each report's stored scope (its
campaign or version, guideline, departments and date), registered in
portal.personal_data by reports.apps."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Assignment
from people.models import Employee

if TYPE_CHECKING:
    from reports.models import Report

from reports.selectors import Scope


def _employed_on(employee: Employee, as_of: datetime.date, *, starting: bool) -> bool:
    """The report's rule of who is in it on its date (``_campaign_people`` and
    ``_version_people``), for one person as they are now."""
    if employee.end_date is not None and employee.end_date < as_of:
        return False
    if starting and employee.start_date is not None and employee.start_date > as_of:
        return False
    return employee.is_active or employee.end_date is not None


def _listed(report: Report, employee: Employee, assignments: list[tuple[int, int, Any]]) -> bool:
    as_of = report.as_of or timezone.localdate(report.requested_at)
    if report.campaign_id is None:
        return _employed_on(employee, as_of, starting=True)
    end = Scope(version=None, as_of=as_of).end
    guideline_id = report.guideline_id or (report.version.guideline_id if report.version else None)
    return _employed_on(employee, as_of, starting=False) and any(
        campaign_id == report.campaign_id
        and (guideline_id is None or guideline_id == assignment_guideline)
        and added_at < end
        for campaign_id, assignment_guideline, added_at in assignments
    )


def reports_about(*, employee: Employee) -> dict[str, Any]:
    """The reports that listed ``employee`` (worked out from each report's stored scope:
    its campaign and guideline or its version, its departments and its date; listed
    when they had an assignment in that scope then, or, in a report on a version, were
    employed then), the individual files about them, the reports they asked for and
    what they did with reports. Four queries, whatever the number of reports."""

    from portal.personal_data import day, when
    from reports.models import Report, ReportEvent

    assignments = list(
        Assignment.objects.filter(employee=employee).values_list(
            "campaign_id", "guideline_id", "added_at"
        )
    )
    path = employee.department.path if employee.department else ""
    codes = [code for code in path.split("/") if code]
    ancestors = ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]
    chosen = Report.departments.through.objects.filter(report_id=OuterRef("pk"))
    in_part = ~Exists(chosen) | Exists(chosen.filter(department__path__in=ancestors))
    could_list = (
        Q(kind=Report.Kind.COMPLIANCE, status__in=[Report.Status.DONE, Report.Status.REMOVED])
        & in_part
        & (Q(campaign__isnull=True) | Q(campaign_id__in={a[0] for a in assignments}))
    )
    reports = (
        Report.objects.filter(could_list | Q(employee=employee) | Q(requested_by=employee))
        .select_related("campaign", "guideline", "version__guideline", "requested_by")
        .prefetch_related("departments")
        .order_by("requested_at", "pk")
    )
    listed, about, asked = [], [], []
    for report in reports:
        if report.kind == Report.Kind.COMPLIANCE and _listed(report, employee, assignments):
            guideline = report.guideline or (report.version.guideline if report.version else None)
            listed.append(
                {
                    "report": report.number,
                    "made_at": when(report.finished_at),
                    "campaign": report.campaign.name if report.campaign else None,
                    "guideline": guideline.title if guideline else None,
                    "guideline_version": report.version.number if report.version else None,
                    "status_on": day(report.as_of or timezone.localdate(report.requested_at)),
                    "departments": [d.name for d in report.departments.all()],
                    "requested_by": report.requested_by.full_name if report.requested_by else None,
                }
            )
        if report.employee_id == employee.pk:
            about.append(
                {
                    "report": report.number,
                    "requested_at": when(report.requested_at),
                    "requested_by": report.requested_by.full_name if report.requested_by else None,
                    "status": report.status,
                }
            )
        if report.requested_by_id == employee.pk:
            asked.append(
                {
                    "report": report.number,
                    "kind": report.kind,
                    "format": report.format,
                    "requested_at": when(report.requested_at),
                }
            )
    events = (
        ReportEvent.objects.filter(actor=employee).select_related("report").order_by("at", "pk")
    )
    return {
        "listed_you": listed,
        "about_you": about,
        "requested_by_you": asked,
        "events_by_you": [
            {"at": when(event.at), "event": event.kind, "report": event.report.number}
            for event in events
        ],
    }


def _kept_reports() -> str:
    from django.conf import settings
    from django.utils.translation import gettext

    return gettext(
        "A report's file %(days)s days; that it was made, as long as the campaign is kept."
    ) % {"days": settings.REPORTS_RETENTION_DAYS}


def register_personal_data() -> None:
    """Put the reports' category in the register of personal data (AppConfig.ready)."""
    from portal import personal_data as register
    from reports.models import Report, ReportEvent

    register.register(
        register.Category(
            key="reports",
            order=85,
            label=_("Reports that name you"),
            contains=_(
                "The compliance reports that listed you (worked out from each report's "
                "campaign or version, departments and date), the individual files HR made "
                "about you, and the reports you asked for or downloaded."
            ),
            why=_("To account to the municipality's management and auditors for training."),
            legal_ground=register.STAFF_GROUND,
            kept_for=_kept_reports,
            models=("reports.Report", "reports.ReportEvent"),
            collect=reports_about,
            labels={
                "listed_you": _("Reports that listed you"),
                "about_you": _("Individual files about you"),
                "requested_by_you": _("Reports you asked for"),
                "events_by_you": _("What you did with reports"),
                "report": _("Report"),
                "made_at": _("Made at"),
                "status_on": _("Status on"),
                "departments": _("Departments"),
                "requested_by": _("Asked by"),
                "requested_at": _("Asked at"),
                "format": _("Format"),
            },
            choices={
                "kind": dict(Report.Kind.choices),
                "format": dict(Report.Format.choices),
                "status": dict(Report.Status.choices),
                "event": dict(ReportEvent.Kind.choices),
            },
        )
    )
