"""Writes of reports: asking for one (it is made by the background worker), logging a
download, and removing files after the retention period. Each writes its log row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Campaign, CampaignGuideline
from handbook.models import Guideline, GuidelineVersion
from people.models import Department, Employee
from people.selectors import Scope as PartOfOrganisation
from people.selectors import scope_of
from reports.models import Report, ReportEvent
from reports.selectors import visible_reports

PERMISSION = "reports.export_reports"


class ReportError(Exception):
    """A report that cannot be asked for; the message is for the user."""


def _number(report: Report) -> str:
    return f"NR-{report.requested_at:%Y}-{report.pk:06d}"


def request_report(
    *,
    kind: str = Report.Kind.COMPLIANCE,
    format: str = Report.Format.PDF,
    language: str = "nl",
    delimiter: str = ";",
    campaign: Campaign | None = None,
    version: GuidelineVersion | None = None,
    guideline: Guideline | None = None,
    departments: Iterable[Department] = (),
    as_of: datetime.date | None = None,
    employee: Employee | None = None,
    by: Employee | None = None,
    enqueue: bool = True,
    now: datetime.datetime | None = None,
) -> Report:
    """Record the request and hand it to the background worker (``enqueue=False``: the
    caller makes the file itself, as the command line does).

    A report on a campaign is on one of its guidelines (``guideline``), or on all of
    them combined (no guideline; a campaign of one guideline: on that one); a report on
    a version is on the version's guideline.

    Someone who acts on a part of the organisation only (an HR adviser,
    people.selectors.scope_of) asks within it: a compliance report on departments in
    the part (none chosen: the departments they hold HR on, stored on the report, so
    that it says which part it covers and is made of that part), an individual file of
    someone in it; anything else is refused (PermissionDenied). ``by`` None: the
    command line, the whole organisation."""
    from reports.tasks import generate_report

    now = now or timezone.now()
    departments = list(departments)
    if by is not None:
        within = scope_of(user=by, perm=PERMISSION)
        if within is None:
            raise PermissionDenied
        if not within.everything:
            departments = _within_part(
                within=within, kind=kind, departments=departments, employee=employee
            )
    if kind == Report.Kind.INDIVIDUAL:
        if employee is None:
            raise ReportError(gettext("Choose the employee whose file you want."))
        if format != Report.Format.PDF:
            raise ReportError(gettext("An individual file is made as PDF only."))
    elif campaign is None and version is None:
        raise ReportError(gettext("Choose a campaign or a guideline version."))
    if version is not None:
        if guideline is not None and guideline.pk != version.guideline_id:
            raise ReportError(gettext("The version is not a version of that guideline."))
        guideline = version.guideline
    elif campaign is not None:
        covered = list(
            CampaignGuideline.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("guideline_id", flat=True)
        )
        if guideline is not None and guideline.pk not in covered:
            raise ReportError(gettext("The campaign does not cover that guideline."))
        if guideline is None and len(covered) == 1:
            # All the guidelines of a campaign of one: the report on that one.
            guideline = Guideline.objects.get(pk=covered[0])
    if as_of is not None and as_of > timezone.localdate(now):
        raise ReportError(gettext("The date cannot be in the future."))
    if delimiter not in (";", ","):
        raise ReportError(gettext("The CSV delimiter is a semicolon or a comma."))
    if language not in ("nl", "en"):
        raise ReportError(gettext("A report is made in Dutch or English."))
    with transaction.atomic():
        report = Report.objects.create(
            kind=kind,
            format=format,
            language=language,
            delimiter=delimiter,
            campaign=campaign,
            version=version,
            guideline=guideline if kind == Report.Kind.COMPLIANCE else None,
            as_of=as_of,
            employee=employee,
            requested_by=by,
            requested_at=now,
        )
        report.number = _number(report)
        report.save(update_fields=["number"])
        if departments:
            report.departments.set(departments)
        ReportEvent.objects.create(
            kind=ReportEvent.Kind.REQUESTED,
            report=report,
            actor=by,
            details=describe(report=report),
        )
        if enqueue:
            transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


def _within_part(
    *,
    within: PartOfOrganisation,
    kind: str,
    departments: list[Department],
    employee: Employee | None,
) -> list[Department]:
    """The departments of a report asked for by someone acting on part of the
    organisation (``within``, a people.selectors.Scope): refused outside it."""
    if kind == Report.Kind.INDIVIDUAL:
        if employee is not None and not within.covers_employee(employee=employee):
            raise PermissionDenied
        return departments
    if not departments:
        return list(Department.objects.filter(path__in=within.paths or ()).order_by("path"))
    if not all(within.covers(department=department) for department in departments):
        raise PermissionDenied
    return departments


def describe(*, report: Report) -> dict[str, object]:
    """The scope in the log: what was asked, in plain values."""
    return {
        "kind": report.kind,
        "format": report.format,
        "language": report.language,
        "campaign": report.campaign_id,
        "version": report.version.number if report.version else None,
        # The guideline's short name; None: all the campaign's guidelines, combined.
        "guideline": report.guideline.slug if report.guideline else None,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "employee": report.employee.employee_number if report.employee else None,
        "departments": sorted(report.departments.values_list("code", flat=True))
        if report.pk
        else [],
    }


def record_download(*, report: Report, by: Employee) -> None:
    """Log who downloaded which file (with its hash)."""
    ReportEvent.objects.create(
        kind=ReportEvent.Kind.DOWNLOADED,
        report=report,
        actor=by,
        details={"sha256": report.file_sha256},
    )


def retry_report(*, report: Report, by: Employee) -> Report:
    """Make a failed report again (HR's "try again" button): the same report, waiting
    for the worker with its attempts counted afresh. Anything but a failed report is
    refused, so two clicks queue it once."""
    from reports.tasks import generate_report

    within = scope_of(user=by, perm=PERMISSION)
    if within is None:
        raise PermissionDenied
    if not within.everything and not visible_reports(within=within).filter(pk=report.pk).exists():
        raise PermissionDenied
    afresh = {
        "status": Report.Status.QUEUED,
        "attempts": 0,
        "heartbeat_at": None,
        "started_at": None,
        "finished_at": None,
        "progress_done": 0,
        "error": "",
    }
    with transaction.atomic():
        queued = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(**afresh)
        if not queued:
            raise ReportError(gettext("Only a report that failed can be made again."))
        ReportEvent.objects.create(kind=ReportEvent.Kind.RETRIED, report=report, actor=by)
        transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    for name, value in afresh.items():
        setattr(report, name, value)
    return report


def remove_expired(*, now: datetime.datetime | None = None) -> int:
    """Remove report files whose retention period ended; the rows stay as the log."""
    now = now or timezone.now()
    removed = 0
    expired = Report.objects.filter(status=Report.Status.DONE, expires_at__lte=now)
    for report in expired.iterator():
        with transaction.atomic():
            if report.file:
                report.file.delete(save=False)
            Report.objects.filter(pk=report.pk).update(status=Report.Status.REMOVED, file="")
            ReportEvent.objects.create(
                kind=ReportEvent.Kind.REMOVED,
                report=report,
                details={"sha256": report.file_sha256},
            )
        removed += 1
    return removed
