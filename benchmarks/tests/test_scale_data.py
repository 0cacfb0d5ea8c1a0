"""The scale data (manage.py generate_scale_data, benchmarks.scale) at a small size.

The command fills the test database once for the module (in a transaction rolled back
at the end); each test reads it, and a test that writes is rolled back by its own.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from acknowledgements import services
from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.verification import verify_chain
from benchmarks.scale import constants as c
from benchmarks.scale import organisation, ready_to_sign
from benchmarks.scale.generate import _rng
from campaigns import selectors as campaign_selectors
from campaigns.models import Assignment, Campaign
from handbook.models import Guideline, GuidelineVersion
from handbook.selectors import current_version, default_guideline
from handbook.selectors.audience import audience_of
from people.models import Department, Employee
from people.roles import Role
from people.selectors import roles_of
from quizzes.models import Attempt

EMPLOYEES = 300
SEED = 7

pytestmark = pytest.mark.django_db


class _RollBack(Exception):
    pass


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    """What the command printed; the data it made stays for the module's tests."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        try:
            with transaction.atomic():
                out = io.StringIO()
                call_command("generate_scale_data", employees=EMPLOYEES, seed=SEED, stdout=out)
                yield out.getvalue()
                raise _RollBack
        except _RollBack:
            pass


@pytest.fixture
def version(output) -> GuidelineVersion:
    return current_version(guideline=default_guideline())


@pytest.fixture
def campaign(output) -> Campaign:
    return Campaign.objects.get(status=Campaign.Status.RUNNING, kind=Campaign.Kind.CAMPAIGN)


def _by_email(email: str) -> Employee:
    return Employee.objects.get(email=email)


def test_the_command_reports_every_step_and_the_totals(output):
    assert "ledger: entries and records" in output
    assert re.search(rf"employees\s+{EMPLOYEES}\b", output)
    assert "Done in" in output


def test_it_makes_exactly_the_employees_asked_for(output):
    assert Employee.objects.count() == EMPLOYEES


def test_the_ledger_verifies(output):
    result = verify_chain()

    assert result.ok, result.first_problem
    assert result.checked == LedgerEntry.objects.count()
    call_command("verify_ledger", stdout=io.StringIO())  # exits 0: no CommandError


def test_the_social_media_guideline_has_about_one_ledger_entry_per_employee(output, version):
    entries = LedgerEntry.objects.filter(version__guideline=version.guideline).count()
    previous = Acknowledgement.objects.filter(version__number=2).count()

    assert 0.9 * EMPLOYEES <= entries <= 1.1 * EMPLOYEES
    assert 0.3 * EMPLOYEES <= previous <= 0.5 * EMPLOYEES


def test_the_tree_is_six_levels_deep_and_every_path_extends_its_parents(output):
    departments = {d.pk: d for d in Department.objects.all()}

    assert max(d.depth for d in departments.values()) == 6
    for department in departments.values():
        parent = departments.get(department.parent_id)
        expected = f"{parent.path if parent else '/'}{department.code}/"
        assert department.path == expected
        assert department.kind in Department.Kind.values


def test_department_sizes_are_uneven(output):
    sizes = Counter(Employee.objects.values_list("department_id", flat=True))
    leaves = [
        sizes[d.pk] for d in Department.objects.filter(children__isnull=True) if d.pk in sizes
    ]

    assert max(leaves) >= 2 * min(leaves)


def test_every_unit_has_one_head_whom_its_members_report_to(output):
    employees = {e.pk: e for e in Employee.objects.select_related("department")}
    heads = Counter()
    for employee in employees.values():
        manager = employees.get(employee.manager_id)
        if manager is None or manager.department_id != employee.department_id:
            heads[employee.department_id] += 1
            if manager is not None:  # a head reports to the head of the unit above
                assert manager.department_id == employee.department.parent_id
        else:
            assert manager.manager_id is None or (
                employees[manager.manager_id].department_id != manager.department_id
            )

    assert set(heads.values()) == {1}
    assert len(heads) == Department.objects.count()


def test_about_sixty_percent_signed_the_social_media_guideline_in_the_running_campaign(
    campaign, version
):
    today = timezone.localdate()
    assignments = campaign_selectors.counting(
        assignments=campaign.assignments.filter(guideline=version.guideline), on=today
    )

    figures = campaign_selectors.status_counts(assignments=assignments, on=today)

    assert 50 <= figures["done_percent"] <= 70


def test_the_assignments_progress_facts_agree_with_the_facts(output):
    """The facts were loaded with the triggers that keep them off (PostgreSQL): the
    assignments, made afterwards, must still carry exactly what the facts say."""
    from campaigns.services import progress

    columns = ("signed_at", "quiz_passed_at", "read_at")
    recomputed = {f"expected_{name}": value for name, value in progress.fact_columns().items()}
    rows = Assignment.objects.annotate(**recomputed).values_list(
        *columns, *(f"expected_{name}" for name in columns)
    )

    assert rows
    assert [row for row in rows if row[:3] != row[3:]] == []
    assert any(row[0] for row in rows) and any(row[2] for row in rows)


def test_leavers_are_inactive_with_a_past_end_date_and_not_assigned(campaign):
    leavers = Employee.objects.filter(is_active=False)

    assert leavers.exists()
    assert not leavers.filter(end_date__isnull=True).exists()
    assert not leavers.filter(end_date__gte=timezone.localdate()).exists()
    assert not campaign.assignments.filter(employee__in=leavers).exists()


def test_hr_has_the_hr_role(output):
    assert Role.HR in roles_of(user=_by_email(c.HR_EMAIL))


def test_the_manager_leads_a_team_of_direct_reports_some_signed_some_not(version):
    manager = _by_email(c.MANAGER_EMAIL)
    team = list(manager.reports.all())
    signed = Acknowledgement.objects.filter(version=version, employee__in=team).count()

    assert 10 <= len(team) <= 15
    assert Role.MANAGER in roles_of(user=manager)
    assert 2 <= signed <= len(team) - 2


def test_the_employee_has_an_open_assignment_read_some_tips_and_did_not_sign(version):
    employee = _by_email(c.EMPLOYEE_EMAIL)
    read = TipRead.objects.filter(employee=employee, tip__version=version).count()

    assert employee.is_active
    assert employee.manager == _by_email(c.MANAGER_EMAIL)
    assert version in [a.version for a in campaign_selectors.open_assignments_of(employee=employee)]
    assert 0 < read < version.tips.count()
    assert not Acknowledgement.objects.filter(employee=employee).exists()


def test_everyone_who_signed_the_current_version_read_it_and_passed_its_quiz(version):
    tips = version.tips.count()
    records = Acknowledgement.objects.filter(version=version).select_related("quiz_attempt")

    reads = Counter(
        TipRead.objects.filter(tip__version=version).values_list("employee_id", flat=True)
    )

    assert records
    for record in records:
        assert record.quiz_attempt.passed
        assert record.quiz_attempt.employee_id == record.employee_id
        assert record.quiz_attempt.submitted_at < record.signed_at
        assert reads[record.employee_id] == tips


def test_some_failed_the_quiz_before_passing_and_some_only_failed(version):
    attempts = Attempt.objects.filter(version=version)
    passed = set(attempts.filter(passed=True).values_list("employee_id", flat=True))
    failed = set(attempts.filter(passed=False).values_list("employee_id", flat=True))

    assert failed & passed
    assert failed - passed


def test_about_a_sixth_are_ready_to_sign_and_nothing_blocks_them(version):
    ready = list(ready_to_sign())

    assert 0.21 * EMPLOYEES <= len(ready) <= 0.27 * EMPLOYEES
    assert ready == sorted(ready, key=lambda e: e.pk)
    for employee in ready:
        assert eligibility.signing_blockers(employee=employee, version=version) == []


def test_one_who_is_ready_signs_and_the_ledger_still_verifies(version):
    employee = ready_to_sign().first()

    services.sign_version(
        employee=employee,
        version=version,
        language=employee.preferred_language,
        typed_name=employee.full_name,
        confirmed=True,
    )

    assert verify_chain().ok
    assert not ready_to_sign().filter(pk=employee.pk).exists()


def test_the_command_refuses_a_database_with_employees_and_changes_nothing(output):
    before = (Employee.objects.count(), LedgerEntry.objects.count(), Campaign.objects.count())

    with pytest.raises(CommandError, match="empty database"):
        call_command("generate_scale_data", employees=100, stdout=io.StringIO())

    after = (Employee.objects.count(), LedgerEntry.objects.count(), Campaign.objects.count())
    assert after == before


def test_the_same_seed_gives_the_same_people(output):
    def planned(seed: int) -> list[tuple]:
        plan = organisation.plan(
            _rng(seed, "organisation"), employees=EMPLOYEES, first_unit_id=1, first_person_id=1
        )
        return sorted((p.number, p.full_name, p.email) for p in plan.people)

    stored = sorted((e.employee_number, e.full_name, e.email) for e in Employee.objects.all())

    assert planned(SEED) == stored
    assert planned(SEED + 1) != stored


# --------------------------------------------------------------------------- five guidelines


def _other_guidelines() -> list[Guideline]:
    return list(Guideline.objects.exclude(pk=default_guideline().pk).order_by("slug"))


def test_there_are_five_published_guidelines_each_with_a_quiz_bank(output):
    guidelines = Guideline.objects.all()

    assert guidelines.count() == 5
    for guideline in guidelines:
        current = current_version(guideline=guideline)
        assert current is not None, guideline.slug
        assert current.tips.count() >= 3
        assert current.questions.filter(is_active=True).count() >= 3


def test_the_other_guidelines_apply_to_everyone_a_directorate_or_the_managers(output):
    audiences = Counter(g.audience for g in _other_guidelines())
    everyone = Employee.objects.filter(is_active=True).count()
    sizes = {g.slug: audience_of(guideline=g).count() for g in _other_guidelines()}

    assert audiences == {
        Guideline.Audience.EVERYONE: 2,
        Guideline.Audience.DEPARTMENTS: 1,
        Guideline.Audience.ROLES: 1,
    }
    assert 0 < sizes["privacy"] < everyone
    assert 0 < sizes["leidinggeven"] < everyone / 3


def test_the_running_campaign_asks_each_guideline_of_its_own_audience(campaign):
    subjects = list(campaign.subjects.select_related("guideline"))

    assert len(subjects) == 5
    for subject in subjects:
        assigned = set(
            campaign.assignments.filter(guideline=subject.guideline).values_list(
                "employee_id", flat=True
            )
        )
        expected = set(audience_of(guideline=subject.guideline).values_list("pk", flat=True))
        assert assigned == expected, subject.guideline.slug


def test_the_manager_has_five_guidelines_due_and_the_employee_four(output):
    manager = campaign_selectors.open_assignments_of(employee=_by_email(c.MANAGER_EMAIL))
    employee = campaign_selectors.open_assignments_of(employee=_by_email(c.EMPLOYEE_EMAIL))

    assert len({a.guideline_id for a in manager}) == 5
    assert {a.guideline.slug for a in employee} == {
        "sociale-media", "integriteit", "informatiebeveiliging", "privacy"
    }  # fmt: skip


def test_some_signed_each_other_guideline_after_reading_it_and_passing_its_quiz(output):
    for guideline in _other_guidelines():
        current = current_version(guideline=guideline)
        records = Acknowledgement.objects.filter(version=current).select_related("quiz_attempt")
        reads = Counter(
            TipRead.objects.filter(tip__version=current).values_list("employee_id", flat=True)
        )

        assert records, guideline.slug
        for record in records:
            assert record.quiz_attempt.passed
            assert record.quiz_attempt.version_id == current.pk
            assert record.quiz_attempt.submitted_at < record.signed_at
            assert reads[record.employee_id] == current.tips.count()


def test_a_signature_names_the_running_campaign_exactly_when_it_answers_it(campaign):
    asked = set(campaign.subjects.values_list("version_id", flat=True))
    rows = Acknowledgement.objects.values_list("version_id", "signed_at", "campaign_id")

    answering = [r for r in rows if r[0] in asked and r[1] >= campaign.launched_at]

    assert answering and len(answering) < len(rows)
    assert {r[2] for r in answering} == {campaign.pk}
    assert {r[2] for r in rows if r not in answering} == {None}
