import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from acknowledgements.services.destruction import propose_destruction
from acknowledgements.services.destruction_csv import write_destruction_list
from acknowledgements.services.retention import (
    due_for_destruction,
    remove_abandoned_uploads,
)
from security.services import remove_expired_events


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Apply the retention periods (Selectielijst gemeenten 2020): propose a destruction "
        "list (vernietigingslijst) of everything due (leavers of more than "
        "RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT years ago: their acknowledgements, "
        "tips read, reminders, invitations, and their employee row pseudonymised; quiz "
        "attempts older than RETENTION_QUIZ_ATTEMPT_YEARS years), written under "
        "MEDIA_ROOT/retention/ and waiting for the archivist's approval (then "
        "carry_out_destruction); remove security events older than "
        "PORTAL_SECURITY_LOG_RETENTION_DAYS days and abandoned scans. Run it monthly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Store no list and remove nothing; write the list as a file only.",
        )
        parser.add_argument(
            "--today", default=None, help="Apply the periods as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args, dry_run: bool, today: str | None, **options):
        day = _date(today) if today else None
        now = timezone.now()
        # The list is for the municipality's archivist: in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            if dry_run:
                report = due_for_destruction(today=day)
                path = write_destruction_list(
                    report=report, now=now, status=_("Proposal (dry run): nothing removed")
                )
                verb = "would be proposed (dry run: no list stored)"
            else:
                proposal = propose_destruction(proposed_by=None, today=day, now=now)
                report = None
        if report is not None:
            counts = report.counts()
            ended_before, submitted_before = (
                report.employment_ended_before,
                report.attempts_submitted_before,
            )
            path = str(path)
        else:
            counts = proposal.result["proposed"]
            ended_before, submitted_before = (
                proposal.employment_ended_before,
                proposal.attempts_submitted_before,
            )
            path = str(Path(settings.MEDIA_ROOT) / proposal.result["proposal_file"])
            verb = (
                f"proposed on destruction list {proposal.pk}: nothing is removed before "
                "the archivist's approval (verklaring van vernietiging) is recorded and "
                "the list is carried out (manage.py carry_out_destruction)"
            )
        self.stdout.write(
            f"Employment ended before {ended_before}: {counts['acknowledgements']} "
            f"acknowledgements of {counts['employees']} employees and "
            f"{counts['tip_reads']} tips read {verb}."
        )
        self.stdout.write(
            f"Submitted before {submitted_before}: {counts['attempts']} quiz attempts "
            f"{verb}; {counts['attempts_kept_as_evidence']} kept as evidence of an "
            "acknowledgement."
        )
        self.stdout.write(f"Destruction list: {path}")
        removed = "would be removed (dry run: nothing removed)" if dry_run else "removed"
        uploads = remove_abandoned_uploads(now=now, dry_run=dry_run)
        self.stdout.write(
            f"{uploads} scans of on-behalf records that were never confirmed {removed}."
        )
        # The security event log's own period (not archival records: not on the list).
        events = remove_expired_events(today=day, dry_run=dry_run)
        self.stdout.write(
            f"{events} security events older than "
            f"{settings.PORTAL_SECURITY_LOG_RETENTION_DAYS} days {removed}."
        )
