import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from handbook.services import load_version_one
from handbook.services.seed import SeedFormatError, read_seed


class Command(BaseCommand):
    help = "Load the customer's guideline text as published version 1 (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(settings.HANDBOOK_SEED_FILE))
        parser.add_argument(
            "--english", default="", help="English translation in the same layout (optional)."
        )
        parser.add_argument(
            "--effective-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date version 1 is in force from (YYYY-MM-DD; default today).",
        )

    def handle(
        self, *args, file: str, english: str, effective_date: datetime.date | None, **options
    ):
        from pathlib import Path

        dutch_path = Path(file)
        english_path = Path(english) if english else dutch_path.with_suffix(".en.txt")
        try:
            dutch = read_seed(path=dutch_path)
            translation = read_seed(path=english_path) if english_path.exists() else None
        except (OSError, SeedFormatError) as exc:
            raise CommandError(f"Cannot read the guideline text: {exc}") from exc
        version = load_version_one(
            slug=DEFAULT_GUIDELINE_SLUG,
            dutch=dutch,
            english=translation,
            effective_date=effective_date or timezone.localdate(),
        )
        self.stdout.write(
            f"{version.guideline.title}: version {version.number}, "
            f"{version.tips.count()} tips, SHA-256 {version.content_hash}"
        )
