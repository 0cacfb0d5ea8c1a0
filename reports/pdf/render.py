"""The signed PDF reports: a compliance report and an individual's file.

HTML from templates/reports/pdf/, rendered in the report's language; made into a
tagged, archivable PDF (PDF/A-2a and PDF/UA-1) by portal.pdf with WeasyPrint, then
signed with the municipality's certificate (portal.pdf.signing). A cover (scope, who made
it and when, the ledger check, the certificate), the figures, a table per department
(short record hashes) and an appendix with the full hashes, a line each.

A compliance report of more than REPORTS_PDF_PARTS_ABOVE people is rendered in parts
("parts"), in parallel processes (reports.pdf.workers), and joined (reports.pdf.join):
WeasyPrint's time per row grows with the length of the document, and its memory with
it. Smaller ones are one document ("single"), as is the individual file.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
from collections.abc import Iterator
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from acknowledgements.models import Acknowledgement
from portal.pdf import css_string, page_counter_css, render_pdf, signing
from quizzes.models import Attempt
from reports.pdf import parts as render_pdf_parts
from reports.selectors import DepartmentFigures, Status
from reports.services.generation import ReportContext

# Characters of a record hash shown in the tables (the appendix has all 64).
HASH_SHOWN = 12
NO_VALUE = "–"
COMPLIANCE_TEMPLATE = render_pdf_parts.COMPLIANCE_TEMPLATE

SINGLE = "single"
PARTS = "parts"
METHODS = (SINGLE, PARTS)

_method: contextvars.ContextVar[str | None] = contextvars.ContextVar("pdf_method", default=None)


@contextlib.contextmanager
def pdf_method(method: str | None):
    """Make compliance PDFs in this context the ``method`` way ("single" or "parts"),
    whatever their size; None: by size (REPORTS_PDF_PARTS_ABOVE). For benchmarks
    (export_compliance_report --pdf-method) and tests."""
    if method is not None and method not in METHODS:
        raise ValueError(f"Unknown PDF method {method!r}; choose from {', '.join(METHODS)}.")
    token = _method.set(method)
    try:
        yield
    finally:
        _method.reset(token)


def chosen_method(people: int) -> str:
    """How a compliance PDF of ``people`` rows is made (see ``pdf_method``)."""
    forced = _method.get()
    if forced is not None:
        return forced
    return PARTS if people > settings.REPORTS_PDF_PARTS_ABOVE else SINGLE


def render_compliance(context: ReportContext, out: BinaryIO, method: str | None = None) -> None:
    """Write the signed compliance report (a campaign or a version) to ``out``.

    ``method``: "single" (one WeasyPrint document) or "parts" (rendered in parts in
    worker processes and joined); by default ``chosen_method``. Nothing is written to
    ``out`` unless the whole file is made.
    """
    report, scope, summary = context.report, context.scope, context.summary
    method = method or chosen_method(summary.overall.total)
    if method not in METHODS:
        raise ValueError(f"Unknown PDF method {method!r}; choose from {', '.join(METHODS)}.")
    with translation.override(context.language):
        if scope.campaign is not None:
            title = gettext("Compliance report: %(campaign)s") % {"campaign": scope.campaign.name}
        else:
            title = gettext("Compliance report: guideline version %(number)s") % {
                "number": scope.version.number
            }
        version = scope.version
        document = _common(context, title) | {
            "campaign": scope.campaign,
            "combined": scope.combined,
            "version": version,
            "version_title": version.title_in(context.language) if version else "",
            "version_title_language": _title_language(version, context.language)
            if version
            else "nl",
            "guideline_title": scope.guideline.title_in(context.language)
            if scope.guideline
            else "",
            "subjects": [_subject(subject, context.language) for subject in scope.subjects]
            if scope.combined
            else [],
            "per_guideline": [
                _figures(figures) | _subject(subject, context.language)
                for subject, figures in summary.guidelines
            ],
            # A column per guideline: from three on, the pages are turned (landscape).
            "page_size": "A4 landscape" if len(scope.subjects) >= 3 and scope.combined else "A4",
            "departments": [department.name for department in scope.departments],
            "as_of": date_format(scope.as_of, "DATE_FORMAT"),
            "labels": _status_labels(is_campaign=scope.campaign is not None),
            "overall": _figures(summary.overall),
            "per_department": [_figures(figures) for figures in summary.departments],
        }
        reason = gettext("Compliance report %(number)s") % {"number": report.number}
        if method == SINGLE:
            pdf = _single(context, document, title)
        else:
            pdf = render_pdf_parts.render_in_parts(
                context,
                document,
                title,
                sections=lambda rows, read: _section_parts(context, rows, read),
                appendix=lambda lines: _appendix_parts(context, lines),
            )
    out.write(signing.sign_pdf(pdf, reason=reason, location=settings.PORTAL_MUNICIPALITY_NAME))
    context.progress(summary.overall.total)


def _single(context: ReportContext, document: dict, title: str) -> bytes:
    """The report as one WeasyPrint document."""
    done = 0

    def read(count: int) -> None:
        nonlocal done
        done += count
        # Reading the rows is the quick half of the work; laying them out on pages
        # (WeasyPrint, one call) the slow one: the bar stops halfway until the end.
        context.progress(done // 2)

    [(sections, _rows)] = _section_parts(context, None, read)
    [appendix] = _appendix_parts(context, None)
    html = render_to_string(
        COMPLIANCE_TEMPLATE,
        document | {"sections": sections, "appendix": appendix, "appendix_start": True},
    )
    return render_pdf(html, language=context.language, title=title, archival=True)


def render_individual(context: ReportContext, out: BinaryIO) -> None:
    """Write the signed file of one employee: every acknowledgement and quiz result."""
    report, employee = context.report, context.report.employee
    with translation.override(context.language):
        title = gettext("Individual file: %(name)s") % {"name": employee.full_name}
        document = _common(context, title) | {
            "employee": employee,
            "employee_start": _date(employee.start_date, "DATE_FORMAT"),
            "employee_end": _date(employee.end_date, "DATE_FORMAT"),
            "acknowledgements": _acknowledgements(employee),
            "attempts": _attempts(employee),
        }
        html = render_to_string("reports/pdf/individual.html", document)
        reason = gettext("Individual file %(number)s") % {"number": report.number}
    _write_signed(context, html, title, reason, out)
    context.progress(1)


def _write_signed(context: ReportContext, html: str, title: str, reason: str, out) -> None:
    pdf = render_pdf(html, language=context.language, title=title, archival=True)
    out.write(signing.sign_pdf(pdf, reason=reason, location=settings.PORTAL_MUNICIPALITY_NAME))


def _common(context: ReportContext, title: str) -> dict:
    """What the cover and the page margins of both kinds of report show."""
    report = context.report
    certificate = signing.signing_certificate()
    return {
        "report": report,
        "title": title,
        "language": context.language,
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "municipality_logo": settings.PORTAL_LOGO,
        "header_left": css_string(report.number),
        "header_right": css_string(title),
        "page_counter": page_counter_css(gettext("page %(page)s of %(pages)s")),
        "generated_at": date_format(timezone.localtime(context.generated_at), "DATETIME_FORMAT"),
        "generated_by": context.generated_by,
        "ledger": _ledger(context),
        "certificate": {
            "subject": ", ".join(
                f"{attribute.rfc4514_attribute_name}={attribute.value}"
                for attribute in certificate.subject
            ),
            "fingerprint": signing.certificate_fingerprint(certificate),
        },
        "hash_shown": HASH_SHOWN,
    }


def _ledger(context: ReportContext) -> dict:
    """The ledger check at generation, phrased in the report's language."""
    result = context.ledger
    if result is None:
        text = gettext("OK") if context.ledger_ok else gettext("NOT OK")
        return {"ok": context.ledger_ok, "text": text, "hash": ""}
    if result.ok:
        text = gettext(
            "OK: %(checked)s entries checked; the last is entry %(sequence)s, with hash"
        ) % {"checked": result.checked, "sequence": result.head_sequence}
        return {"ok": True, "text": text, "hash": result.head_hash}
    sequence, problem = result.first_problem
    # The problem was phrased in English (reports.services.generation.ledger_check): its message
    # id, translated here when it has no placeholders.
    text = gettext("NOT OK: the ledger has a problem at entry %(sequence)s: %(problem)s") % {
        "sequence": sequence,
        "problem": gettext(problem),
    }
    return {"ok": False, "text": text, "hash": ""}


def _title_language(version, language: str) -> str:
    return "en" if language == "en" and version.title_en else "nl"


def _subject(subject, language: str) -> dict:
    """A guideline of a combined report, as the cover and the tables name it."""
    guideline = subject.guideline
    return {
        "key": subject.key,
        "title": guideline.title_in(language),
        "title_language": "en" if language == "en" and guideline.title_en else "nl",
        "slug": guideline.slug,
        "version_number": subject.version.number if subject.version else None,
    }


def _status_labels(*, is_campaign: bool) -> dict[str, str]:
    labels = {key: str(label) for key, label in Status.LABELS.items()}
    if not is_campaign:
        # In a version report everyone who has not signed is "not signed".
        labels[Status.OPEN] = labels[Status.NOT_SIGNED]
    return labels


def _percent(value: float) -> str:
    # number_format cuts decimals off; round first (2/3 is 66.7, not 66.6).
    return number_format(round(value, 1), decimal_pos=1)


def _figures(figures: DepartmentFigures) -> dict:
    """Counts with percentages of those who must sign, in the report's number format."""
    must_sign = figures.in_scope

    def share(count: int) -> str:
        return _percent(100 * count / must_sign) if must_sign else _percent(0)

    return {
        "name": figures.name,
        "code": figures.code,
        "total": figures.total,
        "exempt": figures.exempt,
        "in_scope": must_sign,
        "signed": figures.signed,
        "overdue": figures.overdue,
        "open": figures.open,
        "signed_percent": share(figures.signed),
        "overdue_percent": share(figures.overdue),
        "open_percent": share(figures.open),
        # Of a campaign: the open ones not overdue by how far they are (they add up to
        # ``open``), as (label, number, percentage).
        "in_progress": [
            (str(Status.LABELS[status]), getattr(figures, status), share(getattr(figures, status)))
            for status in Status.IN_PROGRESS
        ],
    }


def _date(value, format_name: str = "SHORT_DATE_FORMAT") -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, format_name)


def _section_parts(context: ReportContext, rows_per_part: int | None, read) -> Iterator:
    """The people per department, in the order of reports.selectors (by department path),
    as (sections, rows) for parts of at most ``rows_per_part`` rows (None: one part).

    A department that does not fit in a part goes on in the next one, without its
    heading (``continued``); the table header repeats there, as on every page.
    ``read(count)`` is told of the rows read.
    """
    by_department = {figures.department_id: figures for figures in context.summary.departments}
    labels = {key: str(label) for key, label in Status.LABELS.items()}
    subjects = context.scope.subjects if context.scope.combined else ()
    part, count, number = [], 0, 0
    for department_id, group in itertools.groupby(
        context.rows(), key=lambda row: row["department_id"]
    ):
        number += 1
        section, continued = None, False
        for row in group:
            if section is None:
                figures = by_department.get(department_id)
                section = {
                    "number": number,
                    "first": number == 1 and not continued,
                    "continued": continued,
                    "name": row["department_name"] or gettext("No department"),
                    "code": row["department_code"] or "",
                    "figures": _figures(figures) if figures else None,
                    "rows": [],
                }
                part.append(section)
            section["rows"].append(_person(row, labels, subjects))
            count += 1
            read(1)
            if rows_per_part is not None and count >= rows_per_part:
                yield part, count
                part, count = [], 0
                section, continued = None, True
    if part or number == 0:
        yield part, count


def _person(row: dict, labels: dict[str, str], subjects=()) -> dict:
    person = {
        "employee_number": row["employee_number"],
        "name": row["name"],
        "status": labels[row["status"]],
        "reason": row["exempt_reason_then"],
        "signed_on": _date(row["signed_at"]) or NO_VALUE,
        "short_hash": (row["record_hash"] or "")[:HASH_SHOWN] or NO_VALUE,
    }
    if subjects:
        # A combined report: each guideline's status (and date signed), in order.
        person["cells"] = [
            _cell(row["guidelines"].get(subject.key), labels) for subject in subjects
        ]
    return person


def _cell(cell: dict | None, labels: dict[str, str]) -> dict:
    if cell is None:  # not asked of this employee
        return {"status": gettext("Not asked"), "signed_on": "", "asked": False}
    return {
        "status": labels[cell["status"]],
        "signed_on": _date(cell["signed_at"]),
        "asked": True,
    }


def _appendix_parts(context: ReportContext, lines_per_part: int | None) -> Iterator[list]:
    """The full record hashes, a line per acknowledgement, in parts of at most
    ``lines_per_part`` lines (None: one part); at least one part, maybe empty.

    The employee numbers are padded to the longest in the part (which starts a page),
    so that the hashes line up in the monospaced font.
    """
    lines: list[dict] = []
    made = False
    # A second pass over the rows (a new query) rather than keeping them all.
    combined = context.scope.combined
    order = [subject.key for subject in context.scope.subjects]
    slugs = {subject.key: subject.guideline.slug for subject in context.scope.subjects}
    for row in context.rows():
        if combined:
            # A line per acknowledgement: one per guideline signed, named by short name.
            cells = [(key, row["guidelines"].get(key)) for key in order]
            found = [
                {
                    "employee_number": row["employee_number"],
                    "name": row["name"],
                    "record_hash": cell["record_hash"],
                    "guideline": slugs[key],
                }
                for key, cell in cells
                if cell is not None and cell["record_hash"]
            ]
        elif row["record_hash"]:
            found = [
                {
                    "employee_number": row["employee_number"],
                    "name": row["name"],
                    "record_hash": row["record_hash"],
                }
            ]
        else:
            continue
        lines.extend(found)
        if lines_per_part is not None and len(lines) >= lines_per_part:
            yield _aligned(lines)
            lines, made = [], True
    if lines or not made:
        yield _aligned(lines)


def _aligned(lines: list[dict]) -> list[dict]:
    width = max((len(line["employee_number"]) for line in lines), default=0)
    slug_width = max((len(line.get("guideline", "")) for line in lines), default=0)
    for line in lines:
        line["employee_number"] = line["employee_number"].ljust(width)
        if "guideline" in line:
            line["guideline"] = line["guideline"].ljust(slug_width)
    return lines


def _acknowledgements(employee) -> list[dict]:
    """The employee's acknowledgements and corrections, oldest first."""
    languages = dict(settings.LANGUAGES)
    records = (
        Acknowledgement.objects.filter(employee=employee)
        .select_related("entry", "version")
        .order_by("signed_at", "entry__sequence")
    )
    return [
        {
            "version": record.version.number,
            "kind": record.get_kind_display(),
            "signed_at": _date(record.signed_at, "SHORT_DATETIME_FORMAT"),
            "method": record.get_method_display(),
            "language": str(languages.get(record.language, record.language)),
            "verification_code": record.entry.verification_code,
            "record_hash": record.entry.record_hash,
            "short_hash": record.entry.record_hash[:HASH_SHOWN],
        }
        for record in records
    ]


def _attempts(employee) -> list[dict]:
    """The employee's submitted quiz attempts (their results), oldest first."""
    attempts = (
        Attempt.objects.filter(employee=employee, submitted_at__isnull=False)
        .select_related("version")
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "version": attempt.version.number,
            "purpose": attempt.get_purpose_display(),
            "submitted_at": _date(attempt.submitted_at, "SHORT_DATETIME_FORMAT"),
            "score": gettext("%(right)s of %(questions)s right (%(percent)s%%)")
            % {
                "right": attempt.correct_count,
                "questions": attempt.question_count,
                "percent": attempt.score_percent,
            },
            "result": gettext("Passed") if attempt.passed else gettext("Not passed"),
        }
        for attempt in attempts
    ]
