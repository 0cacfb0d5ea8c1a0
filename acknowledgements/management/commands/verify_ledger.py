from django.core.management.base import BaseCommand, CommandError

from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.anchors import MalformedAnchor, parse_anchor
from acknowledgements.services.ledger_checks import problem_text, run_system_check


class Command(BaseCommand):
    help = (
        "Recompute the acknowledgement ledger: the versions' texts, every entry's hash and "
        "content, the head. Exits non-zero and names the first problem, also when the chain "
        "is shorter than an earlier check counted or than an --anchor. With --entry N, also "
        "prints entry N's hash, to compare with a hash noted at an earlier audit. The result "
        "is stored: the ledger page shows it as a system run (run it nightly; with "
        "PORTAL_LEDGER_ANCHOR_EMAIL set, the last entry and its hash are mailed there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entry", type=int, default=None, help="A sequence number.")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help=(
                "An entry's sequence number and hash noted outside the portal (a signed "
                "report, the ledger page, the nightly mail): the ledger must still contain "
                "that entry with that hash. Repeatable."
            ),
        )

    def handle(self, *args, entry: int | None, anchor: list[str], **options):
        try:
            anchors = tuple(parse_anchor(text=text) for text in anchor)
        except MalformedAnchor as error:
            raise CommandError(str(error), returncode=2) from error
        check = run_system_check(anchors=anchors)
        if entry is not None:
            record_hash = (
                LedgerEntry.objects.filter(sequence=entry)
                .values_list("record_hash", flat=True)
                .first()
            )
            self.stdout.write(f"Entry {entry}: hash {record_hash or 'not found'}.")
        if check.ok:
            self.stdout.write(f"Ledger intact: {check.entries_checked} entries checked.")
            for each in anchors:
                self.stdout.write(f"Anchor {each.sequence}: entry present with that hash.")
            self.stdout.write(f"Last entry: {check.head_sequence}, hash {check.head_hash}.")
            return
        reason = problem_text(reason=check.problem_reason)
        self.stdout.write(f"{check.entries_checked} entries checked before the first problem.")
        raise CommandError(
            f"Ledger entry {check.problem_sequence} does not match: {reason}.", returncode=1
        )
