from django.conf import settings
from django.core.management.base import BaseCommand

from reports.services import remove_expired


class Command(BaseCommand):
    help = (
        "Remove the files of reports made more than REPORTS_RETENTION_DAYS days ago; the "
        "reports' rows and their log (who made and downloaded them) stay. Run it daily."
    )

    def handle(self, *args, **options):
        count = remove_expired()
        days = settings.REPORTS_RETENTION_DAYS
        noun = "file" if count == 1 else "files"
        self.stdout.write(f"{count} report {noun} removed (retention period: {days} days).")
