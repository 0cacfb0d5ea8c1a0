from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from handbook.models import GuidelineVersion
from quizzes.bank_io import BankFormatError, parse_bank
from quizzes.services import import_bank


class Command(BaseCommand):
    help = (
        "Import a question bank file into its guideline version: all or nothing. A file "
        "with errors is refused with the line and the reason of each."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version is the guideline version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--version",
            dest="number",
            type=int,
            default=None,
            help="The version to import into (default: the version named in the file).",
        )

    def handle(self, *args, path: str, number: int | None, **options):
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            bank = parse_bank(text)
        except BankFormatError as error:
            raise CommandError(f"{file} was not imported:\n{error}") from error
        number = number or bank.version
        version = (
            GuidelineVersion.objects.select_related("guideline")
            .filter(guideline__slug=bank.guideline, number=number)
            .first()
        )
        if version is None:
            raise CommandError(
                f"{file} was not imported: guideline {bank.guideline!r} has no version {number}."
            )
        try:
            result = import_bank(version=version, bank=bank, actor=None)
        except BankFormatError as error:
            raise CommandError(f"{file} was not imported:\n{error}") from error
        self.stdout.write(f"{file} imported into version {version.number}: {result}.")
