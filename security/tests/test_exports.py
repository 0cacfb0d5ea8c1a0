"""Exports in the security event log: every file handed out as an attachment, and every
compliance report or individual file asked for (made later by the worker)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.tests.hr_support import hr
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=1)


@pytest.mark.parametrize(("format", "short"), [("csv", "csv"), ("xlsx", "xlsx"), ("pdf", "pdf")])
def test_a_report_download_is_recorded_with_who_the_format_and_the_address(
    client, version, format, short
):
    EmployeeFactory()
    person = hr()
    report = generation.generate(
        report_id=services.request_report(format=format, version=version, enqueue=False).pk
    )
    client.force_login(person)

    response = client.get(reverse("reports:download", args=[report.pk]), REMOTE_ADDR="192.0.2.20")

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.EXPORT, details__action="download")
    assert (event.actor, event.ip_address) == (person, "192.0.2.20")
    assert event.details == {
        "action": "download",
        "what": "report",
        "view": "reports:download",
        "format": short,
        "object": str(report.pk),
    }


def test_asking_for_a_compliance_report_is_recorded(client, version):
    person = hr()
    client.force_login(person)

    client.post(
        reverse("reports:create"),
        {
            "basis": "version",
            "version": version.pk,
            "campaign": "",
            "as_of": timezone.localdate().isoformat(),
            "format": "xlsx",
            "language": "nl",
            "delimiter": ";",
        },
        REMOTE_ADDR="192.0.2.21",
    )

    report = Report.objects.get()
    event = SecurityEvent.objects.get(kind=Kind.EXPORT)
    assert (event.actor, event.ip_address) == (person, "192.0.2.21")
    assert event.details == {
        "action": "report_requested",
        "report": report.pk,
        "scope": "compliance",
        "format": "xlsx",
    }


def test_the_personal_data_export_is_recorded(client):
    employee = EmployeeFactory()
    client.force_login(employee)

    response = client.get(reverse("acknowledgements:personal_data_download"))

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.EXPORT)
    assert event.actor == employee
    assert event.details["format"] == "json"
    assert event.details["view"] == "acknowledgements:personal_data_download"


def test_a_refused_download_records_no_export(client, version):
    report = services.request_report(version=version, enqueue=False)  # not made yet
    client.force_login(hr())

    response = client.get(reverse("reports:download", args=[report.pk]))

    assert response.status_code == 404
    assert not SecurityEvent.objects.filter(kind=Kind.EXPORT, details__action="download")


def test_a_page_is_not_an_export(client):
    client.force_login(EmployeeFactory())

    client.get(reverse("home"))

    assert not SecurityEvent.objects.filter(kind=Kind.EXPORT).exists()
