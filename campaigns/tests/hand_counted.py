"""A data set whose statuses are counted by hand, for the tests that every page's
breakdown adds up (campaigns/tests/test_statuses_add_up.py, reports/tests/
test_report_statuses.py). Twelve people in one department under one manager, in a
campaign of one guideline with three tips:

    Anna, Bart      nothing done                              not started   2
    Cor             opened one tip of three                   reading
    Dirk            opened every tip                          reading       2
    Els             read everything, failed the quiz once     quiz not passed yet
    Frank           failed the quiz once without reading      quiz not passed yet   2
    Gert            failed the quiz once, past the due date   overdue
    Hans            passed the quiz                           quiz passed   1
    Ilse, Jan       signed                                    signed        2
    Karin           exempted by HR                            exempt        1
    Lars            nothing done, past the due date           overdue       2 (with Gert)
                                                              total        12
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from acknowledgements.tests.factories import read_all_tips, ready_to_sign
from campaigns import services
from campaigns.models import Assignment, Campaign
from campaigns.tests.hr_support import launched, sign
from people.tests.factories import DepartmentFactory, EmployeeFactory

Status = Assignment.Status

HAND_COUNTED = {
    Status.NOT_STARTED: 2,
    Status.READING: 2,
    Status.QUIZ_FAILED: 2,
    Status.QUIZ_PASSED: 1,
    Status.SIGNED: 2,
    Status.OVERDUE: 2,
    Status.EXEMPT: 1,
}
TOTAL = 12
IN_PROGRESS = 7  # not started, reading, quiz not passed yet, quiz passed

BY_NAME = {
    "Anna": Status.NOT_STARTED,
    "Bart": Status.NOT_STARTED,
    "Cor": Status.READING,
    "Dirk": Status.READING,
    "Els": Status.QUIZ_FAILED,
    "Frank": Status.QUIZ_FAILED,
    "Gert": Status.OVERDUE,
    "Hans": Status.QUIZ_PASSED,
    "Ilse": Status.SIGNED,
    "Jan": Status.SIGNED,
    "Karin": Status.EXEMPT,
    "Lars": Status.OVERDUE,
}


def hand_counted_world(version, *, manager=None) -> tuple[Campaign, dict[str, object]]:
    """The data set above on ``version`` (three tips, a question bank): the campaign and
    {first name: employee}; employee numbers 2001 (Anna) to 2012 (Lars)."""
    department = DepartmentFactory(name="Burgerzaken", code="BZ")
    people = {
        name: EmployeeFactory(
            first_name=name,
            department=department,
            manager=manager,
            employee_number=str(2001 + index),
        )
        for index, name in enumerate(BY_NAME)
    }
    campaign = launched(version, audience=Campaign.Audience.DEPARTMENTS, departments=[department])
    late = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(
        campaign=campaign, employee__in=[people["Gert"], people["Lars"]]
    ).update(due_date=late)
    read_all_tips(people["Cor"], version, except_numbers=[2, 3])
    read_all_tips(people["Dirk"], version)
    ready_to_sign(people["Els"], version, passed=False)
    ready_to_sign(people["Frank"], version, read=False, passed=False)
    ready_to_sign(people["Gert"], version, passed=False)
    ready_to_sign(people["Hans"], version)
    sign(people["Ilse"], version)
    sign(people["Jan"], version)
    services.exempt(
        assignment=campaign.assignments.get(employee=people["Karin"]),
        reason="Langdurig verlof",
        by=EmployeeFactory(hr=True),
    )
    return campaign, people
