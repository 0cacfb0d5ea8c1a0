"""Background tasks of reports (the same database-backed worker as the reminders)."""

from __future__ import annotations

from django.tasks import task

from reports.services import generation


@task()
def generate_report(report_id: int) -> dict:
    report = generation.generate(report_id=report_id)
    return {"status": report.status, "sha256": report.file_sha256}
