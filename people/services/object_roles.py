"""Roles on one object: granting and revoking (people.ObjectRoleGrant).

Only an administrator grants or revokes (``actor`` None: the command line, whose operator
has the database anyway), as with the roles themselves (people.services.grant_role).
Each grant and revocation is a security event (ROLE_GRANTED, ROLE_REMOVED) naming the
role and the object; a refused attempt is one too (PRIVILEGED_CHANGE_REFUSED).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from people.models import Employee, ObjectRoleGrant
from people.roles import OBJECT_ROLES, Role
from security.models import SecurityEvent
from security.services import record_event


def _details(role: str, target: models.Model) -> dict[str, object]:
    return {"role": role, "object": target._meta.label_lower, "object_id": target.pk}


def _check(*, actor: Employee | None, employee: Employee, role: str, target: models.Model) -> None:
    from people.selectors import has_role

    if role not in OBJECT_ROLES:
        raise ValueError(f"{role!r} cannot be granted on one object.")
    if target.pk is None:
        raise ValueError("A role is granted on a stored object.")
    if actor is not None and not has_role(user=actor, role=Role.ADMINISTRATOR):
        # Logged before the grant's transaction begins, so that the refusal stays in the
        # log (unless the caller's own transaction is rolled back).
        record_event(
            kind=SecurityEvent.Kind.PRIVILEGED_CHANGE_REFUSED,
            actor=actor,
            subject=employee,
            details={"action": "object_role", **_details(role, target)},
        )
        raise PermissionDenied(_("Only an administrator may grant roles."))


def _forget_roles(employee: Employee) -> None:
    employee.__dict__.pop("_portal_roles", None)
    employee.__dict__.pop("_portal_object_roles", None)
    employee.__dict__.pop("_portal_scopes", None)


def grant_object_role(
    *, actor: Employee | None, employee: Employee, role: str, target: models.Model
) -> ObjectRoleGrant:
    """Give ``employee`` the ``role`` on ``target`` alone. Granting it again changes
    nothing (and logs nothing)."""
    _check(actor=actor, employee=employee, role=role, target=target)
    with transaction.atomic():
        return _grant(actor=actor, employee=employee, role=role, target=target)


def _grant(
    *, actor: Employee | None, employee: Employee, role: str, target: models.Model
) -> ObjectRoleGrant:
    grant, created = ObjectRoleGrant.objects.get_or_create(
        employee=employee,
        role=role,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=target.pk,
        defaults={"granted_by": actor},
    )
    _forget_roles(employee)
    if created:
        record_event(
            kind=SecurityEvent.Kind.ROLE_GRANTED,
            actor=actor,
            subject=employee,
            details=_details(role, target),
        )
    return grant


def revoke_object_role(
    *, actor: Employee | None, employee: Employee, role: str, target: models.Model
) -> bool:
    """Take the ``role`` on ``target`` from ``employee``; it stops at once (no cache).
    False when there was none to take."""
    _check(actor=actor, employee=employee, role=role, target=target)
    with transaction.atomic():
        return _revoke(actor=actor, employee=employee, role=role, target=target)


def _revoke(*, actor: Employee | None, employee: Employee, role: str, target: models.Model) -> bool:
    deleted, _per_model = ObjectRoleGrant.objects.filter(
        employee=employee,
        role=role,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=target.pk,
    ).delete()
    _forget_roles(employee)
    if deleted:
        record_event(
            kind=SecurityEvent.Kind.ROLE_REMOVED,
            actor=actor,
            subject=employee,
            details=_details(role, target),
        )
    return bool(deleted)
