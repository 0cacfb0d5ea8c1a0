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

# ``retention_ended``: sent by the carry-out of an approved destruction list
# (``acknowledgements.services.destruction.carry_out_destruction``) for the people on it
# whose retention period ended, after ``personal_data_erased`` and before their employee
# rows are pseudonymised (so receivers can still read who they were). Arguments:
# ``employee_ids`` (a list of keys) and ``now``. Sent with ``send()`` inside the
# carry-out's transaction: an exception in a receiver undoes the whole carry-out.
# Receivers remove or anonymise everything else their app keeps about these people, and
# list it on the destruction list beforehand (``hooks.register_retained_items``); the
# campaigns app removes their reminders and mail log (``campaigns.apps``).
retention_ended = Signal()
