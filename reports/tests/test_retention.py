"""Report files are removed after the retention period; the reports and their log stay."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.tests.hr_support import hr
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report, ReportEvent
from reports.services import generation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    EmployeeFactory()
    return quiz_version(tips=2)


def made(version, **kwargs) -> Report:
    report = services.request_report(
        version=version, format=Report.Format.CSV, enqueue=False, **kwargs
    )
    return generation.generate(report_id=report.pk)


def test_a_file_is_kept_for_the_retention_period(version, settings):
    settings.REPORTS_RETENTION_DAYS = 7

    report = made(version)

    assert report.expires_at == report.finished_at + datetime.timedelta(days=7)


def test_expired_files_are_removed_and_the_rows_and_log_stay(version):
    reader = hr()
    report = made(version, by=reader)
    services.record_download(report=report, by=reader)
    fresh = made(version)
    later = report.expires_at + datetime.timedelta(seconds=1)
    Report.objects.filter(pk=fresh.pk).update(expires_at=later + datetime.timedelta(days=1))
    name, sha256 = report.file.name, report.file_sha256

    removed = services.remove_expired(now=later)

    report.refresh_from_db()
    fresh.refresh_from_db()
    assert removed == 1
    assert not default_storage.exists(name)
    assert (report.status, report.file.name, report.file_sha256) == ("removed", "", sha256)
    assert [event.kind for event in report.events.order_by("pk")] == [
        "requested",
        "generated",
        "downloaded",
        "removed",
    ]
    assert report.events.get(kind=ReportEvent.Kind.REMOVED).details == {"sha256": sha256}
    assert fresh.status == Report.Status.DONE
    assert default_storage.exists(fresh.file.name)
    assert services.remove_expired(now=later) == 0


def test_a_file_is_not_removed_before_it_expires(version):
    report = made(version)

    assert services.remove_expired(now=report.expires_at - datetime.timedelta(seconds=1)) == 0
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_the_command_removes_expired_files_and_says_how_many(version, settings):
    settings.REPORTS_RETENTION_DAYS = 30
    first, second = made(version), made(version)
    Report.objects.filter(pk__in=[first.pk, second.pk]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()

    call_command("remove_expired_reports", stdout=out)

    assert out.getvalue().strip() == "2 report files removed (retention period: 30 days)."
    assert set(Report.objects.values_list("status", flat=True)) == {"removed"}
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.REMOVED).count() == 2


def test_a_removed_report_says_so_and_cannot_be_downloaded(client, version, settings):
    settings.REPORTS_RETENTION_DAYS = 14
    report = made(version)
    services.remove_expired(now=report.expires_at)
    client.force_login(hr())

    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    download = client.get(reverse("reports:download", args=[report.pk]))

    assert "The file was removed 14 days after it was made" in page
    assert download.status_code == 404
    assert not report.events.filter(kind=ReportEvent.Kind.DOWNLOADED).exists()
