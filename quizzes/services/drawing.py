"""Which questions an attempt gets.

Every tip group is covered as evenly as possible: the draw goes round the tips, each
round in a random order, and each tip in turn gets one not-yet-drawn question whose
main tip it is (or, when those are used up, one that tests it at all). Within a tip the
employee gets a question they have not seen before when there is one, else the one
they saw longest ago; in each round the tips with such fresh questions go first.

Pure functions on plain data, so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

NO_TIP = None  # the group of a question that tests no tip


@dataclass(frozen=True)
class Candidate:
    """A question that may be drawn, with its tips (ids, main tip first)."""

    question_id: int
    tips: tuple[int, ...]

    @property
    def main_tip(self) -> int | None:
        return self.tips[0] if self.tips else NO_TIP


_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def draw(
    *,
    candidates: list[Candidate],
    count: int,
    last_seen: dict[int, datetime.datetime] | None = None,
    rng: random.Random | None = None,
) -> list[int]:
    """The ids of ``count`` questions (or all when there are fewer), in a random order.

    ``last_seen`` maps question ids the employee was served before to when they were.
    """
    rng = rng or random.SystemRandom()
    last_seen = last_seen or {}
    tiebreak = {candidate.question_id: rng.random() for candidate in candidates}

    def freshness(question_id: int) -> tuple[bool, datetime.datetime, float]:
        seen = last_seen.get(question_id)
        return (seen is not None, seen or _NEVER, tiebreak[question_id])

    by_main_tip: dict[int | None, list[int]] = {}
    by_any_tip: dict[int | None, list[int]] = {}
    for candidate in candidates:
        by_main_tip.setdefault(candidate.main_tip, []).append(candidate.question_id)
        for tip in candidate.tips or (NO_TIP,):
            by_any_tip.setdefault(tip, []).append(candidate.question_id)
    tips = list(by_any_tip)
    tip_order = {tip: rng.random() for tip in tips}

    drawn: list[int] = []
    taken: set[int] = set()

    def best_for(tip: int | None) -> int | None:
        for group in (by_main_tip.get(tip, []), by_any_tip.get(tip, [])):
            pool = [question_id for question_id in group if question_id not in taken]
            if pool:
                return min(pool, key=freshness)
        return None

    while len(drawn) < count:
        progress = False
        # Tips whose best question is fresh come first; ties in a random order.
        round_tips = []
        for tip in tips:
            best = best_for(tip)
            if best is not None:
                round_tips.append((freshness(best)[:2], tip_order[tip], tip))
        round_tips.sort(key=lambda item: (item[0], item[1]))
        for _freshness, _order, tip in round_tips:
            if len(drawn) >= count:
                break
            question_id = best_for(tip)
            if question_id is None:
                continue
            drawn.append(question_id)
            taken.add(question_id)
            progress = True
        if not progress:
            break
        # A new round: shuffle the tips again.
        tip_order = {tip: rng.random() for tip in tips}
    rng.shuffle(drawn)
    return drawn
