"""The categories about the person and their account: profile, roles, how they log in,
invitations and the staff imports that changed them."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from acknowledgements.selectors.personal_data.common import (
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
        label=gettext_lazy("Your profile"),
        contains=gettext_lazy(
            "Employee number, name, e-mail address, job title, department, manager, start "
            "and end date, language, whether your account is active, when it was created "
            "and when you last logged in."
        ),
        why=gettext_lazy("Your account: to log in and to know which guideline applies to you."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as you are employed, then as long as your records are."),
        models=("people.Employee",),
        collect=_profile,
        labels={
            "employee_number": gettext_lazy("Employee number"),
            "first_name": gettext_lazy("First name"),
            "name_prefix": gettext_lazy("Name prefix"),
            "last_name": gettext_lazy("Last name"),
            "email": gettext_lazy("E-mail address"),
            "job_title": gettext_lazy("Job title"),
            "department": gettext_lazy("Department"),
            "manager": gettext_lazy("Manager"),
            "start_date": gettext_lazy("Start date"),
            "end_date": gettext_lazy("End date"),
            "preferred_language": gettext_lazy("Language"),
            "active": gettext_lazy("Account active"),
            "account_created": gettext_lazy("Account created"),
            "last_login": gettext_lazy("Last logged in"),
        },
        choices={"preferred_language": register.LANGUAGES},
    ),
    register.Category(
        key="roles",
        order=20,
        label=gettext_lazy("Your roles"),
        contains=gettext_lazy(
            "The roles you hold in the portal, and any permission given to you directly."
        ),
        why=gettext_lazy("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as you hold the role."),
        models=("people.Employee_groups", "people.Employee_user_permissions"),
        collect=_roles,
        choices={"roles": ROLE_LABELS},
    ),
    register.Category(
        key="object_roles",
        order=25,
        label=gettext_lazy("Your roles on one part"),
        contains=gettext_lazy(
            "Roles you hold on one department or one guideline only (such as HR adviser of "
            "a directorate), who gave them and when."
        ),
        why=gettext_lazy("To give you the pages and actions your work needs, and no others."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as you hold the role."),
        models=("people.ObjectRoleGrant",),
        collect=_object_roles,
        labels={
            "role": gettext_lazy("Role"),
            "on": gettext_lazy("On"),
            "granted_by": gettext_lazy("Given by"),
            "granted_at": gettext_lazy("Given at"),
        },
        choices={"role": ROLE_LABELS},
    ),
    register.Category(
        key="sign_in",
        order=30,
        label=gettext_lazy("How you log in"),
        contains=gettext_lazy(
            "Your e-mail addresses for logging in, your second factors (kind and when "
            "used; never their secrets) and the link with the municipality's single "
            "sign-on."
        ),
        why=gettext_lazy("To let you log in safely, and only you."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as your account exists."),
        models=("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"),
        collect=_sign_in,
        labels={
            "email_addresses": gettext_lazy("E-mail addresses"),
            "email": gettext_lazy("E-mail address"),
            "verified": gettext_lazy("Confirmed"),
            "primary": gettext_lazy("Main address"),
            "second_factors": gettext_lazy("Second factors"),
            "last_used_at": gettext_lazy("Last used at"),
            "single_sign_on": gettext_lazy("Single sign-on"),
            "provider": gettext_lazy("Provider"),
            "identifier": gettext_lazy("Your identifier there"),
            "last_login": gettext_lazy("Last logged in"),
            "linked_at": gettext_lazy("Linked at"),
        },
        choices={
            "kind": {
                "totp": gettext_lazy("Authenticator app"),
                "recovery_codes": gettext_lazy("Recovery codes"),
                "webauthn": gettext_lazy("Security key"),
            }
        },
    ),
    register.Category(
        key="invitations",
        order=35,
        label=gettext_lazy("Invitations"),
        contains=gettext_lazy("The welcome e-mails the portal sent you to set a password."),
        why=gettext_lazy("To let new staff start using the portal."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as your account exists."),
        models=("people.Invitation",),
        collect=_invitations,
        labels={"attempts": gettext_lazy("Attempts")},
        choices={"status": dict(Invitation.Status.choices)},
    ),
    register.Category(
        key="staff_imports",
        order=40,
        label=gettext_lazy("Imports from the HR system"),
        contains=gettext_lazy(
            "The imports of staff data from the HR system that added or changed you, with "
            "the fields that changed; and the imports you ran."
        ),
        why=gettext_lazy("To keep the list of staff the same as the HR system's, and to show how."),
        legal_ground=GROUND,
        kept_for=gettext_lazy("As long as your account exists."),
        models=("people.StaffImport",),
        collect=_staff_imports,
        labels={
            "about_you": gettext_lazy("About you"),
            "run_by_you": gettext_lazy("Run by you"),
            "file": gettext_lazy("File"),
            "mode": gettext_lazy("Mode"),
            "changes": gettext_lazy("Changes"),
            "change": gettext_lazy("Change"),
            "fields": gettext_lazy("Fields"),
            "new": gettext_lazy("New"),
            "changed": gettext_lazy("Changed"),
            "leaving": gettext_lazy("Leaving"),
        },
        choices={
            "mode": STAFF_IMPORT_MODES,
            "fields": EMPLOYEE_FIELDS,
            "change": {
                "new": gettext_lazy("New"),
                "changed": gettext_lazy("Changed"),
                "leaving": gettext_lazy("Leaving"),
                "reactivated": gettext_lazy("Back again"),
                "left_alone": gettext_lazy("Left alone (privileged account)"),
            },
        },
    ),
)
