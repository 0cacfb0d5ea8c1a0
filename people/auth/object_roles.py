"""The authentication backend for roles on one object (people.ObjectRoleGrant).

``user.has_perm("handbook.change_guidelineversion", guideline)`` is true when the
active user holds, on that very object, a role whose permissions
(people.roles.OBJECT_ROLE_PERMISSIONS) include it. It answers only questions about an object:
without one it grants nothing, so the global permissions stay the groups' (Django's
ModelBackend, which for its part answers no question about an object). Nothing is
cached on the user, so a revoked grant stops at the next check.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.contrib.contenttypes.models import ContentType
from django.db import models

from people.models import ObjectRoleGrant
from people.roles import OBJECT_ROLE_PERMISSIONS


class ObjectRoleBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None  # It checks rights, never who someone is.

    def get_all_permissions(self, user_obj, obj: models.Model | None = None) -> set[str]:
        if obj is None or obj.pk is None:
            return set()
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        roles = ObjectRoleGrant.objects.filter(
            employee_id=user_obj.pk,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        ).values_list("role", flat=True)
        return {perm for role in roles for perm in OBJECT_ROLE_PERMISSIONS.get(role, ())}

    def get_user_permissions(self, user_obj, obj: models.Model | None = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm: str, obj: models.Model | None = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
