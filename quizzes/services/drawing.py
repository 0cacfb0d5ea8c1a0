"""Which questions an attempt gets.

Questions the employee saw least recently go first: those never served to them, then
the others by when the attempt that served them last started, oldest first. So an
attempt repeats nothing of the previous attempt while the bank has enough other
questions, and when it must repeat, it repeats what was seen longest ago. Questions
served by the same attempt (or never served) are equally fresh; when the quiz can take
only some of them, the choice among them covers every tip group as evenly as possible,
counting the questions already drawn: the tip with the fewest goes next (ties in a
random order) and gets one of its not-yet-drawn questions whose main tip it is (or,
when those are used up, one that tests it at all), at random. For a first attempt all
questions are equally fresh, so it is spread over the tips as evenly as the bank allows.

Pure functions on plain data, so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
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

    ``last_seen`` maps question ids the employee was served before to when they were
    (the start of the latest attempt that served them).
    """
    rng = rng or random.SystemRandom()
    last_seen = last_seen or {}
    by_freshness: dict[datetime.datetime | None, list[Candidate]] = {}
    for candidate in candidates:
        by_freshness.setdefault(last_seen.get(candidate.question_id), []).append(candidate)
    drawn: list[int] = []
    per_tip: Counter[int | None] = Counter()
    for seen in sorted(by_freshness, key=lambda seen: (seen is not None, seen or _NEVER)):
        room = count - len(drawn)
        if room <= 0:
            break
        equally_fresh = by_freshness[seen]
        if len(equally_fresh) <= room:
            drawn.extend(candidate.question_id for candidate in equally_fresh)
            per_tip.update(candidate.main_tip for candidate in equally_fresh)
        else:
            drawn.extend(_spread(equally_fresh, room, per_tip, rng))
    rng.shuffle(drawn)
    return drawn


def _spread(
    candidates: list[Candidate], count: int, per_tip: Counter[int | None], rng: random.Random
) -> list[int]:
    """``count`` of the candidates, fewer than there are, spread over their tips: the
    tip with the fewest questions so far (``per_tip``, updated) goes next."""
    tiebreak = {candidate.question_id: rng.random() for candidate in candidates}
    by_main_tip: dict[int | None, list[int]] = {}
    by_any_tip: dict[int | None, list[int]] = {}
    for candidate in candidates:
        by_main_tip.setdefault(candidate.main_tip, []).append(candidate.question_id)
        for tip in candidate.tips or (NO_TIP,):
            by_any_tip.setdefault(tip, []).append(candidate.question_id)
    taken: set[int] = set()

    def best_for(tip: int | None) -> int | None:
        for group in (by_main_tip.get(tip, []), by_any_tip.get(tip, [])):
            pool = [question_id for question_id in group if question_id not in taken]
            if pool:
                return min(pool, key=tiebreak.__getitem__)
        return None

    picked: list[int] = []
    while len(picked) < count:
        turns = []
        for tip in by_any_tip:
            best = best_for(tip)
            if best is not None:
                turns.append((per_tip[tip], rng.random(), tip, best))
        if not turns:
            break
        _fewest, _order, tip, question_id = min(turns, key=lambda turn: turn[:2])
        picked.append(question_id)
        taken.add(question_id)
        per_tip[tip] += 1
    return picked
