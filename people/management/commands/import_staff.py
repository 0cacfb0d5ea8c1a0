import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from people import staff_import
from people.services import import_staff

SYMBOLS = {
    staff_import.NEW: "+",
    staff_import.CHANGED: "~",
    staff_import.LEAVING: "-",
    staff_import.REACTIVATED: "^",
}


UNIT_SYMBOLS = {
    staff_import.tree.NEW: "+",
    staff_import.tree.RENAMED: "~",
    staff_import.tree.MOVED: ">",
    staff_import.tree.RETYPED: "*",
    staff_import.tree.CLOSED: "-",
    staff_import.tree.REOPENED: "^",
}
PATHS_ONLY_NOTE = (
    "The file names units by their paths only: a unit whose path changed is a new unit "
    "and the old one is closed. Give codes (code columns or --units) to keep units when "
    "they are renamed or moved."
)


class Command(BaseCommand):
    help = (
        "Import staff from the HR system (CSV, a row per employee keyed by personeelsnummer). "
        "Shows what changes; a file with any problem changes nothing and exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--units",
            metavar="FILE",
            help=(
                "The organisation-unit file exported beside the staff file (CSV: code, "
                "parent code, name, optional kind): builds and keeps the department tree."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="The file is a full export: active employees missing from it are leavers.",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Treat this day (YYYY-MM-DD) as today, for end dates that passed.",
        )

    def handle(self, *args, path: str, dry_run: bool, full: bool, today, units=None, **options):
        try:
            data = Path(path).read_bytes()
            units_data = Path(units).read_bytes() if units else None
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename or path}: {exc}") from exc
        # The command speaks English, also in the import's messages.
        with translation.override("en"):
            outcome = import_staff(
                data=data,
                filename=Path(path).name,
                by=None,
                full_export=full,
                dry_run=dry_run,
                today=today,
                units=units_data,
                units_filename=Path(units).name if units else "",
            )
            self.report_tree(outcome.plan)
            self.report(outcome.plan)
        problems = len(outcome.plan.problems)
        if problems:
            raise CommandError(
                f"{path} was not imported: {problems} problem(s); nothing has changed."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing has changed.")
        else:
            self.stdout.write(
                f"Imported (log {outcome.log.pk}, SHA-256 {outcome.log.file_sha256})."
            )

    def report_tree(self, plan: staff_import.Plan) -> None:
        """The tree's changes, before the people's."""
        tree = plan.tree
        if tree is None or not tree.complete or not tree.has_changes:
            return
        counts = tree.counts
        self.stdout.write(
            "Units: "
            + ", ".join(f"{counts[change]} {change}" for change in staff_import.UNIT_KINDS)
        )
        for change in staff_import.UNIT_KINDS:
            symbol = UNIT_SYMBOLS[change]
            for unit in tree.of_kind(change):
                line = f"{symbol} unit {change} {unit.code} {unit.name}"
                if change == staff_import.tree.NEW:
                    line += f": {unit.new}"
                elif unit.old or unit.new:
                    line += f": {unit.old or '–'} → {unit.new or '–'}"
                if unit.note:
                    line += f" ({unit.note})"
                self.stdout.write(line)
        if tree.paths_only and tree.of_kind(staff_import.tree.CLOSED):
            self.stdout.write(PATHS_ONLY_NOTE)

    def report(self, plan: staff_import.Plan) -> None:
        counts = plan.counts
        self.stdout.write(
            ", ".join(f"{counts[kind]} {kind}" for kind in (*staff_import.KINDS, "problems"))
            + (" (full export)" if plan.full else "")
        )
        for kind, symbol in SYMBOLS.items():
            for entry in plan.of_kind(kind):
                line = f"{symbol} {kind} {entry.number} {entry.name}"
                if entry.changes:
                    line += ": " + "; ".join(
                        f"{change.label} {change.old or '–'} → {change.new or '–'}"
                        for change in entry.changes
                    )
                self.stdout.write(line)
        for entry in plan.left_alone:
            self.stdout.write(
                f"! left alone {entry.number} {entry.name}: "
                + "; ".join(f"{c.label} stays {c.old or '–'}" for c in entry.left_alone)
                + f". {entry.why_left_alone}"
            )
        if plan.problems:
            self.stdout.write("Problems:")
            shown = settings.STAFF_IMPORT_MAX_PROBLEMS_SHOWN
            for problem in plan.problems[:shown]:
                self.stdout.write(f"  {problem}")
            if len(plan.problems) > shown:
                self.stdout.write(f"  ... and {len(plan.problems) - shown} more.")
