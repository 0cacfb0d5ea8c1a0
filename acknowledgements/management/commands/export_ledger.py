from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acknowledgements.services.export import write_export


class Command(BaseCommand):
    help = (
        "Export the acknowledgement ledger for an auditor: every entry with its content "
        "(erased ones as erased) and the text of every signed version, as JSON Lines "
        "(docs/ledger-format.md). Check the file without the portal with "
        "scripts/verify-ledger-export.py. The export holds personal data and is recorded "
        "in the security log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="The file to write.")

    def handle(self, *args, output: Path, **options):
        if output.is_dir():
            raise CommandError(f"{output} is a folder: name the file to write.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        summary = write_export(path=output)
        self.stdout.write(
            f"Exported {summary.entries} entries and {summary.versions} versions to {output}."
        )
        self.stdout.write(f"Last entry: {summary.head_sequence}, hash {summary.head_hash}.")
