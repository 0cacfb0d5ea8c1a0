"""Writes to the ledger that refer to an earlier entry: correcting a record and erasing
its personal data (acknowledgements.services has the writes of new records).

Nothing is changed in place: a correction is a new entry whose content is the old one
with the changes, and an erasure is an entry after which the content row may go (the
database refuses anything else). Every function is atomic, as in services.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.selectors.certificate import certificate_cache_key
from acknowledgements.services import (
    MANAGE_PERMISSION,
    _append_acknowledgement,
    _require_past,
    _require_reason,
)
from acknowledgements.signals import personal_data_erased
from people.models import Employee

logger = logging.getLogger("acknowledgements.ledger")

CORRECTABLE_FIELDS = frozenset({"employee", "signed_at", "language", "typed_name", "method"})


def _require_manager(recorded_by: Employee | None) -> None:
    if recorded_by is None or not recorded_by.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def correct(
    *,
    entry: LedgerEntry,
    recorded_by: Employee | None,
    reason: str,
    now: datetime.datetime | None = None,
    **changes: Any,
) -> Acknowledgement:
    """Correct a record: a new CORRECTION entry whose content is the old content with
    ``changes`` (employee, signed_at, language, typed_name, method). The original stays.
    """
    _require_manager(recorded_by)
    _require_reason(reason)
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These cannot be corrected: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if not changes:
        raise ValidationError(_("Say what to correct."))
    head = ledger.lock_head()
    entry = LedgerEntry.objects.get(pk=entry.pk)
    original = (
        Acknowledgement.objects.select_related("employee", "version").filter(entry=entry).first()
    )
    if original is None:
        raise ValidationError(_("This entry has no record to correct (it was erased)."))
    now = now or timezone.now()
    if "signed_at" in changes:
        _require_past(changes["signed_at"], now)
    values = {
        "employee": original.employee,
        "signed_at": original.signed_at,
        "language": original.language,
        "typed_name": original.typed_name,
        "method": original.method,
        **changes,
    }
    return _append_acknowledgement(
        head=head,
        kind=LedgerEntry.Kind.CORRECTION,
        version=original.version,
        quiz_attempt=original.quiz_attempt,
        recorded_by=recorded_by,
        reason=reason,
        paper_form_name=original.paper_form.name,
        paper_form_hash=original.paper_form_hash,
        ip_address=original.ip_address,
        user_agent=original.user_agent,
        campaign_id=original.campaign_id,
        refers_to=entry,
        now=now,
        **values,
    )


@transaction.atomic
def erase_personal_data(
    *,
    entry: LedgerEntry,
    recorded_by: Employee | None,
    reason: str,
    now: datetime.datetime | None = None,
) -> LedgerEntry:
    """Erase an entry's content (retention, a request under the GDPR).

    Appends an ERASURE entry naming the entry, then deletes the content row and, once
    committed, its scanned form. The chain still verifies: the entry keeps its digest.
    Corrections of the entry keep their own content: erase them too, or use
    erase_employee for everything of one person. ``recorded_by`` None: a system run
    (retention, a management command); otherwise they need the permission.
    """
    if recorded_by is not None:
        _require_manager(recorded_by)
    _require_reason(reason)
    head = ledger.lock_head()
    entry = LedgerEntry.objects.get(pk=entry.pk)
    content = Acknowledgement.objects.filter(entry=entry).first()
    if content is None:
        raise ValidationError(_("This entry's personal data was erased already."))
    erasure = ledger.append_entry(
        kind=LedgerEntry.Kind.ERASURE,
        version=entry.version,
        content_digest=ledger.erasure_digest(
            erased_sequence=entry.sequence, erased_digest=entry.content_digest
        ),
        refers_to=entry,
        recorded_at=now or timezone.now(),
        head=head,
    )
    form_name = content.paper_form.name
    storage = content.paper_form.storage
    Acknowledgement.objects.filter(entry=entry).delete()
    if form_name and not Acknowledgement.objects.filter(paper_form=form_name).exists():
        transaction.on_commit(lambda: storage.delete(form_name))
    # A signed certificate kept in the cache bears the name: gone with the content.
    certificate_key = certificate_cache_key(record_hash=entry.record_hash)
    transaction.on_commit(lambda: cache.delete(certificate_key))
    # The model has no place for who erased and why without keeping personal data of
    # the erased record; the log keeps it.
    logger.info(
        "Ledger entry %s erased as entry %s by employee %s: %s",
        entry.sequence,
        erasure.sequence,
        recorded_by.pk if recorded_by is not None else "none (system)",
        reason.strip(),
    )
    return erasure


@transaction.atomic
def erase_employee(
    *,
    employee: Employee,
    recorded_by: Employee | None,
    reason: str,
    now: datetime.datetime | None = None,
) -> list[LedgerEntry]:
    """Erase every record of an employee (acknowledgements and corrections), oldest
    first: one ERASURE entry each, and what other apps keep about them that their audit
    trails refer to (signals.personal_data_erased). Returns the erasure entries.
    ``recorded_by`` None: a system run (retention)."""
    if recorded_by is not None:
        _require_manager(recorded_by)
    _require_reason(reason)
    entries = LedgerEntry.objects.filter(acknowledgement__employee=employee).order_by("sequence")
    erasures = [
        erase_personal_data(entry=entry, recorded_by=recorded_by, reason=reason, now=now)
        for entry in list(entries)
    ]
    personal_data_erased.send(
        sender=Employee,
        employees=Employee.objects.filter(pk=employee.pk),
        now=now or timezone.now(),
    )
    return erasures
