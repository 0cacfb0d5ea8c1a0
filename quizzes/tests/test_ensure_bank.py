"""A new version gets the bank of the version it is based on, tips mapped by lineage."""

import datetime

import pytest

from handbook.models import Tip
from handbook.tests.factories import GuidelineFactory, published_version
from quizzes.models import Question
from quizzes.selectors import ordered_tips
from quizzes.services import ensure_bank
from quizzes.tests.factories import QuestionFactory


@pytest.fixture
def first(db):
    return published_version(
        GuidelineFactory(),
        number=1,
        tips=["Een.", "Twee.", "Drie."],
        effective_date=datetime.date(2026, 1, 1),
    )


def _second(first, *, texts, lineage_of):
    """Version 2 whose tips carry the lineage of version 1's tips by number (None: new)."""
    old = {tip.number: tip.lineage for tip in first.tips.all()}
    return published_version(
        first.guideline,
        number=2,
        tips=texts,
        based_on=first,
        lineages=[old.get(n) for n in lineage_of],
        changes=[Tip.Change.UNCHANGED if n else Tip.Change.NEW for n in lineage_of],
        effective_date=datetime.date(2026, 2, 1),
    )


def test_questions_are_copied_with_tips_mapped_by_lineage(first):
    QuestionFactory(version=first, key="over-drie-en-een", tips=[3, 1], situation="Een situatie.")
    # Version 2 puts the old tip 3 first and drops nothing: numbers change, lineage stays.
    second = _second(first, texts=["Drie.", "Een.", "Twee."], lineage_of=[3, 1, 2])

    ensure_bank(version=second)

    copy = second.questions.get(key="over-drie-en-een")
    assert copy.situation == "Een situatie."
    assert [t.number for t in ordered_tips(question_ids=[copy.pk])[copy.pk]] == [1, 2]
    assert all(t.version_id == second.pk for t in copy.tips.all())
    assert copy.is_active is True


def test_options_are_copied(first):
    original = QuestionFactory(version=first, tips=[1], options=[False, True, False, False])
    second = _second(first, texts=["Een.", "Twee.", "Drie."], lineage_of=[1, 2, 3])

    ensure_bank(version=second)

    copy = second.questions.get(key=original.key)
    assert [(o.position, o.text, o.is_correct) for o in copy.options.order_by("position")] == [
        (o.position, o.text, o.is_correct) for o in original.options.order_by("position")
    ]
    assert not set(copy.options.values_list("pk", flat=True)) & set(
        original.options.values_list("pk", flat=True)
    )


def test_a_question_whose_tips_all_disappeared_is_copied_inactive(first):
    QuestionFactory(version=first, key="over-twee", tips=[2])
    QuestionFactory(version=first, key="over-twee-en-drie", tips=[2, 3])
    second = _second(first, texts=["Een.", "Drie."], lineage_of=[1, 3])

    ensure_bank(version=second)

    assert second.questions.get(key="over-twee").is_active is False
    kept = second.questions.get(key="over-twee-en-drie")
    assert kept.is_active is True
    assert [t.number for t in kept.tips.all()] == [2]


def test_ensure_bank_is_idempotent(first):
    QuestionFactory(version=first, tips=[1])
    second = _second(first, texts=["Een.", "Twee.", "Drie."], lineage_of=[1, 2, 3])

    ensure_bank(version=second)
    ensure_bank(version=second)

    assert second.questions.count() == 1


def test_a_version_with_questions_is_left_alone(first):
    QuestionFactory(version=first, tips=[1])
    second = _second(first, texts=["Een.", "Twee.", "Drie."], lineage_of=[1, 2, 3])
    QuestionFactory(version=second, key="eigen", tips=[1])

    ensure_bank(version=second)

    assert list(second.questions.values_list("key", flat=True)) == ["eigen"]


def test_a_first_version_without_questions_stays_empty(first):
    ensure_bank(version=first)

    assert not Question.objects.exists()
