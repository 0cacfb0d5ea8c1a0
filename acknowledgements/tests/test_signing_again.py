"""A yearly round where everyone signs again (Campaign.Signing.AGAIN): a version signed
last year is signed again, for the round, after reading and passing the quiz again,
counted from the round's start (issue 20)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from acknowledgements import hooks, services
from acknowledgements.models import Acknowledgement, TipRead
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services.importing import import_acknowledgement
from acknowledgements.services.reading import record_tip_read
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns.models import Assignment, Campaign, SkippedTip
from campaigns.tests.hr_support import at, day, launched
from people.tests.factories import EmployeeFactory
from quizzes.models import Answer, Attempt
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return quiz_version(tips=3, effective_date=day(-500))


@pytest.fixture
def employee():
    return EmployeeFactory(first_name="Jan", last_name="Jansen")


def _backdate(employee, moment: datetime.datetime) -> None:
    """What the employee did so far happened at ``moment`` (last year)."""
    TipRead.objects.filter(employee=employee).update(first_opened_at=moment, last_opened_at=moment)
    Attempt.objects.filter(employee=employee).update(started_at=moment, submitted_at=moment)


def _last_year(employee, version) -> Acknowledgement:
    """2025: a round where who has not signed signs; the employee signs version 1."""
    launched(
        version,
        name="Bevestiging 2025",
        start_date=day(-400),
        deadline=day(-370),
        now=at(-400),
    )
    record = signed(employee, ready_to_sign(employee, version), now=at(-390))
    _backdate(employee, at(-390))
    return record


def _last_year_with_tip_two_wrong(employee, version):
    """2025: the employee signed after a quiz with tip 2's question answered wrongly."""
    launched(
        version, name="Bevestiging 2025", start_date=day(-400), deadline=day(-370), now=at(-400)
    )
    read_all_tips(employee, version)
    tip_two = version.tips.get(number=2)
    right = [q for q in version.questions.all() if tip_two not in q.tips.all()]
    submitted_attempt(employee=employee, version=version, right=right, pass_mark=60)
    signed(employee, version, now=at(-390))
    _backdate(employee, at(-390))
    return tip_two


def _this_year(version, **kwargs) -> Campaign:
    kwargs.setdefault("signing", Campaign.Signing.AGAIN)
    return launched(version, name="Jaarlijkse herbevestiging 2026", **kwargs)


def _sign(employee, version, **kwargs) -> Acknowledgement:
    return services.sign_version(
        employee=employee,
        version=version,
        language="nl",
        typed_name=employee.full_name,
        confirmed=True,
        **kwargs,
    )


def _prepare_again(employee, version) -> None:
    for tip in version.tips.order_by("number"):
        record_tip_read(employee=employee, tip=tip)
    submitted_attempt(employee=employee, version=version)


def test_a_yearly_round_leaves_who_signed_last_year_with_something_to_do(employee, version):
    last_year = _last_year(employee, version)

    campaign = _this_year(version)

    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    assert assignment.counts_from is not None
    assert assignment.signed_at is None
    assert assignment.signature_id is None
    assert last_year.campaign_id != campaign.pk


def test_a_round_for_who_has_not_signed_counts_last_years_signature(employee, version):
    last_year = _last_year(employee, version)

    campaign = _this_year(version, signing=Campaign.Signing.MISSING)

    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    assert assignment.signature_id == last_year.pk
    assert assignment.signed_at == last_year.signed_at


def test_reading_last_year_does_not_count_in_the_round(employee, version):
    _last_year(employee, version)
    campaign = _this_year(version)
    round = hooks.signing_round(employee=employee, version=version)

    needed = eligibility.requirements(employee=employee, version=version, round=round)

    assert round is not None and round.campaign_id == campaign.pk and round.signs_again
    assert [tip.number for tip in needed.unread] == [1, 2, 3]
    assert needed.quiz_missing


def test_signing_again_without_reading_again_is_refused(employee, version):
    _last_year(employee, version)
    _this_year(version)

    with pytest.raises(services.SigningRefused) as refused:
        _sign(employee, version)

    assert "1, 2, 3" in " ".join(refused.value.reasons)
    assert Acknowledgement.objects.filter(employee=employee).count() == 1


def test_a_quiz_passed_last_year_does_not_count_in_the_round(employee, version):
    _last_year(employee, version)
    _this_year(version)
    for tip in version.tips.all():
        record_tip_read(employee=employee, tip=tip)

    with pytest.raises(services.SigningRefused) as refused:
        _sign(employee, version)

    assert any("quiz" in reason.lower() for reason in refused.value.reasons)


def test_signing_again_records_a_new_signature_naming_the_round(employee, version):
    last_year = _last_year(employee, version)
    campaign = _this_year(version)
    _prepare_again(employee, version)

    record = _sign(employee, version)

    assert record.pk != last_year.pk
    assert record.version_id == last_year.version_id
    assert record.campaign_id == campaign.pk
    assert record.quiz_attempt_id is not None
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    assert assignment.signature_id == record.pk
    assert verify_chain().ok


def test_last_years_assignment_keeps_the_signature_that_completed_it(employee, version):
    last_year = _last_year(employee, version)
    earlier = Assignment.objects.get(campaign__name="Bevestiging 2025", employee=employee)
    _this_year(version)
    _prepare_again(employee, version)

    _sign(employee, version)

    earlier.refresh_from_db()
    assert earlier.signature_id == last_year.pk
    assert earlier.signed_at == last_year.signed_at


def test_signing_again_twice_keeps_one_signature_for_the_round(employee, version):
    _last_year(employee, version)
    campaign = _this_year(version)
    _prepare_again(employee, version)

    first = _sign(employee, version)
    second = _sign(employee, version)

    assert first.pk == second.pk
    assert Acknowledgement.objects.filter(employee=employee, campaign_id=campaign.pk).count() == 1


def test_the_database_refuses_a_second_signature_for_the_same_round(employee, version):
    _last_year(employee, version)
    campaign = _this_year(version)
    _prepare_again(employee, version)
    _sign(employee, version)
    content = {"language": "nl", "signed_at": timezone.now(), "method": "self"}

    with pytest.raises(IntegrityError), transaction.atomic():
        services._append_acknowledgement(
            head=services.ledger.lock_head(),
            kind="acknowledgement",
            employee=employee,
            version=version,
            campaign_id=campaign.pk,
            **content,
        )


def test_the_database_refuses_a_second_signature_outside_any_round(employee, version):
    signed(employee, ready_to_sign(employee, version))
    content = {"language": "nl", "signed_at": timezone.now(), "method": "self"}

    with pytest.raises(IntegrityError), transaction.atomic():
        services._append_acknowledgement(
            head=services.ledger.lock_head(),
            kind="acknowledgement",
            employee=employee,
            version=version,
            **content,
        )


def test_a_round_that_rereads_wrong_answers_asks_only_their_tips(employee, version):
    _last_year_with_tip_two_wrong(employee, version)

    campaign = _this_year(version, reread=Campaign.Reread.WRONG)
    round = hooks.signing_round(employee=employee, version=version)
    needed = eligibility.requirements(employee=employee, version=version, round=round)

    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    skipped = set(
        SkippedTip.objects.filter(assignment=assignment).values_list("tip__number", flat=True)
    )
    assert skipped == {1, 3}
    assert [tip.number for tip in needed.unread] == [2]


def test_reading_the_wrongly_answered_tip_again_completes_the_reading(employee, version):
    tip_two = _last_year_with_tip_two_wrong(employee, version)
    campaign = _this_year(version, reread=Campaign.Reread.WRONG)

    record_tip_read(employee=employee, tip=tip_two)

    assert Assignment.objects.get(campaign=campaign, employee=employee).read_at is not None


def test_without_known_answers_every_tip_is_read_again(employee, version):
    _last_year(employee, version)
    Answer.objects.filter(served__attempt__employee=employee).delete()  # pruned after a while

    campaign = _this_year(version, reread=Campaign.Reread.WRONG)

    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    assert not SkippedTip.objects.filter(assignment=assignment).exists()
    assert assignment.read_at is None


def test_an_imported_signature_does_not_answer_the_round(employee, version):
    campaign = _this_year(version)
    hr = EmployeeFactory(hr=True)

    record = import_acknowledgement(
        employee=employee,
        version=version,
        signed_at=at(-1),
        reason="Papieren formulier uit 2019",
        recorded_by=hr,
    )

    assert record.campaign_id is None
    assert Assignment.objects.get(campaign=campaign, employee=employee).signed_at is None


def test_a_round_that_has_not_started_asks_nothing_yet(employee, version):
    _last_year(employee, version)

    _this_year(version, start_date=day(3), deadline=day(30))

    assert hooks.signing_round(employee=employee, version=version) is None


def _client(employee) -> Client:
    client = Client()
    client.force_login(employee)
    return client


def test_the_overview_asks_to_sign_again_during_the_round(employee, version):
    _last_year(employee, version)
    _this_year(version)

    page = _client(employee).get(reverse("acknowledgements:overview")).content.decode()

    assert "Jaarlijkse herbevestiging 2026" in page
    assert 'data-signed="false"' in page
    assert reverse("signing:sign", kwargs={"guideline": version.guideline.slug}) in page


def test_the_overview_lists_every_signature_over_the_years_with_its_certificate(employee, version):
    last_year = _last_year(employee, version)
    _this_year(version)
    _prepare_again(employee, version)
    this_year = _sign(employee, version)

    page = _client(employee).get(reverse("acknowledgements:overview")).content.decode()

    for record in (last_year, this_year):
        code = record.entry.verification_code
        assert reverse("acknowledgements:certificate", args=[code]) in page
    assert "Jaarlijkse herbevestiging 2026" in page
    assert "Bevestiging 2025" in page


def test_the_receipt_says_which_campaign_the_signature_was_for(employee, version):
    _last_year(employee, version)
    _this_year(version)
    _prepare_again(employee, version)
    record = _sign(employee, version)

    page = _client(employee).get(
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    )

    assert 'id="record-round"' in page.content.decode()
    assert "Jaarlijkse herbevestiging 2026" in page.content.decode()


def test_the_certificate_says_which_campaign_the_signature_was_for(employee, version):
    from acknowledgements.tests.test_certificate import pdf_text

    _last_year(employee, version)
    _this_year(version)
    _prepare_again(employee, version)
    record = _sign(employee, version)

    response = _client(employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    assert "Jaarlijkse herbevestiging 2026" in pdf_text(response.content)


def test_the_signing_page_says_this_is_the_yearly_round(employee, version):
    _last_year(employee, version)
    _this_year(version)

    page = (
        _client(employee)
        .get(reverse("signing:sign", kwargs={"guideline": version.guideline.slug}))
        .content.decode()
    )

    assert 'id="signing-round"' in page
    assert 'id="already-signed"' not in page


def test_the_quiz_page_does_not_count_last_years_pass_in_the_round(employee, version):
    _last_year(employee, version)
    _this_year(version)

    page = (
        _client(employee)
        .get(reverse("quizzes:start", kwargs={"guideline": version.guideline.slug}))
        .content.decode()
    )

    assert 'id="quiz-passed"' not in page


def test_the_home_page_asks_to_sign_again_during_the_round(employee, version):
    _last_year(employee, version)
    _this_year(version)

    page = _client(employee).get(reverse("home")).content.decode()

    assert "home-round" in page
    assert "home-signed" not in page
