"""Roles and what each may do.

A role is a Django group with a fixed set of permissions (synchronised after every
migrate by :func:`sync_role_groups`), except "employee" (everyone) and "manager"
(whoever has reports), which follow from facts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR (P&O)")
    EDITOR = "editor", _("Communications editor")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# Group name per role that is granted (rather than following from facts).
GRANTED_ROLES = (Role.HR, Role.EDITOR, Role.AUDITOR, Role.ADMINISTRATOR)

# Roles whose members must pass two-factor authentication in every session. The auditor
# reads all staff data, the ledger and every report.
MFA_ROLES = (Role.HR, Role.EDITOR, Role.AUDITOR, Role.ADMINISTRATOR)

# Roles an administrator may also grant on one object only (people.ObjectRoleGrant): the
# editor of one guideline, the HR adviser of one part of the organisation.
OBJECT_ROLES = (Role.HR, Role.EDITOR)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HR: [
        "people.view_employee",
        "people.view_all_employees",
        "people.view_department",
        "people.import_staff",
        "handbook.view_guideline",
        "acknowledgements.view_ledger",
        "acknowledgements.view_acknowledgement",
        "acknowledgements.add_acknowledgement",
        "campaigns.view_campaign",
        "campaigns.manage_campaigns",
        "campaigns.view_campaign_dashboard",
        "reports.export_reports",
        "acknowledgements.view_destructionlist",
        "acknowledgements.propose_destruction",
        "acknowledgements.approve_destruction",
    ],
    Role.EDITOR: [
        "handbook.view_guideline",
        "handbook.add_guideline",
        "handbook.view_guidelineversion",
        "handbook.add_guidelineversion",
        "handbook.change_guidelineversion",
        "handbook.publish_guidelineversion",
        "handbook.view_draft_guidelineversion",
        "quizzes.view_question",
        "quizzes.add_question",
        "quizzes.change_question",
        "quizzes.manage_question_bank",
        "quizzes.view_quiz_statistics",
        "quizzes.view_quizsettings",
        "quizzes.change_quizsettings",
    ],
    Role.AUDITOR: [
        "people.view_employee",
        "people.view_all_employees",
        "people.view_department",
        "handbook.view_guideline",
        "handbook.view_guidelineversion",
        "handbook.view_handbookevent",
        "quizzes.view_quiz_statistics",
        "quizzes.view_quizevent",
        "acknowledgements.view_ledger",
        "acknowledgements.view_acknowledgement",
        "campaigns.view_campaign",
        "campaigns.view_campaign_dashboard",
        "reports.export_reports",
        "security.view_securityevent",
        "acknowledgements.view_destructionlist",
    ],
    Role.ADMINISTRATOR: [
        "people.view_employee",
        "people.add_employee",
        "people.change_employee",
        "people.view_all_employees",
        "people.view_department",
        "people.add_department",
        "people.change_department",
        "people.import_staff",
        "handbook.view_guideline",
        "handbook.change_guideline",
        "handbook.view_guidelineversion",
        "handbook.view_handbookevent",
        "handbook.view_draft_guidelineversion",
        "quizzes.view_question",
        "quizzes.view_quizsettings",
        "quizzes.view_quizevent",
        "acknowledgements.view_ledger",
        "acknowledgements.view_acknowledgement",
        "acknowledgements.view_ledgerentry",
        "campaigns.view_campaign",
        "campaigns.view_campaign_dashboard",
        "reports.export_reports",
        "security.view_securityevent",
    ],
}


# What an HR adviser of a part of the organisation (an HR role held on a department,
# people.ObjectRoleGrant) may do within that part: HR's work on people, campaigns and
# reports. The ledger, its export, the staff import and retention stay with central HR
# and the auditors: they are about everyone at once.
CENTRAL_HR_PERMISSIONS = (
    "acknowledgements.view_ledger",
    "people.import_staff",
    "acknowledgements.view_destructionlist",
    "acknowledgements.propose_destruction",
    "acknowledgements.approve_destruction",
)
SCOPED_HR_PERMISSIONS: list[str] = [
    perm for perm in ROLE_PERMISSIONS[Role.HR] if perm not in CENTRAL_HR_PERMISSIONS
]

# The permissions each role gives when held on one object (people.auth.object_roles).
OBJECT_ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HR: SCOPED_HR_PERMISSIONS,
    Role.EDITOR: ROLE_PERMISSIONS[Role.EDITOR],
}


def sync_role_groups(using: str = "default", **kwargs) -> None:
    """Create each role's group and give it exactly its permissions (idempotent).

    Runs after every migrate; creates all apps' permissions first, because the
    post_migrate order between apps is not ours to choose.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
