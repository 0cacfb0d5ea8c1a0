"""The compliance report as a table: CSV (for any spreadsheet) and an Excel workbook.

Both have one row per person in scope, in the same columns (``columns``), with the
header in the report's language. CSV: UTF-8 with a byte order mark (so that Excel reads
the accents), the report's delimiter (``;`` for Dutch Excel, or ``,``), CRLF lines;
texts that a spreadsheet would run as a formula get a leading apostrophe, as in the
campaigns' overdue list. Excel: a summary sheet (the cover facts and the figures per
department) and a people sheet (real dates, hashes as text, a frozen header row and a
filter), written with XlsxWriter in its constant-memory mode so that a large report is
quick and uses little memory. Texts are always written as texts, never as formulas.

The renderers are called by reports.services.generation with a ReportContext and a binary file.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import xlsxwriter
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.spreadsheets import FORMULA_STARTS, text_cell
from reports import selectors as data

# Progress is reported to the context every so many rows (it writes less often).
PROGRESS_STEP = 50
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy text, rendered in the report's language
    width: int
    kind: str = "text"  # text, date, datetime, count
    # A combined report's guideline columns: the key is read from that guideline's cell.
    guideline: int | None = None


def columns(context) -> list[Column]:
    """The people columns; the due date and the exemption only in a campaign report,
    how many times each person signed the version only in a version report (its date
    and hash are of the latest); a combined report has per guideline its status, signed
    date and verification code, then the combined status."""
    if context.scope is not None and context.scope.combined:
        return combined_columns(context.scope, context.language)
    campaign = context.scope is not None and context.scope.campaign is not None
    result = [
        Column("employee_number", _("Employee number"), 16),
        Column("name", _("Name"), 32),
        Column("department_code", _("Department code"), 16),
        Column("department_name", _("Department"), 30),
        Column("status", _("Status"), 28),
    ]
    if campaign:
        result.append(Column("due_date", _("Due date"), 14, "date"))
    result += [
        Column("signed_at", _("Signed at"), 26, "datetime"),
        Column("record_hash", _("Record hash"), 70),
    ]
    if campaign:
        result.append(Column("exempt_reason_then", _("Reason for the exemption"), 40))
    else:
        result.append(Column("times_signed", _("Times signed"), 14, "count"))
    return result


def combined_columns(scope: data.Scope, language: str) -> list[Column]:
    """A row per employee: who, then a status, signed date and verification code per
    guideline (headed with its title), then the combined status."""
    result = [
        Column("employee_number", _("Employee number"), 16),
        Column("name", _("Name"), 32),
        Column("department_code", _("Department code"), 16),
        Column("department_name", _("Department"), 30),
    ]
    for subject in scope.subjects:
        title = subject.guideline.title_in(language)
        key = subject.key
        result += [
            Column("status", _label(_("Status: %(guideline)s"), title), 28, guideline=key),
            Column("signed_at", _label(_("Signed at: %(guideline)s"), title), 26, "datetime", key),
            Column(
                "verification_code",
                _label(_("Verification code: %(guideline)s"), title),
                20,
                guideline=key,
            ),
        ]
    result.append(Column("status", _("Combined status"), 28))
    return result


class _label:
    """A header naming a guideline, rendered in the report's language when shown."""

    def __init__(self, text, title: str):
        self.text, self.title = text, title

    def __str__(self) -> str:
        return str(self.text) % {"guideline": self.title}


def status_label(value: str) -> str:
    return str(data.Status.LABELS.get(value, value))


def _local(value) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # pragma: no cover - a backend without datetime subqueries
        value = datetime.datetime.fromisoformat(value)
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # pragma: no cover - see _local
        return datetime.date.fromisoformat(value)
    return value


def _plain(row: dict, column: Column):
    """A row's value for a column as a Python value (texts not yet guarded)."""
    if column.guideline is not None:
        cell = row["guidelines"].get(column.guideline)
        if cell is None:  # not asked of this employee (not in the guideline's audience)
            return gettext("Not asked") if column.key == "status" else None
        row = cell
    value = row.get(column.key)
    if column.key == "status":
        return status_label(value)
    if column.kind == "date":
        return _date(value)
    if column.kind == "datetime":
        return _local(value)
    if column.kind == "count":
        return value or 0
    return "" if value is None else str(value)


def _with_progress(context, rows: Iterable[dict]):
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_STEP == 0:
            context.progress(done)
    context.progress(done)


# CSV --------------------------------------------------------------------------------------


def csv_value(value, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "datetime":
        return value.isoformat(timespec="seconds")
    if column.kind == "count":
        return str(value)
    return text_cell(value)


def render_csv(context, out) -> None:
    """Write the people in scope as CSV to the binary file ``out``."""
    with translation.override(context.language):
        table = columns(context)
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        try:
            writer = csv.writer(text, delimiter=context.report.delimiter, lineterminator="\r\n")
            writer.writerow([str(column.label) for column in table])
            for row in _with_progress(context, context.rows()):
                writer.writerow([csv_value(_plain(row, column), column) for column in table])
            text.flush()
        finally:
            text.detach()  # the caller keeps ``out`` open


# Excel ------------------------------------------------------------------------------------

# Characters that an XML 1.0 file (a worksheet) cannot hold.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class _Sheet:
    """A worksheet written row by row (XlsxWriter's constant-memory mode: a row is on
    disk once the next one starts). Texts are always written as texts, never as
    formulas, and one that starts like a formula is marked (quote prefix) so that
    editing it does not make it one."""

    def __init__(self, book, name: str, formats: dict):
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.row = 0

    def widths(self, widths: Iterable[int]) -> None:
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)

    def append(
        self, values: Iterable, *, bold: bool = False, bold_first: bool = False, number_formats=()
    ) -> None:
        """Write a row; ``bold_first``: only its first cell bold (a label)."""
        number_formats = list(number_formats)
        for column, value in enumerate(values):
            number_format = number_formats[column] if column < len(number_formats) else ""
            strong = bold or (bold_first and column == 0)
            self._write(column, value, bold=strong, number_format=number_format)
        self.row += 1

    def _write(self, column: int, value, *, bold: bool, number_format: str) -> None:
        sheet, row = self.sheet, self.row
        if value is None or value == "":
            return
        if isinstance(value, datetime.datetime):
            sheet.write_datetime(row, column, value, self._format(bold, DATETIME_FORMAT))
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, self._format(bold, DATE_FORMAT))
        elif isinstance(value, bool | int | float):
            sheet.write_number(row, column, value, self._format(bold, number_format))
        else:
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            quoted = text.startswith(FORMULA_STARTS)
            sheet.write_string(row, column, text, self._format(bold, number_format, quoted))

    def _format(self, bold: bool, number_format: str = "", quoted: bool = False):
        return self.formats.get((bold, number_format, quoted))


def _formats(book) -> dict:
    """Every combination of bold, number format and quote prefix that the sheets use."""
    formats = {}
    for bold in (False, True):
        for number_format in ("", DATE_FORMAT, DATETIME_FORMAT, PERCENT_FORMAT):
            for quoted in (False, True):
                properties = {}
                if bold:
                    properties["bold"] = True
                if number_format:
                    properties["num_format"] = number_format
                if quoted:
                    properties["quote_prefix"] = True
                formats[(bold, number_format, quoted)] = (
                    book.add_format(properties) if properties else None
                )
    return formats


def _naive(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel knows no time zones: local time, as the CSV shows (without the offset)."""
    if value is None:
        return None
    return _local(value).replace(tzinfo=None, microsecond=0)


def scope_text(report, scope: data.Scope | None) -> str:
    """What the report is on, naming its guideline(s), in the report's language."""
    language = report.language
    if report.campaign_id and scope is not None and scope.combined:
        return gettext("Campaign “%(name)s”, all guidelines combined: %(guidelines)s") % {
            "name": report.campaign.name,
            "guidelines": "; ".join(_subject_text(subject, language) for subject in scope.subjects),
        }
    if report.campaign_id:
        guideline = scope.guideline if scope else report.guideline
        return gettext("Campaign “%(name)s”, %(guideline)s") % {
            "name": report.campaign.name,
            "guideline": _guideline_text(guideline, scope.version if scope else None, language),
        }
    return _guideline_text(report.version.guideline, report.version, language)


def _guideline_text(guideline, version, language: str) -> str:
    title = guideline.title_in(language) if guideline is not None else ""
    if version is None:
        return title
    return gettext("%(guideline)s, version %(number)s") % {
        "guideline": title,
        "number": version.number,
    }


def _subject_text(subject: data.Subject, language: str) -> str:
    return _guideline_text(subject.guideline, subject.version, language)


def departments_text(scope: data.Scope | None) -> str:
    if scope is None or not scope.departments:
        return gettext("All departments")
    names = ", ".join(f"{d.code} {d.name}".strip() for d in scope.departments)
    return gettext("%(departments)s (with their sub-departments)") % {"departments": names}


def ledger_text(context) -> str:
    """The ledger check at generation in the report's language (as the PDF phrases it)."""
    result = context.ledger
    if result is None:
        return gettext("OK") if context.ledger_ok else gettext("NOT OK")
    if result.ok:
        text = gettext(
            "OK: %(checked)s entries checked; the last is entry %(sequence)s, with hash"
        ) % {"checked": result.checked, "sequence": result.head_sequence}
        return f"{text} {result.head_hash}".strip()
    sequence, problem = result.first_problem
    # The problem is an English message id (reports.services.generation.ledger_check).
    return gettext("NOT OK: the ledger has a problem at entry %(sequence)s: %(problem)s") % {
        "sequence": sequence,
        "problem": gettext(problem),
    }


def cover_facts(context) -> list[tuple[str, object]]:
    """(label, value) of the summary sheet's cover, in the report's language."""
    report, scope = context.report, context.scope
    return [
        (gettext("Municipality"), settings.PORTAL_MUNICIPALITY_NAME),
        (gettext("Report number"), report.number),
        (gettext("Scope"), scope_text(report, scope)),
        (gettext("Departments"), departments_text(scope)),
        (gettext("Status on"), scope.as_of if scope else report.as_of),
        (gettext("Generated at"), _naive(context.generated_at)),
        (gettext("Generated by"), context.generated_by or gettext("the command line")),
        (gettext("Ledger check"), ledger_text(context)),
        *head_facts(report),
    ]


def head_facts(report) -> list[tuple[str, object]]:
    """The ledger's head when the report was made (an anchor outside the database: an
    auditor confirms later with verify_ledger --anchor SEQ:HASH that it is still there)."""
    if not report.ledger_head_sequence:
        return [
            (gettext("Last ledger entry when made"), gettext("none: the ledger had no entries"))
        ]
    return [
        (gettext("Last ledger entry when made"), report.ledger_head_sequence),
        (gettext("Hash of that entry"), report.ledger_head_hash),
        (
            gettext("To check it later"),
            f"python manage.py verify_ledger --anchor "
            f"{report.ledger_head_sequence}:{report.ledger_head_hash}",
        ),
    ]


FIGURE_HEADER: list[tuple[object, int]] = [
    (_("Department code"), 16),
    (_("Department"), 32),
    (_("Total"), 10),
    (_("Signed"), 10),
    (_("Not signed"), 12),
    (_("Overdue"), 10),
    (_("Exempt"), 10),
    # xgettext:no-python-format
    (_("% signed"), 12),
    # Of a campaign: who has not signed and is not overdue, by how far they are (with
    # signed, overdue and exempt these add up to the total).
    *((data.Status.LABELS[status], 14) for status in data.Status.IN_PROGRESS),
]


def _figure_values(figures: data.DepartmentFigures) -> list:
    share = figures.signed / figures.in_scope if figures.in_scope else 0.0
    return [
        figures.code,
        str(figures.name),  # may be lazy: now in the report's language
        figures.total,
        figures.signed,
        figures.in_scope - figures.signed,
        figures.overdue,
        figures.exempt,
        share,
        *(getattr(figures, status) for status in data.Status.IN_PROGRESS),
    ]


FIGURE_FORMATS = ("",) * 7 + (PERCENT_FORMAT,) + ("",) * len(data.Status.IN_PROGRESS)


def _summary_sheet(book, formats: dict, context) -> None:
    sheet = _Sheet(book, gettext("Summary"), formats)
    widths = [max(28, FIGURE_HEADER[0][1]), *(width for _label, width in FIGURE_HEADER[1:])]
    widths[1] = 60  # the facts' values
    sheet.widths(widths)
    sheet.append([gettext("Compliance report")], bold=True)
    sheet.append([])
    for label, value in cover_facts(context):
        sheet.append([label, value], bold_first=True)
    sheet.append([])
    sheet.append([gettext("Per department")], bold=True)
    # A version report has no campaign's progress: everyone who has not signed is "not
    # signed", so its columns end at the share signed.
    campaign = context.scope is not None and context.scope.campaign is not None
    shown = len(FIGURE_HEADER) if campaign else len(FIGURE_HEADER) - len(data.Status.IN_PROGRESS)
    sheet.append([str(label) for label, _width in FIGURE_HEADER[:shown]], bold=True)
    summary = context.summary
    if summary is not None:
        for figures in summary.departments:
            sheet.append(_figure_values(figures)[:shown], number_formats=FIGURE_FORMATS)
        sheet.append(
            _figure_values(summary.overall)[:shown], bold=True, number_formats=FIGURE_FORMATS
        )
    if summary is not None and summary.guidelines:
        # A combined report: the rows above count employees by their combined status;
        # here each guideline's own figures.
        sheet.append([])
        sheet.append([gettext("Per guideline")], bold=True)
        sheet.append(
            [gettext("Guideline"), ""] + [str(label) for label, _width in FIGURE_HEADER[2:]],
            bold=True,
        )
        for subject, figures in summary.guidelines:
            values = _figure_values(figures)
            values[0], values[1] = subject.guideline.title_in(context.language), ""
            sheet.append(values, number_formats=FIGURE_FORMATS)
    sheet.append([])
    sheet.append(
        [
            gettext(
                # xgettext:no-python-format
                "% signed: of the people who should sign (the exempt not counted). "
                "Sub-departments are counted on their own rows."
            )
        ]
    )


def _people_sheet(book, formats: dict, context) -> None:
    sheet = _Sheet(book, gettext("People"), formats)
    table = columns(context)
    sheet.widths(column.width for column in table)
    sheet.sheet.freeze_panes(1, 0)
    sheet.append([str(column.label) for column in table], bold=True)
    count = 0
    for row in _with_progress(context, context.rows()):
        values = []
        for column in table:
            value = _plain(row, column)
            if column.kind == "datetime":
                value = _naive(value)
            values.append(value)
        sheet.append(values)
        count += 1
    sheet.sheet.autofilter(0, 0, count, len(table) - 1)


def render_xlsx(context, out) -> None:
    """Write the summary and the people in scope as an Excel workbook to ``out``."""
    with translation.override(context.language):
        book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        formats = _formats(book)
        _summary_sheet(book, formats, context)
        _people_sheet(book, formats, context)
        book.close()
