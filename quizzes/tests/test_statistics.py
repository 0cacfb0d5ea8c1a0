"""Quiz statistics against a small data set computed by hand.

Five finished attempts at three questions (1 = answered right, 0 = wrong)::

            q1  q2  q3   correct_count
    A1       1   1   1   3
    A2       1   1   0   2
    A3       1   0   1   2
    A4       0   0   1   1
    A5       0   0   0   0

Rest score y = correct_count − x. With r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)):

    q1  x = 1 1 1 0 0, y = 2 1 1 1 0: Σx=3 Σy=5 Σxy=4 Σx²=3 Σy²=7
        r = (20 − 15) / √((15 − 9)(35 − 25)) = 5 / √60 = 0.645; facility 3/5 = 0.600
    q2  x = 1 1 0 0 0, y = 2 1 2 1 0: Σx=2 Σy=6 Σxy=3 Σx²=2 Σy²=10
        r = (15 − 12) / √((10 − 4)(50 − 36)) = 3 / √84 = 0.327; facility 2/5 = 0.400
    q3  x = 1 0 1 1 0, y = 2 2 1 0 0: Σx=3 Σy=5 Σxy=3 Σx²=3 Σy²=9
        r = (15 − 15) / √((15 − 9)(45 − 25)) = 0.000; facility 3/5 = 0.600

Options ticked (option 1 is right in q1 and q3; in q2, which has more than one right
answer, options 1 and 2 are right):

    q1  A1 1, A2 1, A3 1, A4 2, A5 3              → 1: 3 (0.6), 2: 1 (0.2), 3: 1 (0.2)
    q2  A1 1+2, A2 1+2, A3 1, A4 1+3, A5 3        → 1: 4 (0.8), 2: 2 (0.4), 3: 2 (0.4), 4: 0
    q3  A1 1, A2 2, A3 1, A4 1, A5 2              → 1: 3 (0.6), 2: 2 (0.4), 3: 0 (0.0)

Tips: q1 tests tips 2 and 1 (main tip 2), q2 tip 1, q3 tips 1 and 3; tip 4 is untested.

    tip 1: q1+q2+q3 → 15 answers, 8 right → 0.533     tip 2: q1 → 5, 3 → 0.600
    tip 3: q3 → 5, 3 → 0.600                          tip 4: no answers → None

An attempt that was not submitted and an attempt at another version also have answers;
neither may count.
"""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from quizzes.models import Answer
from quizzes.selectors import statistics
from quizzes.tests.factories import QuestionFactory, served_attempt, submitted_attempt


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages follow the active language; these tests read their English ids."""
    with translation.override("en"):
        yield


# --------------------------------------------------------------------------- builders


def make_question(version, key: str, *, tips=(1,), options=3, right=(1,), multiple=False):
    """A question of the version testing these tip numbers (main tip first), with options
    numbered 1..options, of which those in ``right`` are right."""
    return QuestionFactory(
        version=version,
        key=key,
        tips=list(tips),
        multiple_answers=multiple,
        options=[position in right for position in range(1, options + 1)],
    )


def make_attempt(version, answers: dict, *, employee=None, pass_mark=60):
    """A finished attempt, scored by the service: {question: [option numbers ticked]}."""
    chosen = {
        question: [o for o in question.options.all() if o.position in numbers]
        for question, numbers in answers.items()
    }
    return submitted_attempt(
        employee=employee or EmployeeFactory(),
        version=version,
        questions=list(answers),
        answers=chosen,
        pass_mark=pass_mark,
    )


def published(number=1, tips=4, guideline=None, **kwargs):
    return published_version(
        guideline or GuidelineFactory(),
        number=number,
        tips=[f"Tip {n}." for n in range(1, tips + 1)],
        **kwargs,
    )


# The hand-computed data set: per attempt, {question key: options ticked}.
ANSWERS = [
    {"q1": [1], "q2": [1, 2], "q3": [1]},
    {"q1": [1], "q2": [1, 2], "q3": [2]},
    {"q1": [1], "q2": [1], "q3": [1]},
    {"q1": [2], "q2": [1, 3], "q3": [1]},
    {"q1": [3], "q2": [3], "q3": [2]},
]


def hand_computed_bank(version):
    return {
        "q1": make_question(version, "q1", tips=(2, 1)),
        "q2": make_question(version, "q2", tips=(1,), options=4, right=(1, 2), multiple=True),
        "q3": make_question(version, "q3", tips=(1, 3)),
    }


@pytest.fixture
def data_set(db):
    version = published()
    questions = hand_computed_bank(version)
    for answers in ANSWERS:
        make_attempt(version, {questions[key]: ticked for key, ticked in answers.items()})
    # Neither counts: an attempt still open (with an answer stored all the same), and an
    # attempt at another version.
    open_attempt = served_attempt(version=version, questions=[questions["q1"]])
    answer = Answer.objects.create(served=open_attempt.served.get(), is_correct=False)
    answer.chosen.set([questions["q1"].options.get(position=2)])
    other = published(number=2, guideline=version.guideline, based_on=version)
    make_attempt(other, {make_question(other, "q1"): [3]})
    return version


def by_key(stats):
    return {s.key: s for s in stats}


# --------------------------------------------------------------------------- per question


def test_answered_and_facility(data_set):
    stats = by_key(statistics.question_statistics(version=data_set))

    assert [stats[k].answered for k in ("q1", "q2", "q3")] == [5, 5, 5]
    assert [stats[k].correct for k in ("q1", "q2", "q3")] == [3, 2, 3]
    assert stats["q1"].facility == pytest.approx(0.600, abs=5e-4)
    assert stats["q2"].facility == pytest.approx(0.400, abs=5e-4)
    assert stats["q3"].facility == pytest.approx(0.600, abs=5e-4)
    assert stats["q1"].facility_percent == 60


def test_discrimination_is_the_point_biserial_with_the_rest_score(data_set):
    stats = by_key(statistics.question_statistics(version=data_set))

    assert round(stats["q1"].discrimination, 3) == 0.645  # 5 / √60
    assert round(stats["q2"].discrimination, 3) == 0.327  # 3 / √84
    assert round(stats["q3"].discrimination, 3) == 0.000
    assert stats["q1"].discrimination == pytest.approx(5 / math.sqrt(60))


def test_how_often_each_option_was_chosen(data_set):
    stats = by_key(statistics.question_statistics(version=data_set))

    def counts(key):
        return [(o.option.position, o.chosen, round(o.share, 3)) for o in stats[key].options]

    assert counts("q1") == [(1, 3, 0.6), (2, 1, 0.2), (3, 1, 0.2)]
    assert counts("q2") == [(1, 4, 0.8), (2, 2, 0.4), (3, 2, 0.4), (4, 0, 0.0)]
    assert counts("q3") == [(1, 3, 0.6), (2, 2, 0.4), (3, 0, 0.0)]
    assert [o.is_correct for o in stats["q2"].options] == [True, True, False, False]


def test_the_main_tip_is_the_first_tip_given(data_set):
    stats = by_key(statistics.question_statistics(version=data_set))

    assert stats["q1"].main_tip.number == 2
    assert [tip.number for tip in stats["q1"].tips] == [2, 1]
    assert stats["q3"].main_tip.number == 1


def test_a_question_without_answers_has_no_figures(db):
    version = published()
    make_question(version, "nieuw")

    (stats,) = statistics.question_statistics(version=version)

    assert stats.answered == 0
    assert stats.facility is None
    assert stats.discrimination is None
    assert [o.chosen for o in stats.options] == [0, 0, 0]
    assert [o.share for o in stats.options] == [None, None, None]
    assert stats.flag == statistics.Flag.TOO_FEW


# --------------------------------------------------------------------------- per tip


def test_share_right_per_tip(data_set):
    tips = {s.tip.number: s for s in statistics.tip_statistics(version=data_set)}

    assert (tips[1].answered, tips[1].correct) == (15, 8)
    assert round(tips[1].share_correct, 3) == 0.533
    assert (tips[2].answered, tips[2].correct) == (5, 3)
    assert round(tips[2].share_correct, 3) == 0.600
    assert round(tips[3].share_correct, 3) == 0.600
    assert tips[4].answered == 0 and tips[4].share_correct is None
    assert [tips[n].questions for n in (1, 2, 3, 4)] == [3, 1, 1, 0]


def test_attempt_summary_counts_finished_attempts_only(data_set):
    summary = statistics.attempt_summary(version=data_set)

    # Scores 3, 2, 2, 1, 0 of 3 with a pass mark of 60%: A1, A2 and A3 passed.
    assert summary.attempts == 5
    assert summary.passed == 3
    assert summary.pass_rate_percent == 60
    assert summary.average_percent == pytest.approx(100 * 8 / 15, abs=1e-6)


# --------------------------------------------------------------------------- the formula


@pytest.mark.parametrize(
    ("sums", "expected"),
    [
        ((1, 1, 2, 2, 1, 4), None),  # n < 2
        ((5, 5, 10, 10, 5, 24), None),  # everyone right: no variance in x
        ((5, 3, 10, 6, 3, 20), None),  # everyone the same rest score: no variance in y
        ((5, 3, 5, 4, 3, 7), 5 / math.sqrt(60)),
        ((0, 0, 0, 0, 0, 0), None),
    ],
)
def test_point_biserial(sums, expected):
    n, sx, sy, sxy, sxx, syy = sums

    result = statistics.point_biserial(n=n, sx=sx, sy=sy, sxy=sxy, sxx=sxx, syy=syy)

    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


# --------------------------------------------------------------------------- flags


def _stats_for(version, key, pattern):
    """Finished attempts at two questions: `key` (right/wrong per attempt as in
    ``pattern``) and "rest" (right when the attempt's other figure says so)."""
    question = make_question(version, key)
    rest = make_question(version, f"{key}-rest", tips=(2,))
    employee = EmployeeFactory()
    for item, rest_right in pattern:
        make_attempt(
            version,
            {question: [1] if item else [2], rest: [1] if rest_right else [2]},
            employee=employee,
        )
    return by_key(statistics.question_statistics(version=version))[key]


@pytest.mark.django_db
def test_a_question_that_the_weaker_half_gets_right_is_flagged_negative():
    version = published()
    # Right in exactly the attempts whose other answer is wrong: r = −1.
    stats = _stats_for(version, "omgekeerd", [(True, False)] * 6 + [(False, True)] * 6)

    assert stats.answered == 12
    assert round(stats.discrimination, 3) == -1.0
    assert stats.flag == statistics.Flag.NEGATIVE
    assert stats.needs_attention
    assert "Negative" in stats.flag_label


@pytest.mark.django_db
def test_a_weakly_discriminating_question_is_flagged_low():
    version = published()
    pattern = [(True, True)] * 4 + [(True, False)] * 3 + [(False, True)] * 2
    pattern += [(False, False)] * 3
    stats = _stats_for(version, "zwak", pattern)

    # x: 7 right of 12; the rest score y is 1 when the other question was right (6 times);
    # both right 4 times. r = (12·4 − 7·6) / √((12·7 − 49)(12·6 − 36)) = 6 / √1260 = 0.169.
    assert round(stats.discrimination, 3) == 0.169
    assert stats.flag == statistics.Flag.LOW
    assert stats.needs_attention
    assert "Low" in stats.flag_label


def test_the_flag_follows_the_thresholds():
    stats = statistics.QuestionStats(question=None, tips=[], answered=10, correct=5)

    for value, flag in [
        (None, statistics.Flag.NO_VARIANCE),
        (-0.01, statistics.Flag.NEGATIVE),
        (0.0, statistics.Flag.LOW),
        (0.199, statistics.Flag.LOW),
        (0.2, statistics.Flag.OK),
    ]:
        stats.discrimination = value
        assert stats.flag == flag, value
    stats.answered = 9
    stats.discrimination = -0.5
    assert stats.flag == statistics.Flag.TOO_FEW


@pytest.mark.django_db
def test_too_few_answers_are_not_judged():
    version = published()
    stats = _stats_for(version, "weinig", [(True, False)] * 4 + [(False, True)] * 5)

    assert stats.answered == 9
    assert stats.discrimination == pytest.approx(-1.0)
    assert stats.flag == statistics.Flag.TOO_FEW
    assert not stats.needs_attention


@pytest.mark.django_db
def test_a_question_everyone_gets_right_cannot_be_judged():
    version = published()
    stats = _stats_for(version, "makkelijk", [(True, True)] * 5 + [(True, False)] * 6)

    assert stats.facility == 1.0
    assert stats.discrimination is None
    assert stats.flag == statistics.Flag.NO_VARIANCE
    assert not stats.needs_attention


# --------------------------------------------------------------------------- sorting


def test_sorting_puts_questions_without_a_figure_last(data_set):
    make_question(data_set, "a-zonder-antwoorden")
    stats = statistics.question_statistics(version=data_set)

    ascending = statistics.sort_question_statistics(stats=stats, column="facility")
    descending = statistics.sort_question_statistics(
        stats=stats, column="facility", descending=True
    )

    assert [s.key for s in ascending] == ["q2", "q1", "q3", "a-zonder-antwoorden"]
    assert [s.key for s in descending] == ["q1", "q3", "q2", "a-zonder-antwoorden"]
    assert [s.key for s in statistics.sort_question_statistics(stats=stats, column="key")] == [
        "a-zonder-antwoorden",
        "q1",
        "q2",
        "q3",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("facility", ("facility", False)),
        ("-discrimination", ("discrimination", True)),
        ("", ("key", False)),
        ("-name", ("key", False)),
        (None, ("key", False)),
    ],
)
def test_parse_sort(value, expected):
    assert statistics.parse_sort(value=value) == expected


# --------------------------------------------------------------------------- queries


def _queries(version) -> int:
    with CaptureQueriesContext(connection) as context:
        statistics.question_statistics(version=version)
        statistics.tip_statistics(version=version)
        statistics.attempt_summary(version=version)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_a_fixed_number_of_queries_for_5_or_50_attempts():
    counts = []
    for number, attempts in ((1, 5), (2, 50)):
        version = published(number=number, guideline=GuidelineFactory())
        questions = hand_computed_bank(version)
        employee = EmployeeFactory()
        for index in range(attempts):
            answers = ANSWERS[index % len(ANSWERS)]
            make_attempt(
                version,
                {questions[key]: ticked for key, ticked in answers.items()},
                employee=employee,
            )
        counts.append(_queries(version))

    # Questions, their tips, their options, the answer sums, the option counts;
    # tips with the per-tip sums (2); the attempt summary (1).
    assert counts == [8, 8]
