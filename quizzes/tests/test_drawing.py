"""Which questions an attempt gets: every tip covered evenly, unseen ones first,
and for a re-acknowledgement of changes only the tips changed in meaning."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from handbook.models import Tip
from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from quizzes.models import Attempt
from quizzes.services import NoQuestions, start_attempt
from quizzes.services.drawing import Candidate, draw
from quizzes.tests.factories import QuestionFactory, make_bank, quiz_version, wrong_answers


def _bank(tips: int, per_tip: int) -> list[Candidate]:
    return [
        Candidate(question_id=tip * 100 + index, tips=(tip,))
        for tip in range(1, tips + 1)
        for index in range(per_tip)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_every_tip_group_is_covered_evenly(seed):
    drawn = draw(candidates=_bank(tips=4, per_tip=3), count=8, rng=random.Random(seed))

    per_tip = Counter(question_id // 100 for question_id in drawn)
    assert per_tip == {1: 2, 2: 2, 3: 2, 4: 2}


@pytest.mark.parametrize("seed", range(20))
def test_with_fewer_questions_than_tips_no_tip_gets_two(seed):
    drawn = draw(candidates=_bank(tips=11, per_tip=2), count=10, rng=random.Random(seed))

    assert len(drawn) == 10
    assert max(Counter(question_id // 100 for question_id in drawn).values()) == 1


def test_an_uneven_bank_still_spreads_over_the_tips():
    bank = _bank(tips=1, per_tip=6) + _bank(tips=3, per_tip=1)[1:]  # tip 1: 6, tips 2, 3: 1

    drawn = draw(candidates=bank, count=5, rng=random.Random(1))

    assert Counter(question_id // 100 for question_id in drawn) == {1: 3, 2: 1, 3: 1}


def test_a_question_counts_for_its_main_tip_first():
    bank = [Candidate(1, (1, 2)), Candidate(2, (2,)), Candidate(3, (1,))]

    drawn = draw(candidates=bank, count=2, rng=random.Random(3))

    # One question per tip group: the main-tip groups {1, 3} and {2}.
    assert 2 in drawn
    assert len(set(drawn) & {1, 3}) == 1


def test_the_draw_asks_for_no_more_than_the_bank_has():
    drawn = draw(candidates=_bank(tips=2, per_tip=1), count=10, rng=random.Random(0))

    assert sorted(drawn) == [100, 200]


@pytest.mark.parametrize("seed", range(10))
def test_unseen_questions_come_before_seen_ones(seed):
    now = timezone.now()
    bank = _bank(tips=3, per_tip=2)
    seen = {101: now, 201: now, 301: now}

    drawn = draw(candidates=bank, count=3, last_seen=seen, rng=random.Random(seed))

    assert sorted(drawn) == [100, 200, 300]


@pytest.mark.parametrize("seed", range(10))
def test_when_all_were_seen_the_least_recently_seen_come_first(seed):
    now = timezone.now()
    earlier = now - datetime.timedelta(days=1)
    bank = _bank(tips=2, per_tip=2)
    seen = {100: earlier, 101: now, 200: now, 201: earlier}

    drawn = draw(candidates=bank, count=2, last_seen=seen, rng=random.Random(seed))

    assert sorted(drawn) == [100, 201]


@pytest.mark.django_db
def test_a_retake_draws_the_questions_not_seen_yet():
    version = quiz_version(tips=3, per_tip=2, questions_per_attempt=3)
    employee = EmployeeFactory()
    first = start_attempt(employee=employee, version=version)
    first_questions = set(first.served.values_list("question_id", flat=True))
    from quizzes.services import submit_attempt

    submit_attempt(employee=employee, attempt_id=first.pk, answers=wrong_answers(first))

    second = start_attempt(employee=employee, version=version)

    second_questions = set(second.served.values_list("question_id", flat=True))
    assert not first_questions & second_questions
    assert len(second_questions) == 3


@pytest.mark.django_db
def test_an_attempt_serves_the_set_number_of_questions_covering_every_tip():
    version = quiz_version(tips=4, per_tip=3, questions_per_attempt=8)

    attempt = start_attempt(employee=EmployeeFactory(), version=version)

    assert attempt.question_count == 8
    main_tips = Counter(
        served.question.key.split("-")[0] for served in attempt.served.select_related("question")
    )
    assert main_tips == {"tip1": 2, "tip2": 2, "tip3": 2, "tip4": 2}


@pytest.mark.django_db
def test_inactive_questions_are_never_drawn():
    version = quiz_version(tips=2, per_tip=2, questions_per_attempt=10)
    version.questions.filter(key__endswith="-2").update(is_active=False)

    attempt = start_attempt(employee=EmployeeFactory(), version=version)

    keys = set(attempt.served.values_list("question__key", flat=True))
    assert keys == {"tip1-1", "tip2-1"}


@pytest.mark.django_db
def test_the_option_order_is_frozen_per_served_question():
    version = quiz_version(tips=2, questions_per_attempt=2, shuffle_options=True)

    attempt = start_attempt(employee=EmployeeFactory(), version=version, rng=random.Random(5))

    for served in attempt.served.select_related("question"):
        assert sorted(served.option_order) == sorted(
            served.question.options.values_list("pk", flat=True)
        )


@pytest.mark.django_db
def test_without_shuffling_the_options_keep_their_order():
    version = quiz_version(tips=2, questions_per_attempt=2, shuffle_options=False)

    attempt = start_attempt(employee=EmployeeFactory(), version=version)

    for served in attempt.served.select_related("question"):
        assert served.option_order == list(
            served.question.options.order_by("position").values_list("pk", flat=True)
        )


@pytest.fixture
def changed_version(db):
    """Version 2: tip 1 unchanged, tip 2 editorial, tip 3 material, tip 4 new."""
    guideline = GuidelineFactory()
    first = published_version(guideline, number=1, tips=["Een.", "Twee.", "Drie."])
    lineages = [tip.lineage for tip in first.tips.order_by("number")] + [None]
    second = published_version(
        guideline,
        number=2,
        tips=["Een.", "Twee!", "Drie anders.", "Vier."],
        based_on=first,
        lineages=lineages,
        changes=[Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL, Tip.Change.NEW],
        effective_date=timezone.localdate(),
    )
    make_bank(second, per_tip=2)
    return second


def test_a_changes_attempt_draws_only_questions_of_tips_changed_in_meaning(changed_version):
    attempt = start_attempt(
        employee=EmployeeFactory(), version=changed_version, purpose=Attempt.Purpose.CHANGES
    )

    keys = set(attempt.served.values_list("question__key", flat=True))
    assert keys == {"tip3-1", "tip3-2", "tip4-1", "tip4-2"}
    assert attempt.question_count == 4  # min(10, the 4 available)


def test_a_changes_attempt_counts_a_question_with_any_changed_tip(changed_version):
    QuestionFactory(version=changed_version, key="ook-over-drie", tips=[1, 3])

    attempt = start_attempt(
        employee=EmployeeFactory(), version=changed_version, purpose=Attempt.Purpose.CHANGES
    )

    assert "ook-over-drie" in set(attempt.served.values_list("question__key", flat=True))


def test_a_changes_attempt_without_changed_questions_is_refused(changed_version):
    changed_version.questions.filter(key__startswith="tip3").update(is_active=False)
    changed_version.questions.filter(key__startswith="tip4").update(is_active=False)

    with pytest.raises(NoQuestions):
        start_attempt(
            employee=EmployeeFactory(), version=changed_version, purpose=Attempt.Purpose.CHANGES
        )

    assert not Attempt.objects.exists()
