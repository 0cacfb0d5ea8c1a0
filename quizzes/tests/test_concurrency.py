"""Simultaneous starts of one employee's quiz (PostgreSQL and SQLite).

The draw reads what was served before under the lock on the employee's row, so starts
follow each other: a double click (or two tabs) gives one attempt, never two draws.

Each thread has its own database connection, so the test commits for real
(transaction=True) and closes the thread's connection at its end. Django's SQLite test
database is in memory with a shared cache, where a connection that meets another's
write lock gets "table is locked" at once instead of waiting for the busy timeout as the
database file does in real life; there only, the threads wait and try again.
"""

import random

import pytest

from people.tests.factories import EmployeeFactory
from portal.testing.threads import in_threads
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import start_attempt
from quizzes.tests.factories import quiz_version

THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_starts_by_one_employee_give_one_attempt():
    employee = EmployeeFactory()
    version = quiz_version(tips=5, per_tip=2, questions_per_attempt=5, attempts_per_day=50)

    def start(seed):
        return lambda: start_attempt(employee=employee, version=version, rng=random.Random(seed)).pk

    results, errors = in_threads([start(seed) for seed in range(THREADS)])

    assert errors == []
    assert len(results) == THREADS and len(set(results)) == 1
    assert Attempt.objects.count() == 1
    assert AttemptQuestion.objects.count() == 5
