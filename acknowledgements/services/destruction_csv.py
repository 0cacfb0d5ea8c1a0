"""A destruction list as a file: a CSV, UTF-8 with BOM and ``;``, one line per item,
under MEDIA_ROOT/retention/, its cells never a formula to Excel
(portal.spreadsheets.text_cell); written when a list is proposed ("-voorstel") and when
it is carried out (acknowledgements.services.destruction)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements.services.retention import Category, RemovedItem, RetentionReport
from portal.spreadsheets import text_cell

DIRECTORY = "retention"


def category_label(*, item: RemovedItem) -> str:
    """The name of an item's category on the list (the portal's own, or the app's)."""
    labels = {
        Category.EMPLOYEE: _("Employee record"),
        Category.ACKNOWLEDGEMENT: _("Acknowledgement"),
        Category.TIPS_READ: _("Tips read"),
        Category.NOTIFICATIONS: _("E-mails asking to sign again"),
        Category.INVITATIONS: _("Invitations"),
        Category.STAFF_IMPORT_LOG: _("Staff import log"),
        Category.QUIZ_ATTEMPT: _("Quiz attempt"),
    }
    return labels.get(item.category) or item.label or item.category


def destruction_list_csv(
    *, items: list[RemovedItem], removed_at: datetime.datetime | None, status: str
) -> str:
    """The list as text (the BOM included): a header and one line per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Category"),
            _("Identifier"),
            _("Employee number"),
            _("Description"),
            _("Period"),
            _("Legal ground"),
            _("Removed at"),
            _("Status"),
        ]
    )
    removed = timezone.localtime(removed_at).isoformat(timespec="seconds") if removed_at else ""
    for item in items:
        # Employee numbers and descriptions come from the staff import: never a formula.
        writer.writerow(
            [
                text_cell(value)
                for value in (
                    category_label(item=item),
                    item.identifier,
                    item.employee_number,
                    item.description,
                    item.period,
                    item.legal_ground,
                    removed,
                    status,
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()


def write_destruction_list(*, report: RetentionReport, now: datetime.datetime, status: str) -> Path:
    """Write the list under MEDIA_ROOT/retention/ and return its path. A proposal is
    marked ("-voorstel") in its name and, through ``status``, in every line."""
    directory = Path(settings.MEDIA_ROOT) / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    suffix = "-voorstel" if report.dry_run else ""
    path = directory / f"vernietigingslijst-{stamp}{suffix}.csv"
    number = 1
    while path.exists():  # two lists in one second: keep both
        number += 1
        path = directory / f"vernietigingslijst-{stamp}{suffix}-{number}.csv"
    text = destruction_list_csv(items=report.items, removed_at=report.removed_at, status=status)
    path.write_text(text, encoding="utf-8", newline="")
    return path
