"""The database keeps an assignment's progress facts (signed, quiz passed, everything
read) equal to the ledger, the quiz attempts and the reading record, whatever writes
them: campaigns.triggers."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from acknowledgements.models import TipRead
from acknowledgements.services import corrections
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns.models import Assignment, Campaign
from campaigns.services import progress
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from quizzes.models import Attempt
from quizzes.tests.factories import submitted_attempt

pytestmark = pytest.mark.django_db

FACTS = ("signed_at", "quiz_passed_at", "read_at")


def _assignment(version, employee):
    campaign = launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=[employee]
    )
    return campaign.assignments.get(employee=employee)


def _facts(assignment) -> dict:
    return Assignment.objects.values(*FACTS).get(pk=assignment.pk)


def _recomputed(assignment) -> dict:
    """The facts as campaigns.services.progress.refresh computes them from the source tables."""
    return (
        Assignment.objects.filter(pk=assignment.pk)
        .annotate(**{f"new_{name}": value for name, value in progress.fact_columns().items()})
        .values(*(f"new_{name}" for name in FACTS))
        .get()
    )


def _agrees(assignment) -> bool:
    recomputed = _recomputed(assignment)
    return _facts(assignment) == {name: recomputed[f"new_{name}"] for name in FACTS}


@pytest.fixture
def employee(db):
    return EmployeeFactory()


def test_a_new_assignment_starts_with_no_facts(version, employee):
    assert _facts(_assignment(version, employee)) == dict.fromkeys(FACTS)


def test_facts_from_before_the_assignment_are_copied_when_it_is_made(version, employee):
    acknowledgement = signed(employee, ready_to_sign(employee, version))

    facts = _facts(_assignment(version, employee))

    assert facts["signed_at"] == acknowledgement.signed_at
    assert facts["quiz_passed_at"] is not None
    assert facts["read_at"] is not None


def test_signing_sets_signed_at_to_the_moment_of_signing(version, employee):
    assignment = _assignment(version, employee)

    acknowledgement = signed(employee, ready_to_sign(employee, version))

    assert _facts(assignment)["signed_at"] == acknowledgement.signed_at
    assert _agrees(assignment)


def test_erasing_the_acknowledgement_clears_signed_at(version, employee):
    assignment = _assignment(version, employee)
    acknowledgement = signed(employee, ready_to_sign(employee, version))

    corrections.erase_personal_data(
        entry=acknowledgement.entry, recorded_by=None, reason="Verzoek van betrokkene"
    )

    assert _facts(assignment)["signed_at"] is None
    assert _agrees(assignment)


def test_the_first_passed_attempt_is_quiz_passed_at(version, employee):
    assignment = _assignment(version, employee)
    submitted_attempt(employee=employee, version=version, right=False)
    first = submitted_attempt(employee=employee, version=version, right=True)
    submitted_attempt(employee=employee, version=version, right=True)

    assert _facts(assignment)["quiz_passed_at"] == first.submitted_at
    assert _agrees(assignment)


def test_a_failed_attempt_sets_nothing(version, employee):
    assignment = _assignment(version, employee)

    submitted_attempt(employee=employee, version=version, right=False)

    assert _facts(assignment)["quiz_passed_at"] is None


def test_removing_the_passed_attempts_clears_quiz_passed_at(version, employee):
    assignment = _assignment(version, employee)
    attempt = submitted_attempt(employee=employee, version=version, right=True)

    Attempt.objects.filter(pk=attempt.pk).delete()

    assert _facts(assignment)["quiz_passed_at"] is None


def test_read_at_is_set_when_the_last_tip_is_opened(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, version, except_numbers=[2])
    assert _facts(assignment)["read_at"] is None

    TipRead.objects.create(employee=employee, tip=version.tips.get(number=2))

    last = TipRead.objects.filter(employee=employee).order_by("-first_opened_at").first()
    assert _facts(assignment)["read_at"] == last.first_opened_at
    assert _agrees(assignment)


def test_removing_a_read_clears_read_at(version, employee):
    assignment = _assignment(version, employee)
    read_all_tips(employee, version)

    TipRead.objects.filter(employee=employee, tip__number=1).delete()

    assert _facts(assignment)["read_at"] is None


def test_facts_of_another_employee_change_nothing(version, employee):
    assignment = _assignment(version, employee)

    other = EmployeeFactory()
    signed(other, ready_to_sign(other, version))

    assert _facts(assignment) == dict.fromkeys(FACTS)


def test_refresh_repairs_facts_that_were_changed_by_hand(version, employee):
    assignment = _assignment(version, employee)
    signed(employee, ready_to_sign(employee, version))
    Assignment.objects.filter(pk=assignment.pk).update(
        signed_at=None, quiz_passed_at=None, read_at=timezone.now() - datetime.timedelta(days=9)
    )

    progress.refresh(assignments=Assignment.objects.filter(pk=assignment.pk))

    assert _agrees(assignment)
    assert _facts(assignment)["signed_at"] is not None


def test_repair_fixes_only_what_differs_from_the_facts(version, employee):
    assignment = _assignment(version, employee)
    other = _assignment(version, EmployeeFactory())
    signed(employee, ready_to_sign(employee, version))
    # As if the signature had been recorded while the assignment was being inserted.
    Assignment.objects.filter(pk=assignment.pk).update(signed_at=None)

    changed = progress.repair(campaign=assignment.campaign)

    assert changed == 1
    assert _agrees(assignment)
    assert _agrees(other)


def test_repair_of_a_campaign_that_is_right_changes_nothing(version, employee):
    assignment = _assignment(version, employee)
    signed(employee, ready_to_sign(employee, version))

    assert progress.repair(campaign=assignment.campaign) == 0


def test_a_launch_in_bulk_copies_the_facts_of_everyone(version):
    people = EmployeeFactory.create_batch(3)
    for person in people[:2]:
        signed(person, ready_to_sign(person, version))
    campaign = launched_campaign(version, audience=Campaign.Audience.EMPLOYEES, employees=people)

    facts = dict(campaign.assignments.values_list("employee_id", "signed_at"))

    assert [facts[person.pk] is not None for person in people] == [True, True, False]
    assert all(_agrees(assignment) for assignment in campaign.assignments.all())


def test_repair_clears_a_fact_that_is_gone(version, employee):
    assignment = _assignment(version, employee)
    Assignment.objects.filter(pk=assignment.pk).update(
        signed_at=timezone.now(), quiz_passed_at=timezone.now(), read_at=timezone.now()
    )

    assert progress.repair(campaign=assignment.campaign) >= 1
    assert _facts(assignment) == dict.fromkeys(FACTS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="A storage parameter.")
def test_pages_of_assignments_leave_room_for_the_progress_updates():
    # With room on the page an update stays there and writes no index entries (HOT).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [Assignment._meta.db_table]
        )
        [(options,)] = cursor.fetchall()

    assert options == ["fillfactor=80"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics.")
def test_signing_updates_the_assignment_in_place(version):
    employee = EmployeeFactory()
    assignment = _assignment(version, employee)
    ready_to_sign(employee, version)
    with connection.cursor() as cursor:
        hot_updates = (
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s"
        )
        cursor.execute(hot_updates, [Assignment._meta.db_table])
        before = cursor.fetchone()

        signed(employee, version)

        cursor.execute(hot_updates, [Assignment._meta.db_table])
        after = cursor.fetchone()

    assignment.refresh_from_db()
    assert assignment.signed_at is not None
    assert after[0] - before[0] == after[1] - before[1] >= 1  # every update a HOT one
