"""Acknowledgements from an earlier system, read from a CSV file and recorded all at once.

Columns (header names case-insensitive, Dutch or English): ``personeelsnummer``
(employee_number), ``versie`` (version), ``datum`` (signed_on). Delimiter ``;`` or
``,``; UTF-8 with or without BOM, or Windows-1252; dates as dd-mm-jjjj or yyyy-mm-dd.
Every row is checked before anything is written: one bad row refuses the whole file.
``import_acknowledgement`` records one (the file's rows, the staff import's leavers).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.services import (
    MANAGE_PERMISSION,
    _record_once,
    _require_past,
    _require_reason,
)
from handbook.models import Guideline, GuidelineVersion
from people.models import Employee

COLUMNS = {
    "employee_number": ("personeelsnummer", "employee_number"),
    "version": ("versie", "version"),
    "signed_on": ("datum", "signed_on"),
}


class ImportRefused(Exception):
    def __init__(self, errors: list[tuple[int | None, str]]):
        super().__init__("\n".join(_line(n, reason) for n, reason in errors))
        self.errors = errors


@dataclass
class ImportReport:
    recorded: int = 0
    already_there: int = 0
    rows: list[tuple[Employee, GuidelineVersion, datetime.datetime]] = field(default_factory=list)


def _line(number: int | None, reason: str) -> str:
    return _("line %(line)s: %(reason)s") % {"line": number, "reason": reason} if number else reason


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _date(value: str) -> datetime.date | None:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_file(
    *, data: bytes, guideline: Guideline, today: datetime.date | None = None
) -> ImportReport:
    """Check every row; raise ImportRefused listing each problem with its line."""
    today = today or timezone.localdate()
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "," if first_line.count(",") > first_line.count(";") else ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    positions = {}
    for key, names in COLUMNS.items():
        found = [i for i, name in enumerate(header) if name in names]
        if not found:
            raise ImportRefused([(1, _("The column “%(name)s” is missing.") % {"name": names[0]})])
        positions[key] = found[0]
    numbers, version_numbers = set(), set()
    raw = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in positions.items()}
        raw.append((line, cells))
        numbers.add(cells["employee_number"])
        version_numbers.add(cells["version"])
    employees = Employee.objects.in_bulk(numbers, field_name="employee_number")
    versions = {
        str(v.number): v
        for v in guideline.versions.exclude(status=GuidelineVersion.Status.DRAFT).filter(
            number__in=[n for n in version_numbers if n.isdigit()]
        )
    }
    errors: list[tuple[int | None, str]] = []
    report = ImportReport()
    seen = set()
    for line, cells in raw:
        employee = employees.get(cells["employee_number"])
        version = versions.get(cells["version"])
        day = _date(cells["signed_on"])
        if not cells["employee_number"]:
            errors.append((line, _("The employee number is missing.")))
        elif employee is None:
            errors.append(
                (
                    line,
                    _("No employee has number %(number)s.") % {"number": cells["employee_number"]},
                )
            )
        if version is None:
            errors.append(
                (
                    line,
                    _("There is no published version %(number)s.") % {"number": cells["version"]},
                )
            )
        if day is None:
            errors.append(
                (
                    line,
                    _("“%(value)s” is not a date (use dd-mm-jjjj or yyyy-mm-dd).")
                    % {"value": cells["signed_on"]},
                )
            )
        elif day > today:
            errors.append((line, _("The date %(date)s lies in the future.") % {"date": day}))
        pair = (cells["employee_number"], cells["version"])
        if pair in seen:
            errors.append((line, _("This employee and version appear twice in the file.")))
        seen.add(pair)
        if employee and version and day and day <= today:
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            report.rows.append((employee, version, moment))
    if not raw and not errors:
        errors.append((None, _("The file has no rows.")))
    if errors:
        raise ImportRefused(errors)
    return report


@transaction.atomic
def import_acknowledgements(
    *, report: ImportReport, recorded_by: Employee | None, reason: str
) -> ImportReport:
    """Record the checked rows (all or nothing); rows already in the ledger are skipped."""
    existing = set(
        Acknowledgement.objects.filter(
            kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
            employee__in=[e for e, _v, _m in report.rows],
        ).values_list("employee_id", "version_id")
    )
    for employee, version, moment in report.rows:
        if (employee.pk, version.pk) in existing:
            report.already_there += 1
            continue
        import_acknowledgement(
            employee=employee,
            version=version,
            signed_at=moment,
            recorded_by=recorded_by,
            reason=reason,
        )
        report.recorded += 1
    return report


@transaction.atomic
def import_acknowledgement(
    *,
    employee: Employee,
    version: GuidelineVersion,
    signed_at: datetime.datetime,
    recorded_by: Employee | None,
    reason: str,
    language: str = "nl",
    now: datetime.datetime | None = None,
) -> Acknowledgement:
    """Record an acknowledgement from an earlier system. ``recorded_by`` None: a system
    import (a management command); otherwise they need the permission to add them."""
    if recorded_by is not None and not recorded_by.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(_("You may not import acknowledgements."))
    _require_reason(reason)
    now = now or timezone.now()
    _require_past(signed_at, now)
    return _record_once(
        employee=employee,
        version=version,
        language=language,
        signed_at=signed_at,
        now=now,
        method=Acknowledgement.Method.IMPORTED,
        recorded_by=recorded_by,
        reason=reason,
        # A signature from before the portal answers none of its rounds.
        answers_round=False,
    )
