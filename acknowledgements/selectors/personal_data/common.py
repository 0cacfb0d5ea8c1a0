"""What the personal-data categories of this package share: dates as the export
writes them, the retention texts that name a setting's value, and labels."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from people.models import Employee, StaffImport
from people.roles import Role
from portal import personal_data as register

_when = register.when
_day = register.day


def _name(employee: Employee | None) -> str | None:
    return employee.full_name if employee else None


def _kept_acknowledgements() -> str:
    return _(
        "%(years)s years after your employment ends (Selectielijst gemeenten 2020: "
        "personnel file); then erased."
    ) % {"years": settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT}


def _kept_tips_read() -> str:
    return _("%(years)s years after your employment ends; then removed.") % {
        "years": settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    }


def _kept_attempts() -> str:
    return _(
        "%(years)s years after the attempt (Selectielijst gemeenten 2020: internal "
        "training), longer only while an acknowledgement refers to it. Your answers "
        "per question are removed after %(days)s days."
    ) % {
        "years": settings.RETENTION_QUIZ_ATTEMPT_YEARS,
        "days": settings.QUIZ_ANSWER_RETENTION_DAYS,
    }


def _kept_security() -> str:
    return _("%(days)s days; then removed.") % {"days": settings.PORTAL_SECURITY_LOG_RETENTION_DAYS}


GROUND = register.STAFF_GROUND
ROLE_LABELS = {role.value: role.label for role in Role}
STAFF_IMPORT_MODES = dict(StaffImport.Mode.choices)
# The staff import logs the fields it changed by name: shown by their label.
EMPLOYEE_FIELDS = {
    field.name: capfirst(field.verbose_name) for field in Employee._meta.concrete_fields
}
