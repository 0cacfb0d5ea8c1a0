"""manage.py benchmark_reports measures in a throwaway database of its own: a small run
proves the tool works (the figures themselves are for docs, not for tests)."""

import io

from django.core.management import call_command

from people.models import Employee


def test_the_benchmark_fills_its_own_database_and_prints_a_table(db):
    out = io.StringIO()

    call_command("benchmark_reports", employees=12, formats="csv", stdout=out)

    table = out.getvalue()
    assert "| Format | Employees | Time | Peak memory | File size |" in table
    assert "| CSV | 12 |" in table
    assert not Employee.objects.exists()  # the test database was not touched
