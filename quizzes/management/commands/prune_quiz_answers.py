from django.conf import settings
from django.core.management.base import BaseCommand

from quizzes.services import prune_answers


class Command(BaseCommand):
    help = (
        "Delete the answers of quiz attempts submitted more than QUIZ_ANSWER_RETENTION_DAYS "
        "days ago; scores and pass/fail stay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run: bool, **options):
        count = prune_answers(dry_run=dry_run)
        days = settings.QUIZ_ANSWER_RETENTION_DAYS
        if dry_run:
            self.stdout.write(f"{count} answers are older than {days} days (dry run: kept).")
        else:
            self.stdout.write(f"{count} answers older than {days} days deleted.")
