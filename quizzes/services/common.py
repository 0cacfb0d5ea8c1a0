"""What the quiz services share: the audit row and the permission check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from handbook.models import GuidelineVersion
from people.models import Employee
from quizzes.models import (
    QuizEvent,
)


def _log(
    kind: str,
    *,
    version: GuidelineVersion | None = None,
    actor: Employee | None = None,
    **details: object,
) -> QuizEvent:
    return QuizEvent.objects.create(kind=kind, version=version, actor=actor, details=details)


def _require(actor: Employee | None, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))
