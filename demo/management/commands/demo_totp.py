from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.totp import current_totp_code_for, seconds_left_for_code
from people.models import Employee


class Command(BaseCommand):
    help = (
        "Print the current 6-digit TOTP code of a demo account (HR, editors, administrator), "
        "so the demo can be tried without an authenticator app. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="For example hr@voorbeeldstad.nl")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (demo servers only)."
        )

    def handle(self, *args, email: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_totp only runs with DEBUG on: it reveals a second factor. "
                "Use --force on a demo server."
            )
        try:
            code = current_totp_code_for(email)
        except Employee.DoesNotExist as exc:
            raise CommandError(f"No account with the e-mail address {email}.") from exc
        except LookupError as exc:
            raise CommandError(
                f"{email} has no TOTP authenticator. Run manage.py seed_demo first, or set "
                "one up in the portal."
            ) from exc
        # The code alone on stdout, so scripts can use $(manage.py demo_totp ...).
        self.stdout.write(code)
        self.stderr.write(f"Valid for about {seconds_left_for_code()} more seconds; usable once.")
