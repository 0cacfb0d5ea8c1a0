import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from acknowledgements.services.retention import apply_retention
from security.services import remove_expired_events


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Apply the retention periods (Selectielijst gemeenten 2020): erase the "
        "acknowledgements and tips read of employees who left more than "
        "RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT years ago, remove quiz attempts "
        "older than RETENTION_QUIZ_ATTEMPT_YEARS years, and write a destruction list "
        "(vernietigingslijst) under MEDIA_ROOT/retention/; remove security events older "
        "than PORTAL_SECURITY_LOG_RETENTION_DAYS days. Run it monthly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Remove nothing; write the list as a proposal.",
        )
        parser.add_argument(
            "--today", default=None, help="Apply the periods as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args, dry_run: bool, today: str | None, **options):
        day = _date(today) if today else None
        # The list is for the municipality's archivist: in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            report = apply_retention(today=day, dry_run=dry_run)
        verb = "would be removed (dry run: nothing removed)" if dry_run else "removed"
        self.stdout.write(
            f"Employment ended before {report.employment_ended_before}: "
            f"{report.acknowledgements} acknowledgements of {report.employees} employees "
            f"and {report.tip_reads} tips read {verb}."
        )
        self.stdout.write(
            f"Submitted before {report.attempts_submitted_before}: {report.attempts} quiz "
            f"attempts {verb}; {report.attempts_kept_as_evidence} kept as evidence of an "
            "acknowledgement."
        )
        self.stdout.write(
            f"{report.abandoned_uploads} scans of on-behalf records that were never "
            f"confirmed {verb}."
        )
        self.stdout.write(f"Destruction list: {report.path}")
        # The security event log's own period (not archival records: not on the list).
        events = remove_expired_events(today=day, dry_run=dry_run)
        self.stdout.write(
            f"{events} security events older than "
            f"{settings.PORTAL_SECURITY_LOG_RETENTION_DAYS} days {verb}."
        )
