"""Campaigns and a part of the organisation (people.selectors.Scope): which campaigns an
HR adviser of some departments sees (those that touch their part) and which they may
run (those whose audience lies wholly in their part). Central HR's scope is everything:
every campaign, unchanged.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from campaigns.models import Assignment, Campaign
from people.models import Department, Employee
from people.selectors import Scope


def touching(*, scope: Scope) -> Q:
    """A filter for the campaigns that touch the scope: someone in it has an assignment,
    or the audience names a department or a person in it. One query with the campaigns
    (EXISTS subqueries, no duplicates)."""
    if scope.everything:
        return Q()
    assigned = Assignment.objects.filter(campaign_id=OuterRef("pk")).filter(
        scope.q(department_field="employee__department")
    )
    departments = Campaign.departments.through.objects.filter(campaign_id=OuterRef("pk")).filter(
        scope.q(department_field="department")
    )
    employees = Campaign.employees.through.objects.filter(campaign_id=OuterRef("pk")).filter(
        scope.q(department_field="employee__department")
    )
    return Q(Exists(assigned)) | Q(Exists(departments)) | Q(Exists(employees))


def campaigns_in(*, scope: Scope) -> QuerySet[Campaign]:
    """The campaigns (of every kind) that touch the scope."""
    return Campaign.objects.filter(touching(scope=scope))


def lies_within(*, campaign: Campaign, scope: Scope) -> bool:
    """Whether everything the campaign asks or may ask lies in the scope: its audience
    (chosen departments, or chosen people, all in it; never all staff or the onboarding
    rule) and everyone it has asked so far (someone may have moved out since)."""
    if scope.everything:
        return True
    if campaign.is_onboarding or campaign.audience == Campaign.Audience.ALL:
        return False
    if campaign.audience == Campaign.Audience.DEPARTMENTS:
        chosen = Department.objects.filter(pk__in=campaign.departments.values("pk"))
        if not chosen.exists() or chosen.exclude(pk__in=scope.departments().values("pk")).exists():
            return False
    elif campaign.audience == Campaign.Audience.EMPLOYEES:
        people = Employee.objects.filter(pk__in=campaign.employees.values("pk"))
        if not people.exists() or people.exclude(scope.q(department_field="department")).exists():
            return False
    else:  # pragma: no cover - an audience this module does not know
        return False
    outside = Assignment.objects.filter(campaign=campaign).exclude(
        scope.q(department_field="employee__department")
    )
    return not outside.exists()
