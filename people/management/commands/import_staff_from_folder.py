from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.services import scheduled_import as scheduled

# Exit codes, for cron and systemd: 0 done (also nothing to do, or another run busy),
# 1 the file was refused (nothing changed), 2 an error (no folder, the mail not sent).
REFUSED = 1
ERROR = 2


class Command(BaseCommand):
    help = (
        "Import the newest staff file the HR system dropped in the folder "
        "(PORTAL_STAFF_IMPORT_FOLDER or --folder), one run at a time; move it to verwerkt/ "
        "or geweigerd/ (older files to overgeslagen/) and mail HR the result. Prints a "
        "line per outcome; exits 1 when the file is refused (nothing changed), 2 on an error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder", help="The drop folder (default: PORTAL_STAFF_IMPORT_FOLDER)."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="The files are full exports: active employees missing from one are leavers.",
        )
        parser.add_argument(
            "--units",
            default="",
            metavar="PATTERN",
            help=(
                "Files whose name matches this pattern (e.g. 'organisatie*') are the HR "
                "system's organisation-unit files: the newest goes with the staff file."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the newest file would change; change, move and mail nothing.",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Wait this long for a run that holds the lock (default: skip at once).",
        )
        parser.add_argument(
            "--settle",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Take a file once unchanged this long (default: STAFF_IMPORT_SETTLE_SECONDS).",
        )

    def handle(self, *args, folder, full, units, dry_run, wait, settle, verbosity, **options):
        try:
            path = Path(folder) if folder else scheduled.configured_folder()
            run = scheduled.run_scheduled_import(
                folder=path,
                full_export=full,
                dry_run=dry_run,
                settle_seconds=settle,
                wait_seconds=wait,
                mail=False,
                units_pattern=units,
            )
        except scheduled.FolderMissing as error:
            raise CommandError(str(error), returncode=ERROR) from error
        for line in self.lines(run, settle, verbosity):
            self.stdout.write(line)
        if run.taken is not None and not dry_run:
            try:
                mailed = scheduled.send_result_mails(run=run)
            except OSError as error:
                self.stdout.write(
                    f"not mailed: the mail server refused or did not answer ({error})"
                )
                raise CommandError("The result mail was not sent.", returncode=ERROR) from error
            if mailed:
                self.stdout.write("mailed " + ", ".join(mailed))
            else:
                self.stdout.write(
                    "not mailed: nobody to tell (set PORTAL_STAFF_IMPORT_EMAIL or give someone "
                    "the HR role)"
                )
        if run.refused:
            raise CommandError("The file was refused; nothing has changed.", returncode=REFUSED)

    def lines(self, run: scheduled.ScheduledImport, settle, verbosity: int):
        if run.status == scheduled.BUSY:
            yield "busy: another run holds the lock; nothing done"
            return
        if run.status == scheduled.NOTHING and verbosity >= 2:
            yield f"nothing to import in {run.folder}"
        for outcome in run.files:
            yield self.line(outcome, run.dry_run)

    def line(self, outcome: scheduled.FileOutcome, dry_run: bool) -> str:
        name = outcome.name
        where = f"moved to {outcome.moved_to}" if outcome.moved_to else "left where it is"
        if outcome.kind == scheduled.IGNORED:
            return f"ignored {name}: not a regular file (left where it is)"
        if outcome.kind == scheduled.WAITING:
            return f"waiting: {name} changed too recently; a later run takes it"
        if outcome.kind == scheduled.SKIPPED_FILE:
            return f"skipped {name}: older than the newest file, which counts ({where})"
        if outcome.unreadable:
            reason = outcome.unreadable
            return f"refused {name}: cannot be read ({reason}); nothing changed ({where})"
        log = f"log {outcome.log.pk}" if outcome.log is not None else "no log"
        counts = ", ".join(
            f"{outcome.counts.get(kind, 0)} {kind}"
            for kind in ("new", "changed", "leaving", "reactivated", "unchanged")
        )
        full = " (full export)" if outcome.full_export else ""
        if outcome.units_name:
            full += f" with units {outcome.units_name}"
            if outcome.units_moved_to:
                where += f", units moved to {outcome.units_moved_to}"
        if outcome.unit_changes:
            counts += f", {outcome.unit_changes} unit changes"
        if outcome.kind == scheduled.APPLIED:
            return f"applied {name}: {counts}{full} ({log}, {where})"
        problems = len(outcome.problems)
        if outcome.kind == scheduled.DRY_RUN:
            return f"dry run {name}: {counts}, {problems} problems{full} ({log}); nothing changed"
        return f"refused {name}: {problems} problems; nothing changed ({log}, {where})"
