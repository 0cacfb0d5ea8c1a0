"""default_current_version(): the current version of the default guideline in one query,
the same as current_version(default_guideline())."""

import datetime

import pytest

from handbook.selectors import (
    DEFAULT_GUIDELINE_SLUG,
    current_version,
    default_current_version,
    default_guideline,
)
from handbook.tests.factories import (
    GuidelineFactory,
    GuidelineVersionFactory,
    published_version,
    retire_at_once,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _expected(today=TODAY):
    guideline = default_guideline()
    return current_version(guideline=guideline, today=today) if guideline else None


def _same_version(found, expected) -> bool:
    """Equal and loaded with the same field values (not just the same primary key)."""
    if found is None or expected is None:
        return found is expected
    fields = [field.attname for field in type(expected)._meta.concrete_fields]
    return found == expected and all(
        getattr(found, name) == getattr(expected, name) for name in fields
    )


@pytest.fixture
def default():
    return GuidelineFactory(slug=DEFAULT_GUIDELINE_SLUG, title="Handreiking sociale media")


@pytest.fixture
def other():
    # Sorts before the default guideline by title, so a fallback by title would pick it.
    return GuidelineFactory(slug="aaa-eerst", title="Aaa eerst op titel")


def test_the_newest_effective_published_version_of_the_default_guideline_wins(default, other):
    published_version(default, number=1, effective_date=datetime.date(2026, 1, 1))
    second = published_version(default, number=2, effective_date=datetime.date(2026, 3, 1))
    published_version(other, number=1, effective_date=datetime.date(2026, 5, 1))

    found = default_current_version(today=TODAY)

    assert found == second
    assert _same_version(found, _expected())


def test_a_version_published_ahead_of_its_effective_date_is_not_current_yet(default):
    first = published_version(default, number=1, effective_date=datetime.date(2026, 1, 1))
    scheduled = published_version(default, number=2, effective_date=datetime.date(2026, 7, 1))

    before = default_current_version(today=datetime.date(2026, 6, 30))
    on_the_day = default_current_version(today=datetime.date(2026, 7, 1))

    assert before == first
    assert _same_version(before, _expected(datetime.date(2026, 6, 30)))
    assert on_the_day == scheduled
    assert _same_version(on_the_day, _expected(datetime.date(2026, 7, 1)))


def test_without_the_default_slug_the_first_guideline_by_title_is_used():
    beta = GuidelineFactory(slug="beta", title="Beta")
    alpha = GuidelineFactory(slug="alpha", title="Alpha")  # created later, first by title
    published_version(beta, number=1, effective_date=datetime.date(2026, 1, 1))
    alphas = published_version(alpha, number=1, effective_date=datetime.date(2026, 1, 1))

    found = default_current_version(today=TODAY)

    assert found == alphas
    assert _same_version(found, _expected())


def test_without_a_published_version_of_the_default_guideline_there_is_none(default, other):
    GuidelineVersionFactory(guideline=default, number=1, effective_date=datetime.date(2026, 1, 1))
    # Another guideline's published version does not stand in for the default one's.
    published_version(other, number=1, effective_date=datetime.date(2026, 1, 1))

    assert default_current_version(today=TODAY) is None
    assert _expected() is None


def test_without_any_guideline_there_is_none():
    assert default_current_version(today=TODAY) is None


def test_drafts_and_retired_versions_are_ignored(default):
    first = published_version(default, number=1, effective_date=datetime.date(2026, 1, 1))
    retired = published_version(default, number=2, effective_date=datetime.date(2026, 2, 1))
    retire_at_once(retired)
    GuidelineVersionFactory(guideline=default, number=3, effective_date=datetime.date(2026, 3, 1))

    found = default_current_version(today=TODAY)

    assert found == first
    assert _same_version(found, _expected())


def test_it_costs_one_query(default, django_assert_num_queries):
    published_version(default, number=1, effective_date=datetime.date(2026, 1, 1))

    with django_assert_num_queries(1):
        default_current_version(today=TODAY)
