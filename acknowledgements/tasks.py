"""Background tasks of the ledger (Django's task framework; ``manage.py db_worker``
runs them)."""

from __future__ import annotations

from django.tasks import task

from acknowledgements.models import LedgerCheck
from acknowledgements.services import ledger_checks


@task()
def run_ledger_check(check_id: int) -> dict:
    """Check the whole chain for a check asked for on the ledger page (ledger_checks)."""
    check = LedgerCheck.objects.filter(pk=check_id).first()
    if check is None:
        return {"state": "missing"}
    check = ledger_checks.run_check(check=check)
    return {"state": check.state, "ok": check.ok, "checked": check.entries_checked}


@task()
def send_ledger_anchor(check_id: int) -> dict:
    """Mail a nightly check's last intact entry outside the portal (ledger_checks)."""
    check = LedgerCheck.objects.filter(pk=check_id).first()
    if check is None:
        return {"sent": 0}
    return {"sent": int(ledger_checks.send_anchor(check=check))}
