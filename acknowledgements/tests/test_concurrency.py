"""Concurrent signing leaves exactly one record (PostgreSQL and SQLite).

Each thread has its own database connection, so the test commits for real
(transaction=True) and closes the thread's connection at its end.

Django's SQLite test database is in memory with a shared cache. There a connection
that meets another's write lock gets "database table is locked" at once, instead of
waiting for the busy timeout (20 s) as it does with the database file used in real
life. On that database only, the threads wait and try again, as the timeout would.
"""

import pytest
from django.db import connection

from acknowledgements import services
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign
from people.tests.factories import EmployeeFactory
from portal.testing.threads import in_threads

THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_leaves_exactly_one_record():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)

    def sign():
        return services.sign_version(
            employee=employee,
            version=version,
            language="nl",
            typed_name=employee.full_name,
            confirmed=True,
        ).pk

    results, errors = in_threads([sign] * THREADS)

    assert errors == []
    assert len(results) == THREADS and len(set(results)) == 1
    assert Acknowledgement.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    assert LedgerHead.objects.get().sequence == 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_by_different_employees_numbers_entries_one_after_another():
    employees = [EmployeeFactory() for _ in range(THREADS)]
    version = ready_to_sign(employees[0])
    for employee in employees[1:]:
        ready_to_sign(employee, version)

    def signing(employee):
        return lambda: (
            services.sign_version(
                employee=employee,
                version=version,
                language="nl",
                typed_name=employee.full_name,
                confirmed=True,
            ).entry.sequence
        )

    results, errors = in_threads([signing(employee) for employee in employees])

    assert errors == []
    assert sorted(results) == [1, 2, 3, 4]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submits_in_a_yearly_round_leave_one_new_record():
    from acknowledgements.services.reading import record_tip_read
    from acknowledgements.tests.factories import signed
    from campaigns.models import Assignment, Campaign
    from campaigns.tests.factories import launched_campaign
    from campaigns.tests.hr_support import day
    from quizzes.tests.factories import quiz_version, submitted_attempt

    employee = EmployeeFactory()
    version = quiz_version(tips=2, effective_date=day(-400))
    last_year = signed(employee, ready_to_sign(employee, version))
    round = launched_campaign(
        version,
        name="Jaarlijkse herbevestiging",
        signing=Campaign.Signing.AGAIN,
        start_date=day(0),  # today: it counts from midnight
    )
    # Last year's reading and quiz are from before the round (moved back a year).
    from acknowledgements.models import TipRead
    from quizzes.models import Attempt

    a_year_ago = round.launched_at.replace(year=round.launched_at.year - 1)
    TipRead.objects.update(first_opened_at=a_year_ago, last_opened_at=a_year_ago)
    Attempt.objects.update(started_at=a_year_ago, submitted_at=a_year_ago)
    for tip in version.tips.all():
        record_tip_read(employee=employee, tip=tip)
    submitted_attempt(employee=employee, version=version)

    def sign():
        return services.sign_version(
            employee=employee,
            version=version,
            language="nl",
            typed_name=employee.full_name,
            confirmed=True,
        ).pk

    # Twenty on PostgreSQL. SQLite's in-memory test database has table locks that fail
    # at once (see the module): twenty threads retrying there starve each other on a
    # busy machine, so it gets the other tests' four.
    submits = 20 if connection.vendor == "postgresql" else THREADS
    results, errors = in_threads([sign] * submits)

    assert errors == []
    assert len(results) == submits and len(set(results)) == 1
    assert results[0] != last_year.pk
    assert Acknowledgement.objects.filter(campaign_id=round.pk).count() == 1
    assert Acknowledgement.objects.count() == 2
    assert Assignment.objects.get(campaign=round).signature_id == results[0]
    assert verify_chain().ok
