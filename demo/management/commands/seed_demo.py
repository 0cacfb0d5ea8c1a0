from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.organisation import DEMO_ACCOUNTS, DEMO_ADDRESS, DEMO_PASSWORD
from demo.services import seed_demo


class Command(BaseCommand):
    help = (
        "Fill the database with the demo organisation 'Gemeente Voorbeeldstad': departments, "
        "about 60 employees, one account per role, a draft version 2 and a second guideline "
        "with a demo text (idempotent). "
        "Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never on a production database: the demo "
            "accounts share a known password and printed two-factor secrets.",
        )
        parser.add_argument(
            "--address",
            default=DEMO_ADDRESS,
            help=f"Where the portal will be served, for the printed link (default {DEMO_ADDRESS}; "
            "make run passes its RUN_ADDRESS).",
        )

    def handle(self, *args, force: bool, address: str, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates accounts with a known "
                "password and printed two-factor secrets. It is meant for development "
                "(DJANGO_SETTINGS_MODULE=config.settings.dev). If this really is a demo "
                "server, run it with --force."
            )
        report = seed_demo()
        self.stdout.write(
            f"Demo data: {report.departments_created} departments and "
            f"{report.employees_created} employees created; draft version 2 "
            f"{'created' if report.draft_created else 'already there (left alone)'}; "
            f"second guideline (demo text) "
            f"{'created' if report.second_guideline_created else 'already there (left alone)'}; "
            f"{report.quiz_attempts_created} finished quiz attempts created; "
            f"{report.assignments_created} campaign assignments created."
        )
        self._print_accounts(report.totp_secrets, url=f"http://{address}/")

    def _print_accounts(self, secrets: dict[str, str], *, url: str) -> None:
        line = "=" * 78
        out = [
            "",
            line,
            " Gemeente Voorbeeldstad – demo",
            line,
            f" Open:      {url}",
            f" Password:  {DEMO_PASSWORD}   (the same for every demo account and employee)",
            "",
            " Accounts:",
        ]
        for account in DEMO_ACCOUNTS:
            marker = "  (TOTP)" if account.uses_totp else ""
            out.append(f"   {account.email:<38} {account.description}{marker}")
        if secrets:
            out += [
                "",
                " Accounts marked (TOTP) must enter a 6-digit code after the password.",
                " Get the current code without an authenticator app:",
                "   .venv/bin/python manage.py demo_totp hr@voorbeeldstad.nl",
                " or add the secret to an authenticator app (TOTP, SHA-1, 6 digits, 30 s):",
            ]
            for email, secret in secrets.items():
                out.append(f"   {email:<38} {secret}")
            out.append(" A code is accepted once: to log in again, wait for the next code.")
        out += [line, ""]
        self.stdout.write("\n".join(out))
