"""What a compliance report says: the people in scope, their status on a date, and the
counts, computed in the database."""

import datetime

import pytest
from django.utils import timezone

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import selectors as data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


@pytest.fixture
def tree(db):
    directorate = DepartmentFactory(code="DIR", name="Directie")
    department = DepartmentFactory(code="AFD", name="Afdeling", parent=directorate)
    other = DepartmentFactory(code="ZZZ", name="Elders")
    return directorate, department, other


def scope(version, **kwargs):
    kwargs.setdefault("as_of", TODAY)
    return data.Scope(version=version, **kwargs)


def statuses(rows) -> dict[str, str]:
    return {row["employee_number"]: row["status"] for row in rows}


def test_a_version_report_has_everyone_employed_signed_or_not(version):
    signer = EmployeeFactory(employee_number="1")
    EmployeeFactory(employee_number="2")
    signed(signer, ready_to_sign(signer, version))

    rows = list(data.rows(scope=scope(version)))

    assert statuses(rows) == {"1": data.Status.SIGNED, "2": data.Status.NOT_SIGNED}
    [signer_row] = [row for row in rows if row["employee_number"] == "1"]
    assert len(signer_row["record_hash"]) == 64
    assert signer_row["name"] == signer.full_name


def test_a_signature_after_the_date_does_not_count(version):
    signer = EmployeeFactory(employee_number="1")
    signed(signer, ready_to_sign(signer, version))

    rows = list(data.rows(scope=scope(version, as_of=day(-1))))

    assert statuses(rows) == {"1": data.Status.NOT_SIGNED}


def test_leavers_and_future_starters_are_not_in_a_version_report(version):
    EmployeeFactory(employee_number="1", is_active=False, end_date=day(-10))
    EmployeeFactory(employee_number="2", start_date=day(5))
    EmployeeFactory(employee_number="3")

    assert statuses(data.rows(scope=scope(version))) == {"3": data.Status.NOT_SIGNED}


def test_departments_narrow_the_scope_with_their_sub_departments(version, tree):
    directorate, department, other = tree
    EmployeeFactory(employee_number="1", department=directorate)
    EmployeeFactory(employee_number="2", department=department)
    EmployeeFactory(employee_number="3", department=other)

    rows = data.rows(scope=scope(version, departments=(directorate,)))

    assert set(statuses(rows)) == {"1", "2"}


def test_a_campaign_report_shows_signed_overdue_exempt_and_not_started(version):
    signer = EmployeeFactory(employee_number="1")
    late = EmployeeFactory(employee_number="2")
    exempt = EmployeeFactory(employee_number="3")
    campaign = launched_campaign(version, deadline=day(10))
    signed(signer, ready_to_sign(signer, version))
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=exempt), reason="Verlof", by=signer
    )

    on_time = statuses(data.rows(scope=scope(version, campaign=campaign)))
    later = list(data.rows(scope=scope(version, campaign=campaign, as_of=day(11))))

    assert on_time == {
        "1": data.Status.SIGNED,
        "2": data.Status.NOT_STARTED,
        "3": data.Status.EXEMPT,
    }
    assert statuses(later)["2"] == data.Status.OVERDUE
    assert [row["exempt_reason_then"] for row in later if row["employee_number"] == "3"] == [
        "Verlof"
    ]
    assert late.pk


def test_the_summary_counts_per_department_and_overall(version, tree):
    directorate, department, _other = tree
    a = EmployeeFactory(department=directorate)
    EmployeeFactory(department=directorate)
    EmployeeFactory(department=department)
    signed(a, ready_to_sign(a, version))

    summary = data.summary(scope=scope(version))

    assert [(d.code, d.total, d.signed) for d in summary.departments] == [
        ("DIR", 2, 1),
        ("AFD", 1, 0),
    ]
    assert (summary.overall.total, summary.overall.signed) == (3, 1)
    assert summary.departments[0].signed_percent == 50.0


def test_rows_come_department_by_department_then_by_name(version, tree):
    directorate, department, _other = tree
    EmployeeFactory(employee_number="1", last_name="Zwart", department=directorate)
    EmployeeFactory(employee_number="2", last_name="Aalders", department=department)
    EmployeeFactory(employee_number="3", last_name="Bakker", department=directorate)
    EmployeeFactory(employee_number="4", last_name="Claes", department=None)

    numbers = [row["employee_number"] for row in data.rows(scope=scope(version))]

    assert numbers == ["3", "1", "2", "4"]


def test_the_rows_are_one_query_whatever_their_number(version, django_assert_num_queries):
    for _ in range(5):
        EmployeeFactory()

    with django_assert_num_queries(1):
        rows = list(data.rows(scope=scope(version)))

    assert len(rows) == 5
