from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from handbook.models import GuidelineVersion
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from quizzes.bank_io import export_bank


class Command(BaseCommand):
    help = "Write a version's question bank as a file in the import format."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version is the guideline version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", dest="number", type=int, required=True)
        parser.add_argument("--guideline", default=DEFAULT_GUIDELINE_SLUG)
        parser.add_argument("--output", default="", help="File to write (default: stdout).")

    def handle(self, *args, number: int, guideline: str, output: str, **options):
        version = (
            GuidelineVersion.objects.select_related("guideline")
            .filter(guideline__slug=guideline, number=number)
            .first()
        )
        if version is None:
            raise CommandError(f"Guideline {guideline!r} has no version {number}.")
        text = export_bank(version)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Version {number}'s question bank written to {output}.")
        else:
            self.stdout.write(text, ending="")
