"""Helpers for the reports' tests of yearly rounds (a version signed again each year),
through the employee's own signing (acknowledgements.services.sign_version, which asks
the campaigns which round a signature answers).

    record = signed_last_year(employee, version, moment=at(-390))
    record = signed_again(employee, version)      read again, passed again, signed now
"""

from __future__ import annotations

import datetime

from acknowledgements import services as ledger_services
from acknowledgements.models import Acknowledgement, TipRead
from acknowledgements.services.reading import record_tip_read
from campaigns.tests.hr_support import sign
from quizzes.models import Attempt
from quizzes.tests.factories import submitted_attempt


def signed_last_year(employee, version, *, moment: datetime.datetime) -> Acknowledgement:
    """The employee read the version, passed its quiz and signed it at ``moment`` (last
    year): their reading and quiz are dated then too, so that this year's round does
    not count them."""
    record = sign(employee, version, now=moment)
    TipRead.objects.filter(employee=employee).update(first_opened_at=moment, last_opened_at=moment)
    Attempt.objects.filter(employee=employee).update(started_at=moment, submitted_at=moment)
    return record


def signed_again(employee, version) -> Acknowledgement:
    """In this year's round the employee reads every tip again, passes the quiz again
    and signs the version again, now."""
    for tip in version.tips.order_by("number"):
        record_tip_read(employee=employee, tip=tip)
    submitted_attempt(employee=employee, version=version)
    return ledger_services.sign_version(
        employee=employee,
        version=version,
        language="nl",
        typed_name=employee.full_name,
        confirmed=True,
    )
