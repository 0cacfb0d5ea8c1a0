from django.core.management.base import BaseCommand, CommandError

from acknowledgements.models import LedgerEntry
from acknowledgements.services.ledger_checks import problem_text, run_system_check


class Command(BaseCommand):
    help = (
        "Recompute the acknowledgement ledger's hash chain. Exits non-zero and names the "
        "first entry that does not match. With --entry N, also prints entry N's hash, to "
        "compare with a hash noted at an earlier audit. The result is stored: the ledger "
        "page shows it as a system run (run it nightly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entry", type=int, default=None, help="A sequence number.")

    def handle(self, *args, entry: int | None, **options):
        check = run_system_check()
        if entry is not None:
            record_hash = (
                LedgerEntry.objects.filter(sequence=entry)
                .values_list("record_hash", flat=True)
                .first()
            )
            self.stdout.write(f"Entry {entry}: hash {record_hash or 'not found'}.")
        if check.ok:
            self.stdout.write(f"Ledger intact: {check.entries_checked} entries checked.")
            self.stdout.write(f"Last entry: {check.head_sequence}, hash {check.head_hash}.")
            return
        reason = problem_text(check.problem_reason)
        self.stdout.write(f"{check.entries_checked} entries checked before the first problem.")
        raise CommandError(
            f"Ledger entry {check.problem_sequence} does not match: {reason}.", returncode=1
        )
