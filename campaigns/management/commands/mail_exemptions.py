import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.services import CampaignError, exemptions


class Command(BaseCommand):
    """The monthly list of exemptions granted, to the HR lead (PORTAL_HR_LEAD_EMAIL), so
    that nobody is left out of a campaign unseen. Run it from cron on the first of the
    month (README, "Exemptions: four eyes"): by default it lists last month."""

    help = (
        "Mail the HR lead (PORTAL_HR_LEAD_EMAIL) every exemption granted last month, or in "
        "the month given, and how many requests wait for a decision."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to list (YYYY-MM); default: last month.")

    def handle(self, *args, **options):
        if options["month"]:
            try:
                month = datetime.date.fromisoformat(options["month"] + "-01")
            except ValueError as error:
                raise CommandError(f"--month: {error}") from error
        else:
            month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(
                day=1
            )
        try:
            count = exemptions.mail_monthly_list(month=month)
        except CampaignError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} exemption(s) granted in {month:%Y-%m} sent to the HR lead.")
