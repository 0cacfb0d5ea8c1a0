"""Complementary suppression (portal.suppression): a hidden group's figures can never be
worked out from the groups shown and the total."""

from __future__ import annotations

import itertools

from portal.suppression import min_group_size, suppress


def test_groups_large_enough_are_all_shown():
    result = suppress(sizes={"a": 5, "b": 7}, minimum=5)

    assert result.hidden == frozenset()
    assert not result.total_hidden


def test_a_group_of_one_hides_the_next_smallest_group_too():
    result = suppress(sizes={"big": 20, "one": 1, "next": 6, "middle": 9}, minimum=5)

    assert result.hidden == {"one", "next"}
    assert not result.total_hidden


def test_complements_are_added_until_the_hidden_groups_hold_the_minimum_together():
    result = suppress(sizes={"a": 1, "b": 5, "c": 5, "d": 30}, minimum=10)

    # 1 alone is too few; 1 + 5 = 6 still is; 1 + 5 + 5 = 11 is enough.
    assert result.hidden == {"a", "b", "c"}


def test_two_small_groups_large_enough_together_need_no_complement():
    result = suppress(sizes={"a": 2, "b": 3, "c": 40}, minimum=5)

    assert result.hidden == {"a", "b"}


def test_ties_are_broken_in_the_breakdowns_order():
    result = suppress(sizes={"one": 1, "first": 6, "second": 6}, minimum=5)

    assert result.hidden == {"one", "first"}


def test_an_empty_group_is_never_a_complement():
    result = suppress(sizes={"one": 1, "empty": 0, "big": 8}, minimum=5)

    assert result.hidden == {"one", "big"}


def test_when_all_groups_together_are_too_few_the_total_is_hidden_too():
    result = suppress(sizes={"a": 1, "b": 2}, minimum=5)

    assert result.hidden == {"a", "b"}
    assert result.total_hidden


def test_a_total_of_nobody_has_nothing_to_hide():
    result = suppress(sizes={"a": 0}, minimum=5)

    assert (result.hidden, result.total_hidden) == (frozenset(), False)


def test_no_hidden_group_is_ever_derivable_from_the_total_and_the_groups_shown():
    """Whatever the sizes: the people behind the hidden figures (total minus what is
    shown) are nobody or at least the minimum, unless the total is hidden too."""
    minimum = 5
    for sizes in itertools.product([0, 1, 2, 4, 5, 6, 9], repeat=4):
        breakdown = dict(enumerate(sizes))

        result = suppress(sizes=breakdown, minimum=minimum)

        shown = [size for key, size in breakdown.items() if result.shows(key)]
        assert all(size == 0 or size >= minimum for size in shown), sizes
        remainder = sum(sizes) - sum(shown)
        assert result.total_hidden or remainder == 0 or remainder >= minimum, sizes


def test_the_minimum_is_the_setting_and_at_least_one(settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 7
    assert min_group_size() == 7

    settings.CAMPAIGN_MIN_GROUP_SIZE = 0
    assert min_group_size() == 1
