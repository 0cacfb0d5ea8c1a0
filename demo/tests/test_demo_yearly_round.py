"""The demo shows the yearly round (issue 20): last year's round, in which the staff who
passed the quiz signed version 1 about a year ago, and this year's running round, in
which everyone signs again; some have, others (a demo log-in account among them) still
have to."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from acknowledgements import hooks
from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.verification import verify_chain
from campaigns.models import Assignment, Campaign
from campaigns.selectors import with_status
from demo.campaigns import DEMO_CAMPAIGN_NAME, LAST_YEAR_CAMPAIGN_NAME
from demo.handbook import VERSION_ONE_IN_FORCE
from demo.organisation import DEMO_ACCOUNTS
from demo.services import SIGNS_AGAIN
from handbook.models import GuidelineVersion
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from people.models import Employee
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def _last_year() -> Campaign:
    return Campaign.objects.get(name=LAST_YEAR_CAMPAIGN_NAME)


def _this_year() -> Campaign:
    return Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)


def _version_one() -> GuidelineVersion:
    return GuidelineVersion.objects.get(guideline__slug=DEFAULT_GUIDELINE_SLUG, number=1)


def _days_ago(date: datetime.date) -> int:
    return (timezone.localdate() - date).days


def _signatures(campaign: Campaign):
    return Acknowledgement.objects.filter(campaign_id=campaign.pk)


# --------------------------------------------------------------------------- last year


def test_last_years_round_is_closed_and_asked_who_had_not_signed(seeded):
    campaign = _last_year()

    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.signing == Campaign.Signing.MISSING
    assert [s.version for s in campaign.subjects.all()] == [_version_one()]


def test_last_years_round_ran_a_year_before_this_years(seeded):
    last, this = _last_year(), _this_year()

    assert this.start_date - last.start_date == datetime.timedelta(days=365)
    assert this.deadline - last.deadline == datetime.timedelta(days=365)
    assert last.launched_at.date() <= last.start_date + datetime.timedelta(days=1)


def test_last_years_signatures_name_that_round_and_fall_within_it(seeded):
    campaign = _last_year()
    signatures = _signatures(campaign)

    assert signatures.count() >= 10
    for record in signatures:
        assert record.version == _version_one()
        assert campaign.start_date <= timezone.localdate(record.signed_at) <= campaign.deadline


def test_last_years_signers_read_and_passed_before_they_signed(seeded):
    for record in _signatures(_last_year()).select_related("quiz_attempt"):
        reads = TipRead.objects.filter(employee_id=record.employee_id, tip__version=_version_one())
        assert reads.count() == _version_one().tips.count()
        assert all(read.first_opened_at < record.signed_at for read in reads)
        assert record.quiz_attempt.passed
        assert record.quiz_attempt.submitted_at < record.signed_at


def test_last_years_round_completed_the_assignments_of_who_signed(seeded):
    signed = _last_year().assignments.filter(signature__isnull=False)

    assert signed.count() == _signatures(_last_year()).count()
    assert all(a.signature.campaign_id == _last_year().pk for a in signed)


# --------------------------------------------------------------------------- this year


def test_this_years_round_runs_and_everyone_signs_again(seeded):
    campaign = _this_year()

    assert campaign.status == Campaign.Status.RUNNING
    assert campaign.signing == Campaign.Signing.AGAIN
    assert _days_ago(campaign.start_date) == 20
    assert (campaign.deadline - timezone.localdate()).days == 10


def test_this_years_round_counts_from_its_start_day(seeded):
    campaign = _this_year()
    counts_from = set(campaign.assignments.values_list("counts_from", flat=True))

    assert counts_from == {
        timezone.make_aware(datetime.datetime.combine(campaign.start_date, datetime.time.min))
    }


def test_some_of_last_years_signers_signed_again_and_others_still_have_to(seeded):
    last_year = set(_signatures(_last_year()).values_list("employee_id", flat=True))
    again = set(_signatures(_this_year()).values_list("employee_id", flat=True))

    assert again and again < last_year
    assert len(last_year - again) >= 5


def test_a_signature_this_year_is_a_new_record_of_the_same_version_after_reading_again(seeded):
    start = _this_year().assignments.first().counts_from
    for record in _signatures(_this_year()).select_related("quiz_attempt"):
        assert record.version == _version_one()
        assert record.signed_at >= start
        assert record.quiz_attempt.submitted_at >= start
        reads = TipRead.objects.filter(employee_id=record.employee_id, tip__version=record.version)
        assert all(start <= read.last_opened_at < record.signed_at for read in reads)
        assert all(read.first_opened_at < start for read in reads)  # last year's first reading


def test_the_rounds_own_signatures_complete_its_assignments(seeded):
    done = _this_year().assignments.filter(signature__isnull=False)

    assert set(done.values_list("signature__campaign_id", flat=True)) == {_this_year().pk}
    assert done.count() == _signatures(_this_year()).count()


def test_this_years_figures_show_every_stage_of_the_round(seeded):
    statuses = set(
        with_status(
            assignments=_this_year().assignments.all(), on=timezone.localdate()
        ).values_list("status", flat=True)
    )

    assert {
        Assignment.Status.NOT_STARTED,
        Assignment.Status.READING,
        Assignment.Status.QUIZ_FAILED,
        Assignment.Status.SIGNED,
    } <= statuses


def test_some_failed_the_quiz_in_last_years_round_and_others_in_this_years(seeded):
    start = _this_year().assignments.first().counts_from
    last_year = _last_year()
    failed = Attempt.objects.filter(version=_version_one(), passed=False)

    for attempt in failed.filter(submitted_at__lt=start):
        assert last_year.start_date <= timezone.localdate(attempt.submitted_at)
        assert timezone.localdate(attempt.submitted_at) <= last_year.deadline
    assert failed.filter(submitted_at__lt=start).count() >= 5
    assert failed.filter(submitted_at__gte=start).count() >= 5


def test_no_campaign_starts_before_the_versions_it_asks_for_are_in_force(seeded):
    for campaign in Campaign.objects.filter(kind=Campaign.Kind.CAMPAIGN):
        for subject in campaign.subjects.select_related("version"):
            assert subject.version.effective_date <= campaign.start_date, campaign.name


def test_version_one_is_in_force_since_before_last_years_round(seeded):
    assert _version_one().effective_date == VERSION_ONE_IN_FORCE


# --------------------------------------------------------------------------- the ledger


def test_the_ledger_chain_verifies_after_both_rounds(seeded):
    result = verify_chain()

    assert result.ok, result.first_problem


def test_the_ledger_runs_forward_in_time(seeded):
    moments = list(LedgerEntry.objects.order_by("sequence").values_list("recorded_at", flat=True))

    assert moments == sorted(moments)


# --------------------------------------------------------------------------- the accounts


def test_the_demo_account_that_signs_again_is_printed_and_needs_no_authenticator(seeded):
    account = next(a for a in DEMO_ACCOUNTS if a.email == SIGNS_AGAIN)

    assert not account.uses_totp
    printed = next(line for line in seeded.splitlines() if SIGNS_AGAIN in line)
    assert "signs again" in printed


def test_the_demo_account_signed_last_year_and_must_sign_again_now(seeded):
    employee = Employee.objects.get(email=SIGNS_AGAIN)

    assert _signatures(_last_year()).filter(employee=employee).exists()
    assert not _signatures(_this_year()).filter(employee=employee).exists()
    assignment = _this_year().assignments.get(employee=employee, version=_version_one())
    assert assignment.signed_at is None


def test_the_demo_account_has_to_read_again_and_take_the_quiz_again(seeded):
    employee, version = Employee.objects.get(email=SIGNS_AGAIN), _version_one()
    round = hooks.signing_round(employee=employee, version=version)

    needed = eligibility.requirements(employee=employee, version=version, round=round)

    assert round is not None and round.campaign_id == _this_year().pk and round.signs_again
    assert len(needed.unread) == version.tips.count()
    assert needed.quiz_missing


def test_the_demo_accounts_overview_asks_to_sign_again_and_lists_last_year(seeded):
    client = Client()
    client.force_login(Employee.objects.get(email=SIGNS_AGAIN))

    page = client.get(reverse("acknowledgements:overview")).content.decode()

    assert DEMO_CAMPAIGN_NAME in page
    assert LAST_YEAR_CAMPAIGN_NAME in page
    assert 'id="guideline-sociale-media" data-signed="false"' in page


def test_the_other_demo_accounts_have_signed_nothing_and_taken_no_quiz(seeded):
    others = [a.email for a in DEMO_ACCOUNTS if a.email != SIGNS_AGAIN]

    assert not Acknowledgement.objects.filter(employee__email__in=others).exists()
    assert not Attempt.objects.filter(employee__email__in=others).exists()


# --------------------------------------------------------------------------- idempotent


def test_seeding_again_adds_no_round_signature_attempt_or_reading(seeded):
    def counts():
        return (
            Campaign.objects.count(),
            Assignment.objects.count(),
            Acknowledgement.objects.count(),
            LedgerEntry.objects.count(),
            Attempt.objects.count(),
            TipRead.objects.count(),
        )

    before = counts()

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert counts() == before


# --------------------------------------------------------------------------- the README's steps


def test_the_demo_accounts_home_page_asks_to_sign_again_for_this_years_round(seeded):
    client = Client()
    client.force_login(Employee.objects.get(email=SIGNS_AGAIN))

    page = client.get(reverse("home")).content.decode()

    assert 'class="home-round"' in page
    assert DEMO_CAMPAIGN_NAME in page


@pytest.mark.parametrize("name", ["campaigns:detail", "campaigns:people"])
@pytest.mark.parametrize("campaign", [DEMO_CAMPAIGN_NAME, LAST_YEAR_CAMPAIGN_NAME])
def test_hr_opens_both_rounds_figures(seeded, name, campaign):
    from people.tests.factories import login_with_second_factor

    client = Client()
    login_with_second_factor(client, Employee.objects.get(email="hr@voorbeeldstad.nl"))
    pk = Campaign.objects.get(name=campaign).pk

    response = client.get(reverse(name, kwargs={"pk": pk}))

    assert response.status_code == 200
    assert campaign in response.content.decode()


def test_the_demo_accounts_quiz_this_year_asks_other_questions_than_last_year(seeded):
    from quizzes.services import start_attempt

    employee, version = Employee.objects.get(email=SIGNS_AGAIN), _version_one()
    last_year = set(
        Attempt.objects.get(employee=employee).served.values_list("question__key", flat=True)
    )

    attempt = start_attempt(employee=employee, version=version)

    asked = set(attempt.served.values_list("question__key", flat=True))
    assert asked and asked.isdisjoint(last_year)
