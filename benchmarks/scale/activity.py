"""What the employees did: who read which tips, took the quiz and signed, and when.

Planned in Python as small records (benchmarks.scale.quizdata and ledgerdata turn them
into rows). States for the current version (3):

- ``signed``: read every tip, passed the quiz (some failed once first), signed;
- ``ready``: the same without signing: they can sign now (the benchmarks make them);
- ``failed``: read the tips, failed the quiz once or twice;
- ``reading``: opened some tips;
- ``idle``: nothing yet.

Separately, ``signed_previous``: signed version 2 a year earlier (after reading it and
passing its quiz), so that version 3 asks them to sign again (read the changed tips,
pass the quiz on the changes).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from benchmarks.scale import constants as c
from benchmarks.scale.organisation import Organisation, Person
from quizzes.models import Attempt

MINUTE = datetime.timedelta(minutes=1)


@dataclass(slots=True)
class PlannedAttempt:
    id: int
    employee_id: int
    version_id: int
    purpose: str
    language: str
    started_at: datetime.datetime
    submitted_at: datetime.datetime
    passed: bool
    seed: int  # picks the option orders served and the wrong options chosen


@dataclass(slots=True)
class PlannedReads:
    employee_id: int
    tip_ids: list[int]  # in the order opened (often one shared list)
    first: datetime.datetime
    gap_seconds: int

    def rows(self):
        gap = datetime.timedelta(seconds=self.gap_seconds)
        for index, tip_id in enumerate(self.tip_ids):
            yield (self.employee_id, tip_id, self.first + index * gap)


@dataclass(slots=True)
class PlannedSignature:
    signed_at: datetime.datetime
    person: Person
    version_id: int
    attempt_id: int | None
    campaign_id: int | None = None  # the running campaign it answers (ledger format 2)


@dataclass
class Activity:
    attempts: list[PlannedAttempt] = field(default_factory=list)
    reads: list[PlannedReads] = field(default_factory=list)
    signatures: list[PlannedSignature] = field(default_factory=list)


# --------------------------------------------------------------------------- states


def assign_states(rng: random.Random, organisation: Organisation, employees: int) -> None:
    """Give every person a state for version 3 and say who signed version 2."""
    team = [p for p in organisation.people if p.manager_id == organisation.manager.id]
    # The manager can sign the social-media guideline now (ready), and did nothing on the
    # others yet: their home page has five guidelines due.
    fixed: dict[int, str] = {organisation.manager.id: "ready", organisation.hr.id: "signed"}
    others = [p for p in team if p is not organisation.employee]
    fixed[organisation.employee.id] = "reading"
    states = list(c.MANAGER_TEAM_STATES)
    states.remove("reading")
    for person, state in zip(others, states, strict=True):
        fixed[person.id] = state

    wanted = {
        "signed": round(employees * c.SIGNED_CURRENT),
        "ready": round(employees * c.READY_TO_SIGN),
        "failed": round(employees * c.FAILED_ONLY),
        "reading": round(employees * c.READING),
    }
    for person in organisation.people:
        if person.id in fixed:
            person.state = fixed[person.id]
            if person.state in wanted:
                wanted[person.state] -= 1
    pool = [p for p in organisation.people if p.active and p.id not in fixed]
    states = [state for state, count in wanted.items() for _ in range(max(0, count))]
    states += ["idle"] * (len(pool) - len(states))
    rng.shuffle(states)
    for person, state in zip(pool, states, strict=False):
        person.state = state

    # Version 2 was signed by most of today's signers and some others (also leavers),
    # all of whom worked here then; never by the well-known employee and manager
    # (first-timers: their pages take the same path at every size).
    v2_start = timezone.localdate() - datetime.timedelta(days=c.VERSION_2_AGO)
    first_timers = {organisation.employee.id, organisation.manager.id}
    eligible = [
        p for p in organisation.people if p.start_date < v2_start and p.id not in first_timers
    ]
    signers = [p for p in eligible if p.state == "signed"]
    rest = [p for p in eligible if p.state != "signed"]
    total = round(employees * c.SIGNED_PREVIOUS)
    from_signers = min(len(signers), round(total * 0.75))
    chosen = rng.sample(signers, from_signers)
    chosen += rng.sample(rest, min(len(rest), total - from_signers))
    for person in chosen:
        person.signed_previous = True


# --------------------------------------------------------------------------- timelines


class Timeline:
    """Builds the attempts, reads and signatures, with ids, from the states."""

    def __init__(
        self,
        rng: random.Random,
        *,
        first_attempt_id: int,
        versions=None,
        activity: Activity | None = None,
    ):
        self.rng = rng
        self.next_attempt_id = first_attempt_id
        self.activity = activity if activity is not None else Activity()
        self.tips: dict[int, list[int]] = {}
        if versions is not None:
            self.v2, self.v3 = versions.v2, versions.v3
            self.tips = {
                v.pk: list(v.tips.order_by("number").values_list("pk", flat=True))
                for v in (versions.v2, versions.v3)
            }
        self.now = timezone.now()

    def _moment(self, start: datetime.datetime, days: float, skew: float = 1.8):
        """A moment in the ``days`` after ``start``, most of them early on."""
        seconds = days * 86400 * (self.rng.random() ** skew)
        return start + datetime.timedelta(seconds=seconds)

    def _attempt(self, person: Person, version, purpose: str, start, passed: bool):
        submitted = start + self.rng.randint(3, 15) * MINUTE
        attempt = PlannedAttempt(
            self.next_attempt_id,
            person.id,
            version.pk,
            purpose,
            person.language,
            start,
            submitted + self.rng.randint(0, 59) * datetime.timedelta(seconds=1),
            passed,
            self.rng.getrandbits(30),
        )
        self.next_attempt_id += 1
        self.activity.attempts.append(attempt)
        return attempt

    def _read(self, person: Person, tip_ids: list[int], first) -> datetime.datetime:
        gap = self.rng.randint(25, 240)
        self.activity.reads.append(PlannedReads(person.id, tip_ids, first, gap))
        return first + datetime.timedelta(seconds=gap * len(tip_ids))

    def _quiz(self, person: Person, version, purpose: str, after, *, fails: int, passes: bool):
        """Failed attempts, then perhaps a passed one (returned)."""
        moment = after + self.rng.randint(1, 10) * MINUTE
        for _ in range(fails):
            failed = self._attempt(person, version, purpose, moment, passed=False)
            moment = failed.submitted_at + self.rng.randint(15, 24 * 60) * MINUTE
        return self._attempt(person, version, purpose, moment, passed=True) if passes else None

    def _sign(self, person: Person, version, attempt: PlannedAttempt) -> None:
        seconds = self.rng.randint(20, 600) + self.rng.random()
        signed_at = attempt.submitted_at + datetime.timedelta(seconds=seconds)
        self.activity.signatures.append(PlannedSignature(signed_at, person, version.pk, attempt.id))

    def _fails(self) -> int:
        return 1 if self.rng.random() < c.FAILED_FIRST else 0

    def previous(self, person: Person) -> None:
        """Version 2: read it, pass its quiz, sign (a year ago)."""
        start = timezone.make_aware(
            datetime.datetime.combine(
                timezone.localdate() - datetime.timedelta(days=c.VERSION_2_AGO),
                datetime.time(8, 30),
            )
        )
        first = self._moment(start, c.VERSION_2_SIGNING_DAYS - 2)
        done = self._read(person, self.tips[self.v2.pk], first)
        passed = self._quiz(
            person, self.v2, Attempt.Purpose.FULL, done, fails=self._fails(), passes=True
        )
        self._sign(person, self.v2, passed)

    def current(self, person: Person, campaign_start: datetime.datetime) -> None:
        """Version 3, by the person's state."""
        state = person.state
        if state == "idle":
            return
        tips = self.tips[self.v3.pk]
        purpose = Attempt.Purpose.CHANGES if person.signed_previous else Attempt.Purpose.FULL
        # Everything must have happened by now: start early enough for the longest path.
        days = max(1.0, (self.now - campaign_start).total_seconds() / 86400 - 2.5)
        first = self._moment(campaign_start, days)
        if state == "reading":
            count = 3 if person.email == c.EMPLOYEE_EMAIL else self.rng.randint(1, len(tips) - 1)
            self._read(person, tips[:count], first)
            return
        done = self._read(person, tips, first)
        if state == "failed":
            self._quiz(person, self.v3, purpose, done, fails=self.rng.randint(1, 2), passes=False)
            return
        passed = self._quiz(person, self.v3, purpose, done, fails=self._fails(), passes=True)
        if state == "signed":
            self._sign(person, self.v3, passed)


def plan_other_guidelines(
    rng: random.Random,
    organisation: Organisation,
    others: list,
    *,
    activity: Activity,
    first_attempt_id: int,
) -> Activity:
    """Reading, quizzes and signatures of the other guidelines (benchmarks.scale.guidelines),
    added to ``activity`` (attempt ids go on from ``first_attempt_id``): of the people each
    applies to, OTHER_SIGNED signed it and OTHER_READING opened some tips, from its
    effective date on. Never the well-known manager or employee."""
    from benchmarks.scale.guidelines import audience

    timeline = Timeline(rng, first_attempt_id=first_attempt_id, activity=activity)
    untouched = {organisation.manager.id, organisation.employee.id}
    start = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=c.OTHER_GUIDELINES_AGO),
            datetime.time(8, 30),
        )
    )
    days = max(1.0, (timeline.now - start).total_seconds() / 86400 - 2.5)
    for other in others:
        version = other.version
        tips = list(version.tips.order_by("number").values_list("pk", flat=True))
        for person in audience(other, organisation):
            if person.id in untouched:
                continue
            draw = rng.random()
            if draw < c.OTHER_READING:
                opened = tips[: rng.randint(1, len(tips) - 1)]
                timeline._read(person, opened, timeline._moment(start, days))
            elif draw < c.OTHER_READING + c.OTHER_SIGNED:
                done = timeline._read(person, tips, timeline._moment(start, days))
                fails = 1 if rng.random() < c.OTHER_FAILED_FIRST else 0
                passed = timeline._quiz(
                    person, version, Attempt.Purpose.FULL, done, fails=fails, passes=True
                )
                timeline._sign(person, version, passed)
    return activity


def plan_activity(
    rng: random.Random,
    organisation: Organisation,
    versions,
    *,
    first_attempt_id: int,
    campaign_start: datetime.datetime,
) -> Activity:
    """Attempts (with ids from ``first_attempt_id``), reads and signatures of everyone."""
    timeline = Timeline(rng, first_attempt_id=first_attempt_id, versions=versions)
    for person in organisation.people:
        if person.signed_previous:
            timeline.previous(person)
    for person in organisation.people:
        timeline.current(person, campaign_start)
    return timeline.activity
