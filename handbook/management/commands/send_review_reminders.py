"""Remind guideline owners that the yearly review of their guideline is due.

Run it daily (cron or a systemd timer): ``python manage.py send_review_reminders``.
The owner of each guideline whose review date is within HANDBOOK_REVIEW_REMINDER_DAYS
days, or has passed, gets one e-mail (plain text and HTML) in their preferred language.
It is safe to run as often as you like: each review date is reminded once, recorded as
a "review reminder sent" event in the handbook's audit trail. The logic lives in
handbook.services.reviews.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from handbook.services.reviews import send_review_reminders


class Command(BaseCommand):
    help = "E-mail guideline owners whose review date is near or past (once per date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            default="",
            help="Pretend today is this date (YYYY-MM-DD), for testing.",
        )

    def handle(self, *args, today: str, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-12-31.") from exc
        result = send_review_reminders(today=day)
        self.stdout.write(
            f"Review reminders sent: {len(result.sent)}; nothing sent for: {len(result.skipped)}."
        )
