"""Every attempt (a retry, next year's round) draws questions that were not in the
employee's previous attempt where the bank allows it, else those seen least recently.

What was served counts by question key at every version of the same guideline: a
question keeps its key in a new version's bank (copied from the previous one), so a
question seen last year under version 1 is the same question under version 2. Other
employees' attempts and other guidelines' never count.
"""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from handbook.tests.factories import GuidelineFactory
from handbook.tests.utils import nl
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, text_of
from quizzes.models import Attempt
from quizzes.services import start_attempt, submit_attempt
from quizzes.services.drawing import Candidate, draw
from quizzes.tests.factories import (
    QuestionFactory,
    quiz_url,
    quiz_version,
    submitted_attempt,
    wrong_answers,
)

A_YEAR_AGO = datetime.timedelta(days=365)


def _bank_of_ten(**kwargs):
    """Ten questions, unevenly over three tips (tip 1: six, tips 2 and 3: two each);
    quizzes of five."""
    version = quiz_version(
        tips=3, per_tip=2, questions_per_attempt=5, attempts_per_day=50, **kwargs
    )
    for index in range(3, 7):
        QuestionFactory(version=version, key=f"tip1-{index}", tips=[1])
    return version


def _take(employee, version, *, at, seed=0) -> set[str]:
    """Start and fail an attempt at ``at``; the keys it served."""
    attempt = start_attempt(employee=employee, version=version, now=at, rng=random.Random(seed))
    submit_attempt(
        employee=employee,
        attempt_id=attempt.pk,
        answers=wrong_answers(attempt),
        now=at + datetime.timedelta(minutes=1),
    )
    return _keys(attempt)


def _keys(attempt: Attempt) -> set[str]:
    return set(attempt.served.values_list("question__key", flat=True))


def _active_keys(version) -> set[str]:
    return set(version.questions.filter(is_active=True).values_list("key", flat=True))


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize("seed", range(10))
def test_questions_not_in_the_previous_attempt_come_before_covering_every_tip(seed):
    bank = (
        [Candidate(100 + i, (1,)) for i in range(6)]
        + [Candidate(200 + i, (2,)) for i in range(2)]
        + [Candidate(300 + i, (3,)) for i in range(2)]
    )
    now = timezone.now()
    first = draw(candidates=bank, count=5, rng=random.Random(seed))

    second = draw(
        candidates=bank, count=5, last_seen=dict.fromkeys(first, now), rng=random.Random(seed)
    )

    assert not set(first) & set(second)


@pytest.mark.parametrize("seed", range(10))
def test_among_equally_fresh_questions_the_tips_drawn_least_so_far_go_first(seed):
    # Tip 1's two unseen questions are drawn first; the three seen ones (all in the same
    # attempt) then go to tips 2 and 3, not to tip 1 again.
    now = timezone.now()
    bank = [
        Candidate(101, (1,)),
        Candidate(102, (1,)),
        Candidate(103, (1,)),
        Candidate(201, (2,)),
        Candidate(202, (2,)),
        Candidate(301, (3,)),
    ]
    seen = dict.fromkeys([103, 201, 202, 301], now)

    drawn = draw(candidates=bank, count=4, last_seen=seen, rng=random.Random(seed))

    assert Counter(question_id // 100 for question_id in drawn) == {1: 2, 2: 1, 3: 1}


# --------------------------------------------------------------------------- attempts


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(5))
def test_a_bank_of_ten_with_quizzes_of_five_gives_a_second_attempt_five_other_questions(
    seed,
):
    version = _bank_of_ten()
    employee = EmployeeFactory()
    now = timezone.now()
    first = _take(employee, version, at=now - datetime.timedelta(hours=2), seed=seed)

    second = _take(employee, version, at=now, seed=seed + 100)

    assert len(second) == 5
    assert not first & second


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(5))
def test_a_third_attempt_gets_the_questions_seen_least_recently(seed):
    version = _bank_of_ten()
    employee = EmployeeFactory()
    now = timezone.now()
    first = _take(employee, version, at=now - datetime.timedelta(hours=2), seed=seed)
    _take(employee, version, at=now - datetime.timedelta(hours=1), seed=seed + 100)

    third = _take(employee, version, at=now, seed=seed + 200)

    assert third == first


@pytest.mark.django_db
def test_questions_never_served_come_before_those_of_an_older_attempt():
    version = quiz_version(tips=3, per_tip=3, questions_per_attempt=3)
    employee = EmployeeFactory()
    older = list(version.questions.filter(key__endswith="-1"))
    previous = list(version.questions.filter(key__endswith="-2"))
    submitted_attempt(
        employee=employee,
        version=version,
        questions=older,
        submitted_at=timezone.now() - A_YEAR_AGO,
    )
    submitted_attempt(employee=employee, version=version, questions=previous, right=False)

    attempt = start_attempt(employee=employee, version=version)

    assert _keys(attempt) == {"tip1-3", "tip2-3", "tip3-3"}


@pytest.mark.django_db
def test_a_bank_as_large_as_the_quiz_repeats_every_question():
    version = quiz_version(tips=5, per_tip=1, questions_per_attempt=5)
    employee = EmployeeFactory()
    first = _take(employee, version, at=timezone.now() - datetime.timedelta(hours=1))

    second = _take(employee, version, at=timezone.now())

    assert second == first == _active_keys(version)


@pytest.mark.django_db
def test_inactive_questions_are_never_drawn_however_fresh():
    version = _bank_of_ten()
    employee = EmployeeFactory()
    first = _take(employee, version, at=timezone.now() - datetime.timedelta(hours=1))
    # Three of the five never served are switched off: the quiz repeats two instead.
    never_served = sorted(_active_keys(version) - first)
    version.questions.filter(key__in=never_served[:3]).update(is_active=False)

    second = _take(employee, version, at=timezone.now())

    assert len(second) == 5
    assert second <= _active_keys(version)
    assert set(never_served[3:]) <= second


@pytest.mark.django_db
def test_another_employees_attempts_do_not_influence_mine():
    version = _bank_of_ten()
    me, colleague = EmployeeFactory(), EmployeeFactory()
    mine = _take(me, version, at=timezone.now() - datetime.timedelta(hours=2))
    # The colleague was served, later, exactly the questions I have not seen.
    others = list(version.questions.exclude(key__in=mine))
    submitted_attempt(employee=colleague, version=version, questions=others, right=False)

    second = _take(me, version, at=timezone.now())

    assert second == _active_keys(version) - mine


@pytest.mark.django_db
def test_a_question_served_under_an_earlier_version_counts_by_its_key():
    earlier = _bank_of_ten(effective_date=timezone.localdate() - A_YEAR_AGO)
    current = _bank_of_ten(number=2, guideline=earlier.guideline)
    employee = EmployeeFactory()
    last_year = _take(employee, earlier, at=timezone.now() - A_YEAR_AGO)

    this_year = _take(employee, current, at=timezone.now())

    assert len(this_year) == 5
    assert not last_year & this_year


@pytest.mark.django_db
def test_attempts_under_another_guideline_do_not_count_even_with_the_same_keys():
    other = _bank_of_ten(guideline=GuidelineFactory(slug="privacy", title="Privacy"))
    version = _bank_of_ten()
    employee = EmployeeFactory()
    # Under the other guideline I was served, later, every question I had not seen here.
    here = _take(employee, version, at=timezone.now() - datetime.timedelta(hours=2))
    questions = list(other.questions.exclude(key__in=here))
    submitted_attempt(employee=employee, version=other, questions=questions, right=False)

    second = _take(employee, version, at=timezone.now())

    assert second == _active_keys(version) - here


# The savepoint and its release; locking the employee, the open attempt, the settings,
# today's attempts; the bank's tips, the bank, what was served before; then the attempt,
# the options and the served questions.
START_QUERIES = 12


@pytest.mark.django_db
@pytest.mark.parametrize("earlier_attempts", [1, 6])
def test_the_draw_costs_a_fixed_number_of_queries_however_many_attempts_came_before(
    django_assert_num_queries, earlier_attempts
):
    version = _bank_of_ten()
    employee = EmployeeFactory()
    for days in range(earlier_attempts, 0, -1):
        _take(employee, version, at=timezone.now() - datetime.timedelta(days=days))

    with django_assert_num_queries(START_QUERIES):
        attempt = start_attempt(employee=employee, version=version)

    assert attempt.question_count == 5


def test_the_start_page_tells_that_a_new_attempt_asks_other_questions(employee_client):
    quiz_version(tips=3, questions_per_attempt=3)

    page = parse(employee_client.get(quiz_url("start")))

    assert nl(
        "A new attempt asks other questions than your last one, as long as there are "
        "enough. Otherwise you get the questions you saw longest ago."
    ) in text_of(page, "#quiz-rules")
