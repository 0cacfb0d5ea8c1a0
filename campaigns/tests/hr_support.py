"""Helpers for the tests of HR's campaign pages (test_views_hr*.py, test_dashboard.py,
test_chart.py, test_forms_campaign.py).

    staff = bulk_employees(1000, departments)     fast: bulk_create, unusable password
    campaign = launched(version)                  everyone active in the campaign
    hr_client(client)                             logged in as HR, in English
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from campaigns.models import Assignment, Reminder
from campaigns.tests.factories import draft_campaign, launched_campaign
from people.models import Employee
from people.tests.factories import EmployeeFactory

_numbers = itertools.count(1)


def day(n: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def bulk_employees(count: int, departments, *, manager=None, **fields) -> list[Employee]:
    """``count`` active employees spread over the departments, in one insert."""
    password = make_password(None)
    batch = next(_numbers)
    employees = Employee.objects.bulk_create(
        Employee(
            email=f"bulk{batch}-{index}@voorbeeldstad.nl",
            employee_number=f"B{batch:03d}{index:05d}",
            first_name="Test",
            last_name=f"Persoon {index:05d}",
            department=departments[index % len(departments)] if departments else None,
            manager=manager,
            password=password,
            **fields,
        )
        for index in range(count)
    )
    return employees


def hr(**kwargs) -> Employee:
    kwargs.setdefault("preferred_language", "en")
    return EmployeeFactory(hr=True, department=None, **kwargs)


def auditor(**kwargs) -> Employee:
    kwargs.setdefault("preferred_language", "en")
    return EmployeeFactory(auditor=True, department=None, **kwargs)


def launched(version, **kwargs):
    return launched_campaign(version, **kwargs)


def draft(version, **kwargs):
    return draft_campaign(version, **kwargs)


def assignment_of(campaign, employee) -> Assignment:
    return Assignment.objects.get(campaign=campaign, employee=employee)


def reminder(assignment, *, step="before-14", status=Reminder.Status.SENT, **fields) -> Reminder:
    now = timezone.now()
    fields.setdefault("kind", Reminder.Kind.REMINDER)
    return Reminder.objects.create(
        assignment=assignment,
        step=step,
        status=status,
        created_at=fields.pop("created_at", now),
        next_attempt_at=now,
        **fields,
    )


def at(n: int = 0, hour: int = 9) -> datetime.datetime:
    """``hour`` o'clock local time, ``n`` days from today."""
    return timezone.make_aware(datetime.datetime.combine(day(n), datetime.time(hour)))


def sign(employee, version, *, now=None):
    """The employee reads, passes the quiz and signs (at ``now``)."""
    from acknowledgements.tests.factories import ready_to_sign, signed

    return signed(employee, ready_to_sign(employee, version), now=now)
