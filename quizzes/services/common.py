"""What the quiz services share: the audit row and the permission check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from handbook.models import GuidelineVersion
from handbook.selectors.access import has_guideline_perm
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


def _require(actor: Employee | None, permission: str, *, version: GuidelineVersion) -> None:
    """The actor holds the permission for the version's guideline: for every guideline,
    or for this one (an editor of one guideline changes no other's quiz). No actor: a
    command or the system, which may."""
    if actor is not None and not has_guideline_perm(
        user=actor, perm=permission, guideline=version.guideline
    ):
        raise PermissionDenied(_("You may not do this."))
