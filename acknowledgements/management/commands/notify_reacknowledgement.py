from django.core.management.base import BaseCommand

from acknowledgements.services.notifications import send_all_reacknowledgement_notices


class Command(BaseCommand):
    """E-mail everyone who must sign the current version of a guideline again (each
    guideline's current version in turn).

    Run it after publishing a version with changes in meaning, once the version is in
    force (its effective date has come): from cron (daily is enough) or by hand. It is
    idempotent: each employee gets one e-mail per version, however often it runs. Those
    who never signed, who signed the current version, or for whom only editorial changes
    were made since they signed get nothing. (Background tasks replace cron later.)
    """

    help = (
        "E-mail everyone who signed an earlier version and must sign the current version "
        "again (it changed in meaning). Sends each person one e-mail per version."
    )

    def handle(self, *args, **options):
        results = send_all_reacknowledgement_notices()
        if not results:
            self.stdout.write("No version of a guideline is in force: nothing to send.")
            return
        for result in results:
            self.stdout.write(
                f"{result.version.guideline.slug}, version {result.version.number}: "
                f"{len(result.sent)} e-mail(s) sent."
            )
