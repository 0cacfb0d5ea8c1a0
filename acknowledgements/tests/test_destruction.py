"""Destruction waits for the archivist's approval (verklaring van vernietiging): a list
is proposed, approved by a named person recorded by someone other than the proposer,
then carried out; only then is a leaver past the period gone or pseudonymised in every
table, in one transaction. Runs on SQLite and PostgreSQL."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from acknowledgements.models import (
    Acknowledgement,
    DestructionList,
    LedgerEntry,
    Notification,
    TipRead,
)
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services.destruction import (
    carry_out_destruction,
    propose_destruction,
)
from acknowledgements.services.retention import years_before
from acknowledgements.tests.destruction_support import approved, carried_out
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.models import Assignment, Exemption, Reminder
from campaigns.tests.factories import launched_campaign
from config.env import at_least
from people.models import Employee, Invitation, StaffImport
from people.services.pseudonymisation import REMOVED
from people.tests.factories import DepartmentFactory, EmployeeFactory
from people.tests.test_scope import adviser_of
from quizzes.models import Attempt
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REASON = "Langdurig ziek, terug in het voorjaar"


def _left(employee, years_ago: int, *, days: int = 1) -> Employee:
    end = years_before(day=TODAY, years=years_ago) - datetime.timedelta(days=days)
    Employee.objects.filter(pk=employee.pk).update(end_date=end, is_active=False)
    employee.refresh_from_db()
    return employee


@pytest.fixture
def hr():
    return EmployeeFactory(hr=True)


@pytest.fixture
def leaver(hr):
    """Someone with a signature, tips read, a mail to sign again, an exemption with a
    reason, a reminder, an invitation, an e-mail address for log-in and a line in the
    staff import's log; left eleven years ago."""
    person = EmployeeFactory(
        first_name="Zwaantje",
        last_name="Quispel",
        email="zwaantje.quispel@voorbeeldstad.nl",
        employee_number="P-4711",
    )
    version = quiz_version(tips=2)
    ready_to_sign(person, version)
    signed(person, version)
    Notification.objects.create(
        employee=person,
        version=version,
        kind=Notification.Kind.REACKNOWLEDGEMENT,
        sent_at=timezone.now(),
    )
    campaign = launched_campaign(version, by=hr)
    assignment = Assignment.objects.get(campaign=campaign, employee=person)
    campaign_services.exempt(assignment=assignment, reason=REASON, by=hr)
    now = timezone.now()
    Reminder.objects.create(
        assignment=assignment,
        kind=Reminder.Kind.REMINDER,
        step="before-14",
        status=Reminder.Status.SENT,
        created_at=now,
        next_attempt_at=now,
        sent_at=now,
        recipients=person.email,
    )
    log = StaffImport.objects.create(
        filename="hr.csv",
        file_sha256="0" * 64,
        mode=StaffImport.Mode.APPLIED,
        changes={"new": [{"number": "P-4711", "name": "Zwaantje Quispel", "line": 2}]},
        problems=[{"line": 9, "message": "P-4711 Zwaantje Quispel: unknown department"}],
    )
    Invitation.objects.create(employee=person, staff_import=log)
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    return _left(person, 11)


def _everything_about(person: Employee) -> dict:
    return {
        "acknowledgements": Acknowledgement.objects.filter(employee=person).count(),
        "tips read": TipRead.objects.filter(employee=person).count(),
        "notifications": Notification.objects.filter(employee=person).count(),
        "reminders": Reminder.objects.filter(assignment__employee=person).count(),
        "invitations": Invitation.objects.filter(employee=person).count(),
        "e-mail addresses": EmailAddress.objects.filter(user=person).count(),
        "exemption reasons": Exemption.objects.filter(assignment__employee=person)
        .exclude(reason="")
        .count(),
    }


def test_a_leaver_past_the_period_is_gone_or_pseudonymised_in_every_table(leaver):
    carried_out(TODAY)

    assert set(_everything_about(leaver).values()) == {0}
    row = Employee.objects.get(pk=leaver.pk)
    assert (row.first_name, row.last_name, row.employee_number) == (REMOVED, REMOVED, None)
    assert row.email.endswith(".invalid") and "quispel" not in row.email
    assert not row.is_active and not row.has_usable_password()
    logged = str(StaffImport.objects.values_list("changes", "problems").get())
    assert "P-4711" not in logged and "Quispel" not in logged
    # The assignment stays as an anonymous figure of its campaign.
    assert Assignment.objects.filter(employee=leaver).count() == 1
    assert verify_chain().ok


def test_nothing_is_removed_before_the_list_is_approved(leaver):
    before = _everything_about(leaver)

    proposal = propose_destruction(proposed_by=None, today=TODAY)

    with pytest.raises(PermissionDenied):
        carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)
    assert _everything_about(leaver) == before
    assert Employee.objects.get(pk=leaver.pk).last_name == "Quispel"


def test_every_item_on_the_list_names_its_category_period_and_legal_ground(leaver):
    proposal = propose_destruction(proposed_by=None, today=TODAY)

    categories = {item["category"] for item in proposal.items}
    # The keys of the register of personal data (portal.personal_data) for the same data.
    assert categories >= {
        "profile",
        "acknowledgements",
        "tips_read",
        "notifications",
        "invitations",
        "staff_imports",
        "reminders",
        "assignments",
    }
    assert all(item["description"] and item["legal_ground"] for item in proposal.items)
    assert all("Selectielijst" in item["legal_ground"] for item in proposal.items)
    assert all(item["period"] for item in proposal.items if item["category"] != "staff_imports")


def test_a_second_carry_out_does_nothing(leaver):
    done = carried_out(TODAY)
    entries = LedgerEntry.objects.count()
    result = dict(done.result)

    again = carry_out_destruction(destruction_list=done, carried_out_by=None, today=TODAY)

    assert LedgerEntry.objects.count() == entries
    assert again.result == result and again.carried_out_at == done.carried_out_at
    assert verify_chain().ok


def test_the_approver_cannot_be_the_proposer(leaver, hr):
    proposal = propose_destruction(proposed_by=hr, today=TODAY)

    with pytest.raises(PermissionDenied):
        approved(proposal, by=hr)

    assert DestructionList.objects.get(pk=proposal.pk).status == "proposed"


def test_the_database_refuses_a_list_marked_approved_without_a_named_approver(leaver):
    proposal = propose_destruction(proposed_by=None, today=TODAY)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DestructionList._meta.db_table} SET status = 'approved' WHERE id = %s",  # noqa: S608
            [proposal.pk],
        )


def test_the_database_refuses_the_proposer_as_approver(leaver, hr):
    proposal = propose_destruction(proposed_by=hr, today=TODAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionList.objects.filter(pk=proposal.pk).update(approved_by=hr)


def test_the_carry_out_refuses_an_approval_written_by_hand_for_someone_without_the_right(
    leaver,
):
    proposal = propose_destruction(proposed_by=None, today=TODAY)
    # Every column filled in, as a careless admin's SQL would: the recorder lacks the right.
    DestructionList.objects.filter(pk=proposal.pk).update(
        status="approved",
        approver_name="Iemand",
        approver_function="Niemand",
        approval_reference="x",
        approval_date=TODAY,
        approved_by=EmployeeFactory(),
        approved_at=timezone.now(),
    )
    before = _everything_about(leaver)

    with pytest.raises(PermissionDenied):
        carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)

    assert _everything_about(leaver) == before


def test_a_proposal_older_than_its_validity_is_refused(leaver, settings):
    proposal = propose_destruction(proposed_by=None, today=TODAY)
    old = timezone.now() - datetime.timedelta(
        days=settings.RETENTION_DESTRUCTION_LIST_VALID_DAYS + 1
    )
    DestructionList.objects.filter(pk=proposal.pk).update(proposed_at=old)

    with pytest.raises(ValidationError):
        approved(DestructionList.objects.get(pk=proposal.pk))


def test_an_approved_list_that_grew_too_old_is_not_carried_out(leaver, settings):
    proposal = approved(propose_destruction(proposed_by=None, today=TODAY))
    later = timezone.now() + datetime.timedelta(
        days=settings.RETENTION_DESTRUCTION_LIST_VALID_DAYS + 1
    )

    with pytest.raises(ValidationError):
        carry_out_destruction(destruction_list=proposal, carried_out_by=None, now=later)

    assert Acknowledgement.objects.filter(employee=leaver).exists()


def test_a_superseded_proposal_is_refused(leaver):
    first = propose_destruction(proposed_by=None, today=TODAY)
    propose_destruction(proposed_by=None, today=TODAY)

    with pytest.raises(ValidationError):
        approved(DestructionList.objects.get(pk=first.pk))


def test_someone_who_became_due_after_the_proposal_waits_for_the_next_list(leaver):
    proposal = propose_destruction(proposed_by=None, today=TODAY)
    later = _left(EmployeeFactory(last_name="Later"), 11)
    approved(proposal)

    carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)

    assert Employee.objects.get(pk=later.pk).last_name == "Later"
    assert Employee.objects.get(pk=leaver.pk).last_name == REMOVED


def test_a_leaver_who_came_back_after_the_proposal_is_left_alone(leaver):
    proposal = approved(propose_destruction(proposed_by=None, today=TODAY))
    Employee.objects.filter(pk=leaver.pk).update(end_date=None, is_active=True)

    carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)

    assert Acknowledgement.objects.filter(employee=leaver).exists()
    assert Employee.objects.get(pk=leaver.pk).last_name == "Quispel"


def test_a_quiz_attempt_on_the_list_goes_and_one_that_became_old_later_waits():
    version = quiz_version(tips=1)
    employee = EmployeeFactory()
    moment = timezone.make_aware(
        datetime.datetime.combine(years_before(day=TODAY, years=6), datetime.time(12))
    )
    listed = submitted_attempt(employee=employee, version=version, submitted_at=moment)
    proposal = approved(propose_destruction(proposed_by=None, today=TODAY))
    unlisted = submitted_attempt(employee=employee, version=version, submitted_at=moment)

    carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)

    assert set(Attempt.objects.values_list("pk", flat=True)) == {unlisted.pk}
    assert listed.pk != unlisted.pk


def _install_crash_trigger() -> None:
    """A real trigger that refuses the pseudonymisation, the carry-out's last step."""
    table = Employee._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_crash() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN IF NEW.last_name = '[verwijderd]' THEN "
                "RAISE EXCEPTION 'crash in the middle'; END IF; RETURN NEW; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_crash BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_crash()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_crash BEFORE UPDATE ON {table} "
                "WHEN NEW.last_name = '[verwijderd]' "
                "BEGIN SELECT RAISE(ABORT, 'crash in the middle'); END"
            )


def test_a_crash_in_the_middle_of_the_carry_out_leaves_everything_as_it_was(leaver):
    proposal = approved(propose_destruction(proposed_by=None, today=TODAY))
    before = _everything_about(leaver)
    entries = LedgerEntry.objects.count()
    _install_crash_trigger()

    with pytest.raises(Exception, match="crash in the middle"):
        carry_out_destruction(destruction_list=proposal, carried_out_by=None, today=TODAY)

    assert _everything_about(leaver) == before
    assert LedgerEntry.objects.count() == entries
    assert DestructionList.objects.get(pk=proposal.pk).status == "approved"
    assert verify_chain().ok


def test_an_hr_adviser_of_a_department_may_not_propose_a_list(leaver):
    adviser = adviser_of(DepartmentFactory())

    with pytest.raises(PermissionDenied):
        propose_destruction(proposed_by=adviser, today=TODAY)


def test_an_hr_adviser_may_not_record_an_approval(leaver):
    proposal = propose_destruction(proposed_by=None, today=TODAY)

    with pytest.raises(PermissionDenied):
        approved(proposal, by=adviser_of(DepartmentFactory()))


def test_the_approval_needs_a_name_a_function_and_a_reference(leaver, hr):
    proposal = propose_destruction(proposed_by=None, today=TODAY)

    with pytest.raises(ValidationError):
        from acknowledgements.services.destruction import approve_destruction

        approve_destruction(
            destruction_list=proposal,
            approved_by=hr,
            approver_name="A. de Archivaris",
            approver_function=" ",
            approval_date=TODAY,
            approval_reference="VV-1",
        )


def test_a_retention_period_below_one_stops_the_portal_from_starting():
    with pytest.raises(ImproperlyConfigured, match="PORTAL_RETENTION_QUIZ_ATTEMPT_YEARS"):
        at_least(PORTAL_RETENTION_QUIZ_ATTEMPT_YEARS=(0, 1))


def test_the_settings_read_the_periods_from_the_environment_and_fail_closed():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PORTAL_RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT": "0"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )

    assert run.returncode != 0
    assert "PORTAL_RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT must be at least 1" in (
        run.stderr
    )


def test_a_leaver_who_was_a_manager_is_gone_from_the_mail_log_of_their_team(hr):
    manager = EmployeeFactory(email="mila.manager@voorbeeldstad.nl")
    member = EmployeeFactory(manager=manager)
    version = quiz_version(tips=1)
    campaign = launched_campaign(version, by=hr)
    now = timezone.now()
    escalation = Reminder.objects.create(
        assignment=Assignment.objects.get(campaign=campaign, employee=member),
        kind=Reminder.Kind.MANAGER,
        step="after-7",
        status=Reminder.Status.FAILED,
        created_at=now,
        next_attempt_at=now,
        recipients="Mila.Manager@voorbeeldstad.nl",
        last_error="550 <mila.manager@voorbeeldstad.nl>: unknown user",
    )
    _left(manager, 11)

    carried_out(TODAY)

    escalation.refresh_from_db()
    assert "mila.manager" not in (escalation.recipients + escalation.last_error).lower()
    assert escalation.recipients == REMOVED
