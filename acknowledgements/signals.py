"""Signals the ledger app sends, each with its contract.

``personal_data_erased``: sent when the portal erases what it holds about people:
by ``acknowledgements.services.corrections.erase_employee`` (one person, after their
records are erased) and by ``acknowledgements.services.retention.apply_retention``
(everyone whose employment ended before the retention cutoff; not in a dry run).
Arguments: ``employees`` (a queryset of ``Employee``) and ``now`` (the aware moment of
the erasure). Sent inside the erasure's transaction with ``send()``: what receivers
write commits or rolls back with it, and an exception in a receiver undoes the erasure.
Receivers erase the free text about these people that their app keeps on rows its
audit trail refers to; the campaigns app clears the exemptions' reasons
(``campaigns.apps``). The ledger sits below campaigns in the apps' layers
(docs/architecture.md) and may not call it.
"""

from django.dispatch import Signal

personal_data_erased = Signal()
