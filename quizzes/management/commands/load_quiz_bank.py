from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from handbook.models import GuidelineVersion
from quizzes.bank_io import BankFormatError, parse_bank
from quizzes.services import ensure_bank, import_bank

DATA_DIRECTORY = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load the question bank files (quizzes/data/<guideline>-v<N>.yaml) into every "
        "published version that has a file and no questions yet (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(DATA_DIRECTORY))

    def handle(self, *args, directory: str, **options):
        folder = Path(directory)
        versions = GuidelineVersion.objects.filter(
            status=GuidelineVersion.Status.PUBLISHED
        ).select_related("guideline")
        if not versions:
            self.stdout.write("No published guideline version yet: no question bank to load.")
            return
        for version in versions.order_by("guideline__slug", "number"):
            name = f"{version.guideline.slug}-v{version.number}.yaml"
            path = folder / name
            label = f"{version.guideline.slug} version {version.number}"
            if version.questions.exists():
                self.stdout.write(f"{label}: has questions already, nothing loaded.")
                continue
            if not path.exists():
                ensure_bank(version=version)
                copied = version.questions.count()
                if copied:
                    self.stdout.write(
                        f"{label}: {copied} questions copied from an earlier version."
                    )
                else:
                    self.stdout.write(f"{label}: no question bank file {path} yet, nothing loaded.")
                continue
            try:
                bank = parse_bank(path.read_text(encoding="utf-8"))
                result = import_bank(version=version, bank=bank, actor=None)
            except BankFormatError as error:
                raise CommandError(f"{path} cannot be loaded:\n{error}") from error
            self.stdout.write(f"{label}: {path.name} loaded: {result}.")
