from django.core.management.base import BaseCommand

from portal.heartbeat import recover_stalled_work


class Command(BaseCommand):
    """Hand background work whose worker died (its heartbeat stopped), or whose task
    never reached the queue, to the worker once more, or mark it failed
    (portal.heartbeat). ``run_campaigns`` does this too; run this alone where campaigns
    are not run periodically."""

    help = (
        "Hand reports and ledger checks whose worker stopped, or whose task was lost, "
        "to the worker once more, or mark them failed."
    )

    def handle(self, *args, **options):
        self.stdout.write(describe(recover_stalled_work()))


def describe(done: dict) -> str:
    reports = done["reports.services.recovery"]
    checks = done["acknowledgements.services.ledger_checks"]
    return (
        f"Stalled work: {reports.retried} report(s) handed to the worker again, "
        f"{reports.requeued} waiting report(s) whose task was lost queued again, "
        f"{reports.failed} report(s) failed; {checks.retried} ledger check(s) handed "
        f"to the worker again, {checks.requeued} queued again, {checks.failed} failed."
    )
