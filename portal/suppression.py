"""Small groups stay hidden: one rule, complementary suppression, for every page and
export that shows a group's figures (the campaign dashboard's quiz figures per
department, live or kept, and the quiz statistics page with its CSV).

The rule (docs/architecture.md, "Small groups stay hidden"):

1. A group of fewer than ``minimum`` people (but at least one) is hidden: its primary
   suppression.
2. When a group is hidden, the next-smallest groups of the same breakdown are hidden
   too, one by one (smallest first, ties in the breakdown's order), until the hidden
   groups together hold at least ``minimum`` people. Whoever subtracts the shown groups
   from a total then learns only the figures of a group that is large enough.
3. When even all the groups together hold fewer than ``minimum`` people, every group is
   hidden and so is the total: the total is a group too.

An empty group (nobody) has no figures to hide and never serves as a complement.

The function is pure: the caller passes the sizes and the minimum (``min_group_size``
reads the setting), so that a page, its export and its kept figures hide the same
groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.conf import settings


def min_group_size() -> int:
    """The smallest group whose figures are shown (PORTAL_CAMPAIGN_MIN_GROUP_SIZE), at
    least 1."""
    return max(int(getattr(settings, "CAMPAIGN_MIN_GROUP_SIZE", 5)), 1)


@dataclass(frozen=True)
class Suppression[K: Hashable]:
    """Which groups of a breakdown are hidden, and whether its total is."""

    hidden: frozenset[K]
    total_hidden: bool
    minimum: int

    def shows(self, key: K) -> bool:
        return key not in self.hidden


def suppress[K: Hashable](*, sizes: Mapping[K, int], minimum: int) -> Suppression[K]:
    """The groups of one breakdown to hide ({group: people in it}, in the breakdown's
    order) by complementary suppression (module docstring)."""
    minimum = max(minimum, 1)
    order = {key: position for position, key in enumerate(sizes)}
    hidden = {key for key, size in sizes.items() if 0 < size < minimum}
    total = sum(size for size in sizes.values() if size > 0)
    if hidden:
        candidates = sorted(
            (key for key, size in sizes.items() if size >= minimum),
            key=lambda key: (sizes[key], order[key]),
        )
        together = sum(sizes[key] for key in hidden)
        for key in candidates:
            if together >= minimum:
                break
            hidden.add(key)
            together += sizes[key]
    return Suppression(hidden=frozenset(hidden), total_hidden=0 < total < minimum, minimum=minimum)
