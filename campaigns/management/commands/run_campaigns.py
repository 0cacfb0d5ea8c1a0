import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.services import reminders
from portal.heartbeat import recover_stalled_work
from portal.management.commands.recover_stalled_work import describe


class Command(BaseCommand):
    """The periodic step of campaigns: run it from cron or a systemd timer (every 15
    minutes is plenty; see the README). It is safe to run twice at the same moment.

    1. employees who joined or moved into a running campaign's audience get an assignment;
    2. the onboarding rule gives new employees theirs;
    3. reminders and escalations that are due are planned (once per assignment and step);
    4. due mails are handed to the background worker (`manage.py db_worker`), which sends
       them with retries;
    5. reports and ledger checks whose worker died are handed to it once more, or marked
       failed (portal.heartbeat; also `manage.py recover_stalled_work` alone).
    """

    help = (
        "Add joiners and new employees to campaigns, plan the reminders and escalations "
        "that are due, and hand the mails to the background worker; hand work whose "
        "worker stopped to it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), to try a schedule out.",
        )

    def handle(self, *args, **options):
        now = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        counts = reminders.run(now=now, clock=now is not None)
        self.stdout.write(
            "{joined} joined a running campaign, {onboarded} new employee(s) assigned, "
            "{planned} mail(s) planned, {dispatched} handed to the worker.".format(**counts)
        )
        # Real time: a heartbeat is written by the clock, whatever --date says. Said only
        # when something was found, so that cron stays quiet.
        recovered = recover_stalled_work()
        if any(kind.retried or kind.failed for kind in recovered.values()):
            self.stdout.write(describe(recovered))
