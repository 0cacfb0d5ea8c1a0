"""The categories about the person and their account: profile, roles, how they log in,
invitations and the staff imports that changed them."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from acknowledgements.selectors.personal_data.common import (
    _L,
    EMPLOYEE_FIELDS,
    GROUND,
    ROLE_LABELS,
    STAFF_IMPORT_MODES,
    _day,
    _name,
    _when,
)
from handbook.models import (
    Guideline,
)
from people.models import Department, Employee, Invitation, ObjectRoleGrant, StaffImport
from people.selectors import roles_of
from portal import personal_data as register


def _profile(employee: Employee) -> dict[str, Any]:
    department = employee.department
    codes = [code for code in (department.path if department else "").split("/") if code]
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "employee_number": employee.employee_number,
        "first_name": employee.first_name,
        "name_prefix": employee.name_prefix,
        "last_name": employee.last_name,
        "email": employee.email,
        "job_title": employee.job_title,
        "department": [names.get(code, code) for code in codes],
        "manager": employee.manager.full_name if employee.manager else None,
        "start_date": _day(employee.start_date),
        "end_date": _day(employee.end_date),
        "preferred_language": employee.preferred_language,
        "active": employee.is_active,
        "account_created": _when(employee.date_joined),
        "last_login": _when(employee.last_login),
    }


def _roles(employee: Employee) -> list[str]:
    granted = employee.user_permissions.order_by().values_list(
        "content_type__app_label", "codename"
    )
    direct = [f"{app}.{codename}" for app, codename in granted]
    return sorted(str(role) for role in roles_of(user=employee)) + sorted(direct)


def _object_roles(employee: Employee) -> list[dict[str, Any]]:
    grants = (
        ObjectRoleGrant.objects.filter(employee=employee)
        .select_related("content_type", "granted_by")
        .annotate(
            department_name=Subquery(
                Department.objects.filter(pk=OuterRef("object_id")).values("name")[:1]
            ),
            guideline_title=Subquery(
                Guideline.objects.filter(pk=OuterRef("object_id")).values("title")[:1]
            ),
        )
        .order_by("granted_at", "pk")
    )
    named = {"department": "department_name", "guideline": "guideline_title"}
    return [
        {
            "role": grant.role,
            "on": (
                getattr(grant, named[grant.content_type.model])
                if grant.content_type.model in named
                else f"{grant.content_type.model} {grant.object_id}"
            ),
            "granted_by": _name(grant.granted_by),
            "granted_at": _when(grant.granted_at),
        }
        for grant in grants
    ]


def _sign_in(employee: Employee) -> dict[str, Any]:
    addresses = EmailAddress.objects.filter(user=employee).order_by("pk")
    factors = Authenticator.objects.filter(user=employee).order_by("created_at", "pk")
    accounts = SocialAccount.objects.filter(user=employee).order_by("pk")
    return {
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "second_factors": [
            {
                "kind": factor.type,
                "created_at": _when(factor.created_at),
                "last_used_at": _when(factor.last_used_at),
            }
            for factor in factors
        ],
        "single_sign_on": [
            {
                "provider": account.provider,
                "identifier": account.uid,
                "last_login": _when(account.last_login),
                "linked_at": _when(account.date_joined),
            }
            for account in accounts
        ],
    }


def _invitations(employee: Employee) -> list[dict[str, Any]]:
    invitations = Invitation.objects.filter(employee=employee).order_by("created_at", "pk")
    return [
        {
            "status": invitation.status,
            "created_at": _when(invitation.created_at),
            "sent_at": _when(invitation.sent_at),
            "attempts": invitation.attempts,
        }
        for invitation in invitations
    ]


def _mentions(log: StaffImport, number: str) -> list[dict[str, Any]]:
    """What the import's log says about the person with ``number``."""
    found = []
    for kind, entries in (log.changes or {}).items():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and str(entry.get("number", "")) == number:
                found.append({"change": kind, "fields": list(entry.get("fields") or [])})
    return found


def _staff_imports(employee: Employee) -> dict[str, Any]:
    number = employee.employee_number or ""
    # The log names people by employee number inside its JSON: a text search narrows
    # it down in the database (one query, both databases), the exact check is here.
    mentioning = Q(pk__in=[])
    if number:
        mentioning = Q(changes_text__contains=f'"{number}"')
    logs = (
        StaffImport.objects.annotate(changes_text=Cast("changes", CharField()))
        .filter(mentioning | Q(imported_by=employee))
        .order_by("created_at", "pk")
    )
    changed_you, run_by_you = [], []
    for log in logs:
        mentions = _mentions(log, number) if number else []
        if mentions:
            changed_you.append(
                {
                    "at": _when(log.created_at),
                    "file": log.filename,
                    "mode": log.mode,
                    "changes": mentions,
                }
            )
        if log.imported_by_id == employee.pk:
            run_by_you.append(
                {
                    "at": _when(log.created_at),
                    "file": log.filename,
                    "mode": log.mode,
                    "new": log.new_count,
                    "changed": log.changed_count,
                    "leaving": log.leaving_count,
                }
            )
    return {"about_you": changed_you, "run_by_you": run_by_you}


CATEGORIES = (
    register.Category(
        key="profile",
        order=10,
        label=_L("Your profile"),
        contains=_L(
            "Employee number, name, e-mail address, job title, department, manager, start "
            "and end date, language, whether your account is active, when it was created "
            "and when you last logged in."
        ),
        why=_L("Your account: to log in and to know which guideline applies to you."),
        legal_ground=GROUND,
        kept_for=_L("As long as you are employed, then as long as your records are."),
        models=("people.Employee",),
        collect=_profile,
        labels={
            "employee_number": _L("Employee number"),
            "first_name": _L("First name"),
            "name_prefix": _L("Name prefix"),
            "last_name": _L("Last name"),
            "email": _L("E-mail address"),
            "job_title": _L("Job title"),
            "department": _L("Department"),
            "manager": _L("Manager"),
            "start_date": _L("Start date"),
            "end_date": _L("End date"),
            "preferred_language": _L("Language"),
            "active": _L("Account active"),
            "account_created": _L("Account created"),
            "last_login": _L("Last logged in"),
        },
        choices={"preferred_language": register.LANGUAGES},
    ),
    register.Category(
        key="roles",
        order=20,
        label=_L("Your roles"),
        contains=_L("The roles you hold in the portal, and any permission given to you directly."),
        why=_L("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=_L("As long as you hold the role."),
        models=("people.Employee_groups", "people.Employee_user_permissions"),
        collect=_roles,
        choices={"roles": ROLE_LABELS},
    ),
    register.Category(
        key="object_roles",
        order=25,
        label=_L("Your roles on one part"),
        contains=_L(
            "Roles you hold on one department or one guideline only (such as HR adviser of "
            "a directorate), who gave them and when."
        ),
        why=_L("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=_L("As long as you hold the role."),
        models=("people.ObjectRoleGrant",),
        collect=_object_roles,
        labels={
            "role": _L("Role"),
            "on": _L("On"),
            "granted_by": _L("Given by"),
            "granted_at": _L("Given at"),
        },
        choices={"role": ROLE_LABELS},
    ),
    register.Category(
        key="sign_in",
        order=30,
        label=_L("How you log in"),
        contains=_L(
            "Your e-mail addresses for logging in, your second factors (kind and when "
            "used; never their secrets) and the link with the municipality's single "
            "sign-on."
        ),
        why=_L("To let you log in safely, and only you."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"),
        collect=_sign_in,
        labels={
            "email_addresses": _L("E-mail addresses"),
            "email": _L("E-mail address"),
            "verified": _L("Confirmed"),
            "primary": _L("Main address"),
            "second_factors": _L("Second factors"),
            "last_used_at": _L("Last used at"),
            "single_sign_on": _L("Single sign-on"),
            "provider": _L("Provider"),
            "identifier": _L("Your identifier there"),
            "last_login": _L("Last logged in"),
            "linked_at": _L("Linked at"),
        },
        choices={
            "kind": {
                "totp": _L("Authenticator app"),
                "recovery_codes": _L("Recovery codes"),
                "webauthn": _L("Security key"),
            }
        },
    ),
    register.Category(
        key="invitations",
        order=35,
        label=_L("Invitations"),
        contains=_L("The welcome e-mails the portal sent you to set a password."),
        why=_L("To let new staff start using the portal."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("people.Invitation",),
        collect=_invitations,
        labels={"attempts": _L("Attempts")},
        choices={"status": dict(Invitation.Status.choices)},
    ),
    register.Category(
        key="staff_imports",
        order=40,
        label=_L("Imports from the HR system"),
        contains=_L(
            "The imports of staff data from the HR system that added or changed you, with "
            "the fields that changed; and the imports you ran."
        ),
        why=_L("To keep the list of staff the same as the HR system's, and to show how."),
        legal_ground=GROUND,
        kept_for=_L("As long as your account exists."),
        models=("people.StaffImport",),
        collect=_staff_imports,
        labels={
            "about_you": _L("About you"),
            "run_by_you": _L("Run by you"),
            "file": _L("File"),
            "mode": _L("Mode"),
            "changes": _L("Changes"),
            "change": _L("Change"),
            "fields": _L("Fields"),
            "new": _L("New"),
            "changed": _L("Changed"),
            "leaving": _L("Leaving"),
        },
        choices={
            "mode": STAFF_IMPORT_MODES,
            "fields": EMPLOYEE_FIELDS,
            "change": {
                "new": _L("New"),
                "changed": _L("Changed"),
                "leaving": _L("Leaving"),
                "reactivated": _L("Back again"),
                "left_alone": _L("Left alone (privileged account)"),
            },
        },
    ),
)
