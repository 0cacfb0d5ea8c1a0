"""An organisation with two directorates, an HR adviser of one of them and campaigns of
each kind, for the tests of HR advisers' campaign pages (test_scoped_hr*.py).

    org = organisation(version)    org.adviser: HR on Directie Ruimte (and below)
"""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.models import Campaign
from campaigns.tests.hr_support import launched
from people.models import Department, Employee
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory


@dataclass
class Organisation:
    ruimte: Department
    vergunningen: Department
    sociaal: Department
    inside: list[Employee]  # in Directie Ruimte (one in Vergunningen, below it)
    outside: list[Employee]  # in Directie Sociaal
    adviser: Employee
    everyone: Campaign  # all staff, launched
    ours: Campaign  # Directie Ruimte, launched
    theirs: Campaign  # Directie Sociaal, launched


def adviser_of(*departments: Department, **fields) -> Employee:
    fields.setdefault("preferred_language", "en")
    adviser = EmployeeFactory(department=None, **fields)
    for department in departments:
        grant_object_role(actor=None, employee=adviser, role=Role.HR, target=department)
    return Employee.objects.get(pk=adviser.pk)


def organisation(version) -> Organisation:
    ruimte = DepartmentFactory(
        code="RUIMTE", name="Directie Ruimte", kind=Department.Kind.DIRECTORATE
    )
    vergunningen = DepartmentFactory(code="VERG", name="Vergunningen", parent=ruimte)
    sociaal = DepartmentFactory(
        code="SOC", name="Directie Sociaal", kind=Department.Kind.DIRECTORATE
    )
    inside = [
        EmployeeFactory(department=ruimte, last_name="Akker"),
        EmployeeFactory(department=vergunningen, last_name="Bos"),
    ]
    outside = [
        EmployeeFactory(department=sociaal, last_name="Claes"),
        EmployeeFactory(department=sociaal, last_name="Dijk"),
        EmployeeFactory(department=sociaal, last_name="Eek"),
    ]
    adviser = adviser_of(ruimte)
    everyone = launched(version, name="Iedereen")
    ours = launched(
        version, name="Ruimte", audience=Campaign.Audience.DEPARTMENTS, departments=[ruimte]
    )
    theirs = launched(
        version, name="Sociaal", audience=Campaign.Audience.DEPARTMENTS, departments=[sociaal]
    )
    return Organisation(
        ruimte=ruimte,
        vergunningen=vergunningen,
        sociaal=sociaal,
        inside=inside,
        outside=outside,
        adviser=adviser,
        everyone=everyone,
        ours=ours,
        theirs=theirs,
    )
