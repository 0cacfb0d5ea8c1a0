from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acknowledgements.services.importing import ImportRefused, import_acknowledgements, read_file
from handbook.selectors import default_guideline
from handbook.selectors.access import guideline_by_slug


class Command(BaseCommand):
    help = (
        "Record acknowledgements from an earlier system (CSV: personeelsnummer;versie;datum). "
        "A file with any bad row is refused whole, with each line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--reason",
            default="Overgenomen uit het vorige systeem",
            help="Why these records are imported; kept in the ledger.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")
        parser.add_argument(
            "--guideline",
            default="",
            help="The short name of the guideline whose versions the file names "
            "(default: the default guideline).",
        )

    def handle(self, *args, path: str, reason: str, dry_run: bool, guideline: str, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if guideline:
            chosen = guideline_by_slug(slug=guideline)
            if chosen is None:
                raise CommandError(f"There is no guideline with the short name {guideline!r}.")
        else:
            chosen = default_guideline()
            if chosen is None:
                raise CommandError("There is no guideline yet: run load_handbook first.")
        try:
            report = read_file(data=data, guideline=chosen)
        except ImportRefused as refused:
            raise CommandError(f"{path} was not imported:\n{refused}") from refused
        if dry_run:
            self.stdout.write(f"{len(report.rows)} rows are correct; nothing recorded (dry run).")
            return
        report = import_acknowledgements(report=report, recorded_by=None, reason=reason)
        self.stdout.write(
            f"{report.recorded} acknowledgements recorded, "
            f"{report.already_there} were already in the ledger."
        )
