"""The reports HR and auditors download, made in Dutch, are wholly Dutch: every message
looked up while the PDF's HTML, the CSV or the Excel file is made has a Dutch translation
(portal.testing.translations), and the PDF's text writes no date the English way.

Small reports, so each is made in this process (a large PDF is made in parts by worker
processes, from the same templates)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.models import Assignment
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.translations import english_dates, setting_names, untranslated_messages
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_self_signed"),
]


@pytest.fixture
def _self_signed(settings):
    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.REPORTS_SELF_SIGNED = True


@pytest.fixture
def campaign():
    """A campaign with someone signed, someone exempt, someone overdue and someone to do."""
    version = quiz_version(tips=2)
    department = DepartmentFactory(code="BZ", name="Team Burgerzaken")
    hr = EmployeeFactory(hr=True)
    people = [EmployeeFactory(department=department) for _ in range(4)]
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging 2026")
    signed(people[0], ready_to_sign(people[0], version))
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=people[1]), reason="Verlof", by=hr
    )
    Assignment.objects.filter(campaign=campaign, employee=people[2]).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    campaign.hr = hr
    campaign.people = people
    return campaign


def _made_in_dutch(**request) -> tuple[bytes, dict]:
    with untranslated_messages("nl") as missing:
        report = generation.generate(
            report_id=services.request_report(language="nl", enqueue=False, **request).pk
        )
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        return handle.read(), missing


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_compliance_report_as_pdf_is_wholly_dutch(campaign):
    pdf, missing = _made_in_dutch(campaign=campaign, by=campaign.hr)

    assert not missing, missing.report()
    text = _pdf_text(pdf)
    assert not english_dates(text) and not setting_names(text)


@pytest.mark.parametrize("format", [Report.Format.CSV, Report.Format.XLSX])
def test_a_compliance_report_as_a_table_is_wholly_dutch(campaign, format):
    _file, missing = _made_in_dutch(campaign=campaign, format=format, by=campaign.hr)

    assert not missing, missing.report()


def test_an_individual_file_is_wholly_dutch(campaign):
    pdf, missing = _made_in_dutch(
        kind=Report.Kind.INDIVIDUAL, employee=campaign.people[0], by=campaign.hr
    )

    assert not missing, missing.report()
    assert not english_dates(_pdf_text(pdf))
