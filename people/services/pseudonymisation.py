"""The end of a leaver's retention period: their employee row pseudonymised.

The row itself stays: the ledger's entries, the campaigns' assignments (kept as anonymous
figures) and the audit trails refer to it by key. What names the person goes: the
names become a fixed marker, the e-mail address a unique address that cannot be
delivered (``.invalid``, RFC 2606), the employee number and job title are cleared, the
account can no longer log in (no password, not active, no roles, no second factor, no
single sign-on link, no open session), and the person's e-mail addresses, invitations
and mentions in the staff import's log are removed. Called by the carry-out of an
approved destruction list (acknowledgements.services.destruction), in its transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from people.models import Employee, Invitation, ObjectRoleGrant, StaffImport
from people.services.sessions import end_sessions_of

# What stands where a name was, in every language: a marker, not a word to translate.
REMOVED = "[verwijderd]"
# The domain of pseudonymised e-mail addresses: reserved, never delivered (RFC 2606).
PSEUDONYM_DOMAIN = "verwijderd.invalid"


def pseudonym_email(*, employee_id: int) -> str:
    """The undeliverable, unique address a pseudonymised employee keeps."""
    return f"verwijderd-{employee_id}@{PSEUDONYM_DOMAIN}"


def is_pseudonymised(*, employee: Employee) -> bool:
    return employee.email == pseudonym_email(employee_id=employee.pk)


def pseudonymised_q() -> Q:
    """The pseudonymised employees, as a filter on Employee."""
    return Q(email__endswith=f"@{PSEUDONYM_DOMAIN}")


def _scrub(value: Any, *, numbers: set[str], names: set[str]) -> Any:
    """``value`` (a staff import's logged changes or problems) without these people:
    an entry naming one of the numbers loses its number and name, and any text that
    contains a name or number has it replaced by the marker."""
    if isinstance(value, dict):
        if str(value.get("number", "")) in numbers:
            value = {**value, "number": "", "name": REMOVED}
        return {key: _scrub(item, numbers=numbers, names=names) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, numbers=numbers, names=names) for item in value]
    if isinstance(value, str):
        for word in sorted(numbers | names, key=len, reverse=True):
            value = value.replace(word, REMOVED)
        return value
    return value


def scrub_staff_imports(*, employees: list[Employee]) -> int:
    """Remove these people's names and numbers from the staff import's logs; returns
    how many log rows changed. Read before the rows are pseudonymised."""
    numbers = {e.employee_number for e in employees if e.employee_number}
    names = {e.full_name for e in employees if e.full_name and e.full_name != REMOVED}
    if not numbers and not names:
        return 0
    changed = 0
    for log in StaffImport.objects.only("pk", "changes", "problems").iterator(chunk_size=200):
        changes = _scrub(log.changes, numbers=numbers, names=names)
        problems = _scrub(log.problems, numbers=numbers, names=names)
        if changes != log.changes or problems != log.problems:
            StaffImport.objects.filter(pk=log.pk).update(changes=changes, problems=problems)
            changed += 1
    return changed


def pseudonymise_employees(*, employees: list[Employee], now: datetime.datetime) -> int:
    """Pseudonymise these employees (see the module); returns how many. The caller
    holds the transaction. Idempotent: a pseudonymised row stays as it is."""
    todo = [e for e in employees if not is_pseudonymised(employee=e)]
    if not todo:
        return 0
    scrub_staff_imports(employees=todo)
    ids = [e.pk for e in todo]
    Invitation.objects.filter(employee_id__in=ids).delete()
    EmailAddress.objects.filter(user_id__in=ids).delete()
    Authenticator.objects.filter(user_id__in=ids).delete()
    SocialAccount.objects.filter(user_id__in=ids).delete()
    ObjectRoleGrant.objects.filter(employee_id__in=ids).delete()
    for employee in todo:
        # The relations through the model itself: the roles' removal is logged.
        employee.groups.clear()
        employee.user_permissions.clear()
        Employee.objects.filter(pk=employee.pk).update(
            first_name=REMOVED,
            name_prefix="",
            last_name=REMOVED,
            email=pseudonym_email(employee_id=employee.pk),
            employee_number=None,
            job_title="",
            manager=None,
            password=make_password(None),  # unusable: no log-in with a password
            is_active=False,
            is_staff=False,
            is_superuser=False,
            last_login=None,
        )
    end_sessions_of(employee_ids=ids)
    return len(todo)


def pseudonymise_employee(*, employee: Employee, now: datetime.datetime) -> bool:
    """Pseudonymise one employee; True when the row changed (False: it already was)."""
    changed = pseudonymise_employees(employees=[employee], now=now) == 1
    employee.refresh_from_db()
    return changed
