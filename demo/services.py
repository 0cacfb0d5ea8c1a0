"""``seed_demo``: build (or complete) the demo "Gemeente Voorbeeldstad" in this database.

The one writing entry point of the demo app (``manage.py seed_demo``); the other apps'
data is made through their own services. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction

from demo.campaigns import seed_demo_campaigns
from demo.handbook import VERSION_ONE_IN_FORCE, create_demo_draft, ensure_tip_topics
from demo.organisation import (
    DEMO_ACCOUNTS,
    ensure_department_roles,
    ensure_departments,
    ensure_employees,
    ensure_roles,
)
from demo.quizzes import seed_demo_attempts
from demo.second_guideline import SLUG as SECOND_GUIDELINE
from demo.second_guideline import ensure_second_guideline
from demo.totp import ensure_totp
from handbook.models import Guideline
from handbook.selectors import DEFAULT_GUIDELINE_SLUG, current_version, default_guideline
from people.models import Employee


@dataclass
class SeedReport:
    departments_created: int = 0
    employees_created: int = 0
    draft_created: bool = False
    second_guideline_created: bool = False
    quiz_attempts_created: int = 0
    assignments_created: int = 0
    totp_secrets: dict[str, str] = field(default_factory=dict)


# The demo account that signed the social-media guideline in last year's round and
# must sign it again in this year's (the other accounts have signed nothing).
SIGNS_AGAIN = "leidinggevende@voorbeeldstad.nl"

# The demo account that edits the second guideline only.
SECOND_GUIDELINE_EDITOR = next(a.email for a in DEMO_ACCOUNTS if a.guideline == SECOND_GUIDELINE)


@transaction.atomic
def seed_demo() -> SeedReport:
    """Build (or complete) the demo organisation, accounts, draft version 2 of the
    social-media guideline and the second guideline (demo text)."""
    report = SeedReport()
    call_command(
        "load_handbook",
        effective_date=VERSION_ONE_IN_FORCE,
        verbosity=0,
        stdout=io.StringIO(),
    )
    ensure_tip_topics()  # before the draft, which takes them over
    departments, report.departments_created = ensure_departments()
    report.employees_created = ensure_employees(departments)
    ensure_roles()
    ensure_department_roles(
        administrator=Employee.objects.get(email__iexact="beheerder@voorbeeldstad.nl")
    )

    for account in DEMO_ACCOUNTS:
        if account.uses_totp:
            employee = Employee.objects.get(email__iexact=account.email)
            report.totp_secrets[account.email] = ensure_totp(employee)

    # Fresh objects: permissions are cached per user object.
    editor = Employee.objects.get(email__iexact="redacteur@voorbeeldstad.nl")
    Guideline.objects.filter(slug=DEFAULT_GUIDELINE_SLUG, owner__isnull=True).update(owner=editor)
    report.draft_created = create_demo_draft(editor=editor) is not None
    report.second_guideline_created = ensure_second_guideline(
        author=editor,
        publisher=Employee.objects.get(email__iexact="redacteur2@voorbeeldstad.nl"),
        administrator=Employee.objects.get(email__iexact="beheerder@voorbeeldstad.nl"),
        editor=Employee.objects.get(email__iexact=SECOND_GUIDELINE_EDITOR),
    )
    report.quiz_attempts_created = _ensure_quiz_attempts()
    report.assignments_created = _ensure_campaign()
    return report


def _ensure_campaign() -> int:
    """Last year's round and this year's running one, launched by the demo HR account."""
    guideline = default_guideline()
    assert guideline is not None  # load_handbook ran first
    return seed_demo_campaigns(
        hr=Employee.objects.get(email__iexact="hr@voorbeeldstad.nl"),
        version=current_version(guideline=guideline),
        keep_unsigned=[account.email for account in DEMO_ACCOUNTS if account.email != SIGNS_AGAIN],
        signs_again=SIGNS_AGAIN,
    )


def _ensure_quiz_attempts() -> int:
    """Finished quiz attempts of most staff, for the statistics pages. The demo accounts
    themselves are left without, so that they can take the quiz fresh."""
    call_command("load_quiz_bank", verbosity=0, stdout=io.StringIO())
    guideline = default_guideline()
    assert guideline is not None  # load_handbook ran first
    version = current_version(guideline=guideline)
    if version is None or not version.questions.exists():
        return 0
    demo_addresses = [account.email for account in DEMO_ACCOUNTS]
    employees = list(
        Employee.objects.filter(is_active=True)
        .exclude(email__in=demo_addresses)
        .order_by("employee_number")[:40]
    )
    return seed_demo_attempts(employees=employees, version=version)
