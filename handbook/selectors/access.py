"""Which guideline a page is about, and what a user may do with it.

Every guideline has its own pages under /handreikingen/<short name>/. The rights on a
guideline come from a global role (the editor group edits every guideline) or from a
role an administrator granted on that guideline only (people.ObjectRoleGrant, read by
people.auth.object_roles): the editor of the privacy guideline edits that one alone.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from handbook.models import Guideline
from people.models import Employee
from people.roles import Role
from people.selectors import object_roles_of, objects_with_role


def guideline_by_slug(*, slug: str) -> Guideline | None:
    """The guideline with this short name, or None (the page answers 404)."""
    return Guideline.objects.filter(slug=slug).first()


def has_guideline_perm(*, user: Employee | AnonymousUser, perm: str, guideline: Guideline) -> bool:
    """Whether the user holds ``perm`` ("handbook.change_guidelineversion") for all
    guidelines or for this one.

    Someone who holds no role on any object is answered without asking the grants (the
    roles are read once per request anyway, for the menu), so that an employee's pages
    cost no extra query.
    """
    if user.has_perm(perm):
        return True
    if not object_roles_of(user=user):
        return False
    return user.has_perm(perm, guideline)


def editable_guidelines(*, user: Employee | AnonymousUser) -> QuerySet[Guideline]:
    """The guidelines this user edits: all of them for the editor role, otherwise those
    an administrator made them editor of (one query)."""
    if user.has_perm("handbook.change_guidelineversion"):
        return Guideline.objects.all()
    return objects_with_role(user=user, role=Role.EDITOR, model=Guideline)
