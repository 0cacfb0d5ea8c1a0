"""Retiring a published version: four eyes, and never the last version in force.

One editor requests retirement with a reason; another editor confirms it, and only then
is the version retired (with ``HANDBOOK_FOUR_EYES`` off the requester may confirm too).
Either editor may cancel the request. A version is never retired when no other
published version would be in force afterwards: staff would have nothing to sign.
Publish the successor first (a version published ahead takes effect on its date; until
then the old one stays).

Every function here is atomic, locks the guideline's row (so that two confirmations of
two versions at the same moment cannot both pass the successor check) and writes its
HandbookEvent in the same transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handbook.models import Guideline, GuidelineVersion, HandbookEvent, RetirementRequest
from handbook.selectors.access import has_guideline_perm
from people.models import Employee

PERMISSION = "handbook.publish_guidelineversion"
REASON_MAX_LENGTH = 1000


def _require(actor: Employee | None, version: GuidelineVersion) -> None:
    """An editor who may publish, for every guideline or for this version's."""
    if actor is None or not has_guideline_perm(
        user=actor, perm=PERMISSION, guideline=version.guideline
    ):
        raise PermissionDenied(_("You may not do this."))


def _log(
    version: GuidelineVersion, kind: str, actor: Employee | None, **details: object
) -> HandbookEvent:
    return HandbookEvent.objects.create(
        guideline_id=version.guideline_id,
        kind=kind,
        actor=actor,
        version_number=version.number,
        details=details,
    )


def _lock(version: GuidelineVersion) -> GuidelineVersion:
    """Lock the guideline, then read the version afresh."""
    Guideline.objects.select_for_update().filter(pk=version.guideline_id).first()
    return GuidelineVersion.objects.get(pk=version.pk)


def retirement_blockers(
    *, version: GuidelineVersion, today: datetime.date | None = None
) -> list[str]:
    """Why this version cannot be retired now, whoever asks; empty when it can."""
    if version.status != GuidelineVersion.Status.PUBLISHED:
        return [_("Only a published version can be retired.")]
    today = today or timezone.localdate()
    successor = (
        GuidelineVersion.objects.filter(
            guideline_id=version.guideline_id,
            status=GuidelineVersion.Status.PUBLISHED,
            effective_date__lte=today,
        )
        .exclude(pk=version.pk)
        .exists()
    )
    if not successor:
        return [
            _(
                "Version %(number)s cannot be retired: no other published version is in "
                "force, so staff would have nothing to sign. Publish the version that "
                "replaces it first, and retire this one once that has taken effect."
            )
            % {"number": version.number}
        ]
    return []


def open_request(*, version: GuidelineVersion) -> RetirementRequest | None:
    """The version's open retirement request, with who asked."""
    return (
        RetirementRequest.objects.select_related("requested_by")
        .filter(version=version, state=RetirementRequest.State.OPEN)
        .first()
    )


def may_confirm(*, request: RetirementRequest, actor: Employee) -> bool:
    return not settings.HANDBOOK_FOUR_EYES or request.requested_by_id != actor.pk


@transaction.atomic
def request_retirement(
    *, version: GuidelineVersion, actor: Employee, reason: str, today: datetime.date | None = None
) -> RetirementRequest:
    """Ask for a published version to be retired; another editor must confirm it."""
    _require(actor, version)
    version = _lock(version)
    reason = reason.strip()
    errors = retirement_blockers(version=version, today=today)
    if not reason:
        errors.append(_("Give the reason for retiring this version."))
    elif len(reason) > REASON_MAX_LENGTH:
        errors.append(
            _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX_LENGTH}
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request = RetirementRequest.objects.create(
                version=version, reason=reason, requested_by=actor, requested_at=timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Retiring this version has been requested already. Confirm or cancel that request.")
        ) from error
    # The reason is on the request; the audit trail holds no free text (it stays
    # append-only while personal data is erased), only the request's id.
    _log(version, HandbookEvent.Kind.RETIREMENT_REQUESTED, actor, request=request.pk)
    return request


def _open_request_of(version: GuidelineVersion, request_id: int) -> RetirementRequest:
    request = (
        RetirementRequest.objects.select_for_update()
        .filter(pk=request_id, version=version, state=RetirementRequest.State.OPEN)
        .first()
    )
    if request is None:
        raise ValidationError(_("This request to retire the version is no longer open."))
    return request


@transaction.atomic
def confirm_retirement(
    *,
    version: GuidelineVersion,
    request_id: int,
    actor: Employee,
    today: datetime.date | None = None,
) -> GuidelineVersion:
    """Confirm another editor's request: the version is retired."""
    _require(actor, version)
    version = _lock(version)
    request = _open_request_of(version, request_id)
    if not may_confirm(request=request, actor=actor):
        raise ValidationError(
            _("You asked to retire this version. Another editor must confirm it.")
        )
    blockers = retirement_blockers(version=version, today=today)
    if blockers:
        raise ValidationError(blockers)
    now = timezone.now()
    RetirementRequest.objects.filter(pk=request.pk).update(
        state=RetirementRequest.State.CONFIRMED, decided_by=actor, decided_at=now
    )
    retire_without_review(
        version=version,
        actor=actor,
        request=request.pk,
        requested_by=request.requested_by_id,
    )
    return GuidelineVersion.objects.get(pk=version.pk)


@transaction.atomic
def cancel_retirement(
    *, version: GuidelineVersion, request_id: int, actor: Employee
) -> RetirementRequest:
    """Withdraw an open request (the requester or another editor); nothing is retired."""
    _require(actor, version)
    version = _lock(version)
    request = _open_request_of(version, request_id)
    RetirementRequest.objects.filter(pk=request.pk).update(
        state=RetirementRequest.State.CANCELLED, decided_by=actor, decided_at=timezone.now()
    )
    _log(version, HandbookEvent.Kind.RETIREMENT_CANCELLED, actor, request=request.pk)
    request.refresh_from_db()
    return request


def retire_without_review(
    *, version: GuidelineVersion, actor: Employee | None, **details: object
) -> None:
    """Retire the version and log it, with no checks: only for confirm_retirement (and
    for tests and data fixes that need a retired version). Must run in a transaction."""
    updated = GuidelineVersion.objects.filter(
        pk=version.pk, status=GuidelineVersion.Status.PUBLISHED
    ).update(status=GuidelineVersion.Status.RETIRED, retired_at=timezone.now(), retired_by=actor)
    if not updated:
        raise ValidationError(_("Only a published version can be retired."))
    _log(version, HandbookEvent.Kind.RETIRED, actor, **details)
