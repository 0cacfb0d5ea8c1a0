from django.core.management.base import BaseCommand, CommandError

from acknowledgements.models import LedgerEntry
from acknowledgements.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the acknowledgement ledger's hash chain. Exits non-zero and names the "
        "first entry that does not match. With --entry N, also prints entry N's hash, to "
        "compare with a hash noted at an earlier audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entry", type=int, default=None, help="A sequence number.")

    def handle(self, *args, entry: int | None, **options):
        result = verify_chain()
        if entry is not None:
            record_hash = (
                LedgerEntry.objects.filter(sequence=entry)
                .values_list("record_hash", flat=True)
                .first()
            )
            self.stdout.write(f"Entry {entry}: hash {record_hash or 'not found'}.")
        if result.ok:
            self.stdout.write(f"Ledger intact: {result.checked} entries checked.")
            self.stdout.write(f"Last entry: {result.head_sequence}, hash {result.head_hash}.")
            return
        sequence, reason = result.first_problem
        self.stdout.write(f"{result.checked} entries checked before the first problem.")
        raise CommandError(f"Ledger entry {sequence} does not match: {reason}.", returncode=1)
