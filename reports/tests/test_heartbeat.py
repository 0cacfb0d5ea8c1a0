"""A report that is being made beats; one whose heartbeat stopped (its worker died) is
handed to the worker once more by the periodic command, then marked failed; HR makes a
failed report again with the button on its page. With the real worker process killed:
reports/tests/test_worker_killed.py."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.tests.hr_support import hr
from people.tests.factories import EmployeeFactory
from portal.heartbeat import Heartbeat, recover_stalled_work
from portal.testing.html import attribute, one, parse
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation, recovery

pytestmark = pytest.mark.django_db

STALLED = datetime.timedelta(seconds=301)  # just past the default limit of 300


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    version = quiz_version(tips=2)
    EmployeeFactory()
    return version


def requested(version) -> Report:
    return services.request_report(format=Report.Format.CSV, version=version, enqueue=False)


def running(version, *, beat_ago: datetime.timedelta, attempts: int = 1) -> Report:
    """A report a worker took on, whose last heartbeat was ``beat_ago``."""
    report = requested(version)
    beat = timezone.now() - beat_ago
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, started_at=beat, heartbeat_at=beat, attempts=attempts
    )
    report.refresh_from_db()
    return report


def kinds(report: Report) -> list[str]:
    return list(report.events.order_by("pk").values_list("kind", flat=True))


def test_taking_a_report_on_counts_the_attempt_and_sets_the_heartbeat(version):
    before = timezone.now()

    report = generation.generate(report_id=requested(version).pk)

    assert (report.status, report.attempts) == ("done", 1)
    assert report.heartbeat_at >= before


def test_a_report_whose_heartbeat_stopped_is_handed_to_the_worker_once_more(
    version, django_capture_on_commit_callbacks
):
    report = running(version, beat_ago=STALLED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recovered = recovery.recover_stalled_reports()

    assert (recovered.retried, recovered.failed) == (1, 0)
    assert len(callbacks) == 1  # the task, which the test backend runs at once
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 2)
    assert kinds(report) == ["requested", "retried", "generated"]


def test_a_report_whose_worker_died_twice_is_marked_failed(
    version, django_capture_on_commit_callbacks
):
    report = running(version, beat_ago=STALLED, attempts=2)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recovered = recovery.recover_stalled_reports()

    assert (recovered.retried, recovered.failed) == (0, 1)
    assert callbacks == []
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error == "The background worker stopped while making this report (2 times)."
    assert kinds(report) == ["requested", "failed"]


def test_a_report_with_a_recent_heartbeat_is_left_alone(version):
    report = running(version, beat_ago=datetime.timedelta(seconds=299), attempts=2)

    recovered = recovery.recover_stalled_reports()

    report.refresh_from_db()
    assert (recovered.retried, recovered.failed) == (0, 0)
    assert report.status == "running"


def test_a_waiting_report_is_left_alone_however_long_it_waits(version):
    report = requested(version)
    Report.objects.filter(pk=report.pk).update(requested_at=timezone.now() - 10 * STALLED)

    recovered = recovery.recover_stalled_reports()

    report.refresh_from_db()
    assert (recovered.retried, recovered.failed, report.status) == (0, 0, "queued")


def test_a_report_running_from_before_heartbeats_counts_from_its_start(version):
    report = running(version, beat_ago=STALLED)
    Report.objects.filter(pk=report.pk).update(heartbeat_at=None)

    recovered = recovery.recover_stalled_reports()

    assert recovered.retried == 1


def test_the_stall_limit_is_a_setting(version, settings):
    settings.WORK_STALLED_AFTER_SECONDS = 3600
    report = running(version, beat_ago=STALLED)

    recovered = recovery.recover_stalled_reports()

    report.refresh_from_db()
    assert (recovered.retried, report.status) == (0, "running")


def handed_on_while_rendering(context, out):
    """A renderer during which the periodic command hands the report to another worker."""
    Report.objects.filter(pk=context.report.pk).update(status=Report.Status.QUEUED)
    out.write(b"late")


def test_a_worker_given_up_on_while_it_worked_writes_nothing(version, monkeypatch):
    """The worker was only slow: the command handed its report on meanwhile. Its result
    must not overwrite the new attempt's."""
    monkeypatch.setitem(
        generation.RENDERERS,
        (Report.Kind.COMPLIANCE, Report.Format.CSV),
        f"{__name__}.handed_on_while_rendering",
    )

    late = generation.generate(report_id=requested(version).pk)

    assert (late.status, late.file.name, late.file_sha256) == ("queued", "", "")
    assert kinds(late) == ["requested"]


def test_the_periodic_command_recovers_stalled_reports(version):
    report = running(version, beat_ago=STALLED, attempts=2)

    call_command("run_campaigns", verbosity=0)

    report.refresh_from_db()
    assert report.status == "failed"


def test_recover_stalled_work_runs_alone_too(version, capsys):
    report = running(version, beat_ago=STALLED, attempts=2)

    call_command("recover_stalled_work")

    report.refresh_from_db()
    assert report.status == "failed"
    assert "1 report(s) failed" in capsys.readouterr().out


def test_recovery_covers_reports_and_ledger_checks(version):
    done = recover_stalled_work()

    assert set(done) == {"reports.services.recovery", "acknowledgements.services.ledger_checks"}


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_the_work_runs(version):
    report = running(version, beat_ago=datetime.timedelta(minutes=4))
    rows = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING)

    with Heartbeat(rows, every=0.05):
        time.sleep(0.5)

    report.refresh_from_db()
    assert report.heartbeat_at > timezone.now() - datetime.timedelta(seconds=5)


def test_no_heartbeat_is_written_inside_a_transaction(version):
    """Others could not see it, and the test's transaction holds the row's lock."""
    report = running(version, beat_ago=datetime.timedelta(minutes=4))

    with Heartbeat(Report.objects.filter(pk=report.pk), every=0.01) as heartbeat:
        time.sleep(0.1)

    assert heartbeat._thread is None


# HR's button ------------------------------------------------------------------------------


def failed(version) -> Report:
    report = running(version, beat_ago=STALLED, attempts=2)
    recovery.recover_stalled_reports()
    report.refresh_from_db()
    assert report.status == "failed"
    return report


def test_a_failed_report_shows_the_button_to_make_it_again(hr_client, version):
    report = failed(version)

    page = parse(hr_client.get(reverse("reports:detail", args=[report.pk])))

    form = one(page, "form:has(#retry-button)")
    assert form.attributes["action"] == reverse("reports:retry", args=[report.pk])
    assert form.attributes["method"] == "post"
    assert attribute(form, "#retry-button", "type") == "submit"
    assert attribute(form, "input[name=csrfmiddlewaretoken]", "type") == "hidden"


def test_the_button_and_its_refusal_speak_dutch(client, version):
    report = failed(version)
    client.force_login(hr(preferred_language="nl"))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f"Rapportage {report.number} opnieuw maken" in page

    done = generation.generate(report_id=requested(version).pk)
    response = client.post(reverse("reports:retry", args=[done.pk]), follow=True)

    assert "Alleen een mislukte rapportage kan opnieuw worden gemaakt." in response.content.decode()


def test_hr_makes_a_failed_report_again(
    hr_client, hr_user, version, django_capture_on_commit_callbacks
):
    report = failed(version)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = hr_client.post(reverse("reports:retry", args=[report.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == ("done", 1, "")
    assert kinds(report) == ["requested", "failed", "retried", "generated"]
    assert report.events.get(kind="retried").actor == hr_user


def test_a_report_that_did_not_fail_is_not_made_again(hr_client, version):
    report = generation.generate(report_id=requested(version).pk)

    response = hr_client.post(reverse("reports:retry", args=[report.pk]), follow=True)

    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 1)
    assert not report.events.filter(kind="retried").exists()
    assert "Only a report that failed can be made again." in response.content.decode()


def test_two_clicks_make_it_again_once(hr_client, version, django_capture_on_commit_callbacks):
    report = failed(version)
    url = reverse("reports:retry", args=[report.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hr_client.post(url)
        hr_client.post(url)

    assert len(callbacks) == 1
    assert report.events.filter(kind="retried").count() == 1


def test_making_a_report_again_is_a_post(hr_client, version):
    report = failed(version)

    response = hr_client.get(reverse("reports:retry", args=[report.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("role", ["employee", "editor"])
def test_only_who_may_export_makes_a_report_again(client, version, role):
    report = failed(version)
    client.force_login(EmployeeFactory(**({role: True} if role != "employee" else {})))

    response = client.post(reverse("reports:retry", args=[report.pk]))

    report.refresh_from_db()
    assert response.status_code == 403
    assert report.status == "failed"


def test_the_service_refuses_someone_without_the_permission(version):
    from django.core.exceptions import PermissionDenied

    report = failed(version)

    with pytest.raises(PermissionDenied):
        services.retry_report(report=report, by=EmployeeFactory())


def test_making_a_report_again_without_the_csrf_token_is_refused(hr_user, version):
    from django.test import Client

    report = failed(version)
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_user)

    response = client.post(reverse("reports:retry", args=[report.pk]))

    report.refresh_from_db()
    assert response.status_code == 403
    assert report.status == "failed"


# The session and the user (2), the user's permissions (2), the report (1), and the
# update with its log row in a savepoint (4). The message goes in a cookie.
RETRY_QUERIES = 9


def test_making_a_report_again_takes_a_fixed_number_of_queries(
    hr_client, version, django_assert_num_queries, django_capture_on_commit_callbacks
):
    report = failed(version)

    with (
        django_capture_on_commit_callbacks(execute=False),
        django_assert_num_queries(RETRY_QUERIES),
    ):
        hr_client.post(reverse("reports:retry", args=[report.pk]))
