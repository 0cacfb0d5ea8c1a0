"""Privileged accounts in the staff import: the escalation path it must never open.

HR may import staff and can read everyone's employee number. A row that gave an
administrator an address HR reads would let HR reset that password and log in at the
admin site. So the import never changes the e-mail address of a privileged account
(anyone holding a granted role: HR, editor, auditor, administrator; or ``is_staff`` /
``is_superuser``) and never lets one back in (reactivation); it has no columns for
passwords or roles at all. Every other change applies. A privileged leaver *is*
deactivated (closing access is always safe), and the administrators are told.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from people.models import Employee
from people.roles import GRANTED_ROLES, Role

# The fields the import leaves alone on a privileged account ("is_active": only the way
# back in; deactivating one still happens).
PROTECTED_FIELDS = ("email", "is_active")
STAFF = "is_staff"
SUPERUSER = "is_superuser"


def privileged_accounts(existing: list[Employee]) -> dict[int, list[str]]:
    """Per privileged account (pk): what makes it privileged (role names, ``is_staff``,
    ``is_superuser``). One query, whatever the number of employees."""
    reasons: dict[int, list[str]] = {}
    memberships = (
        Employee.groups.through.objects.filter(group__name__in=GRANTED_ROLES)
        .order_by("group__name")
        .values_list("employee_id", "group__name")
    )
    for pk, role in memberships:
        reasons.setdefault(pk, []).append(role)
    for employee in existing:
        for flag in (STAFF, SUPERUSER):
            if getattr(employee, flag):
                reasons.setdefault(employee.pk, []).append(flag)
    return reasons


def reason_labels(reasons: list[str]) -> str:
    """The reasons in words: "Administrator, admin site access"."""
    labels = []
    for reason in reasons:
        if reason == STAFF:
            labels.append(_("admin site access"))
        elif reason == SUPERUSER:
            labels.append(_("superuser"))
        elif reason in Role.values:
            labels.append(str(Role(reason).label))
    return ", ".join(labels)


def why_left_alone(reasons: list[str]) -> str:
    return _(
        "This account has a privileged role (%(roles)s). The import never changes the "
        "e-mail address, password or roles of such an account and never reactivates it, "
        "so that nobody can take it over through the HR file. An administrator changes "
        "these in the admin site."
    ) % {"roles": reason_labels(reasons)}
