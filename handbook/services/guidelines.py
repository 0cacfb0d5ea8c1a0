"""Creating a guideline and choosing whom it applies to (its audience).

A new guideline starts with draft version 1 (through create_draft, so it is made and
logged like every other draft); its text is written and published as for any version.
Creating one needs the global permission handbook.add_guideline (the editor role; an
editor of one guideline cannot create others); changing the audience the one
update_draft needs, for every guideline or for this one.

Events hold no free text (see migration 0004): the short name, the audience kind,
department ids and role names only.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from handbook.models import AudienceDepartment, AudienceRole, Guideline, HandbookEvent
from handbook.services import _log, _require, create_draft
from people.models import Department, Employee
from people.roles import Role

CREATE_PERMISSION = "handbook.add_guideline"
CHANGE_PERMISSION = "handbook.change_guidelineversion"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 80
# Short names the addresses under /handreikingen/ use for pages of their own
# (handbook.urls): no guideline may take them.
RESERVED_SLUGS = frozenset({"redactie", "nieuw"})


@dataclass(frozen=True)
class DepartmentInAudience:
    """A department chosen for the audience, with or without its sub-departments."""

    department: Department
    include_subdepartments: bool = True


def _clean_audience(
    audience: str, departments: Sequence[DepartmentInAudience], roles: Collection[str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if audience not in Guideline.Audience.values:
        errors["audience"] = [_("Choose who the guideline applies to.")]
    elif audience == Guideline.Audience.DEPARTMENTS and not departments:
        errors["departments"] = [_("Choose at least one department.")]
    elif audience == Guideline.Audience.ROLES and not roles:
        errors["roles"] = [_("Choose at least one role.")]
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        errors["roles"] = [_("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}]
    pks = [choice.department.pk for choice in departments]
    if len(set(pks)) != len(pks):
        errors["departments"] = [_("Choose each department once.")]
    return errors


def _write_audience(
    guideline: Guideline,
    audience: str,
    departments: Sequence[DepartmentInAudience],
    roles: Collection[str],
) -> dict[str, object]:
    """Replace the guideline's audience; returns it for the event's details."""
    if audience != Guideline.Audience.DEPARTMENTS:
        departments = ()
    if audience != Guideline.Audience.ROLES:
        roles = ()
    Guideline.objects.filter(pk=guideline.pk).update(audience=audience)
    guideline.audience = audience
    guideline.audience_departments.all().delete()
    guideline.audience_roles.all().delete()
    AudienceDepartment.objects.bulk_create(
        AudienceDepartment(
            guideline=guideline,
            department=choice.department,
            include_subdepartments=choice.include_subdepartments,
        )
        for choice in departments
    )
    AudienceRole.objects.bulk_create(
        AudienceRole(guideline=guideline, role=role) for role in sorted(set(roles))
    )
    return {
        "audience": audience,
        "departments": [
            [choice.department.pk, choice.include_subdepartments] for choice in departments
        ],
        "roles": sorted(set(roles)),
    }


@transaction.atomic
def create_guideline(
    *,
    actor: Employee | None,
    slug: str,
    title: str,
    title_en: str = "",
    owner: Employee | None = None,
    review_date: datetime.date | None = None,
    audience: str = Guideline.Audience.EVERYONE,
    departments: Sequence[DepartmentInAudience] = (),
    roles: Collection[str] = (),
    introduction: str = "",
    introduction_en: str = "",
) -> Guideline:
    """Create a guideline with its audience and its first draft (version 1, holding the
    introduction; tips are added with update_draft)."""
    if actor is not None and not actor.has_perm(CREATE_PERMISSION):
        # For every guideline only: an editor of one guideline cannot start another.
        raise PermissionDenied(_("You may not do this."))
    slug = slug.strip()
    errors = _clean_audience(audience, departments, roles)
    if not SLUG_PATTERN.fullmatch(slug):
        errors["slug"] = [_("Use only lower-case letters, digits and hyphens in the short name.")]
    elif len(slug) > SLUG_MAX_LENGTH:
        errors["slug"] = [
            _("Keep the short name under %(count)s characters.") % {"count": SLUG_MAX_LENGTH}
        ]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [
            _("The portal uses the short name “%(slug)s” for a page of its own. Choose another.")
            % {"slug": slug}
        ]
    elif Guideline.objects.filter(slug__iexact=slug).exists():
        errors["slug"] = [_("There is already a guideline with this short name.")]
    if not title.strip():
        errors["title"] = [_("Fill in the title.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            guideline = Guideline.objects.create(
                slug=slug,
                title=title.strip(),
                title_en=title_en.strip(),
                owner=owner,
                review_date=review_date,
            )
    except IntegrityError:  # created at the same moment by someone else
        raise ValidationError(
            {"slug": [_("There is already a guideline with this short name.")]}
        ) from None
    chosen = _write_audience(guideline, audience, departments, roles)
    _log(guideline, HandbookEvent.Kind.GUIDELINE_CREATED, actor, 1, slug=slug, **chosen)
    draft = create_draft(guideline=guideline, actor=actor)
    draft.title_en = guideline.title_en
    draft.introduction = introduction.strip()
    draft.introduction_en = introduction_en.strip()
    draft.save(update_fields=["title_en", "introduction", "introduction_en"])
    return guideline


@transaction.atomic
def update_guideline_audience(
    *,
    guideline: Guideline,
    actor: Employee | None,
    audience: str,
    departments: Sequence[DepartmentInAudience] = (),
    roles: Collection[str] = (),
) -> Guideline:
    """Replace whom the guideline applies to; logged with the old and the new audience."""
    _require(actor, CHANGE_PERMISSION, guideline)
    errors = _clean_audience(audience, departments, roles)
    if errors:
        raise ValidationError(errors)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    before = {
        "audience": guideline.audience,
        "departments": [
            [row.department_id, row.include_subdepartments]
            for row in guideline.audience_departments.order_by("pk")
        ],
        "roles": sorted(guideline.audience_roles.values_list("role", flat=True)),
    }
    after = _write_audience(guideline, audience, departments, roles)
    _log(guideline, HandbookEvent.Kind.AUDIENCE_CHANGED, actor, before=before, after=after)
    return guideline
