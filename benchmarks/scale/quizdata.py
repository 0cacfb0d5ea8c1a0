"""Quiz attempts as rows: the attempt, what was served, the answers and options chosen.

Questions are drawn with the quiz's own drawing rules (quizzes.services.drawing), from a pool of
draws made once per version and purpose (drawing per attempt would dominate the run).
Each attempt keeps only its draw and which answers were right (a bit mask), and its seed
picks the option orders, so the served, answer and chosen rows are produced in separate
passes (one COPY each) without keeping millions of rows in memory. Answers older than
QUIZ_ANSWER_RETENTION_DAYS are left out, as prune_quiz_answers would have removed them;
what was served stays.
"""

from __future__ import annotations

import datetime
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from benchmarks import bulk
from benchmarks.scale.activity import PlannedAttempt
from quizzes.models import Answer, Attempt, AttemptQuestion, Option, Question
from quizzes.services import settings_for
from quizzes.services.drawing import Candidate, draw

DRAWS_PER_QUIZ = 64
ORDERS_PER_QUESTION = 6
ATTEMPT_COLUMNS = (
    "id", "employee_id", "version_id", "purpose", "language", "started_at", "expires_at",
    "submitted_at", "question_count", "correct_count", "pass_mark", "passed",
)  # fmt: skip


@dataclass
class QuestionData:
    right: list[int]  # option ids, sorted
    wrong: list[int]
    orders: list[str]  # option orders as served (JSON text), a few per question


@dataclass
class Quiz:
    """One version's quiz as the attempts need it."""

    pass_mark: int
    minutes: int
    draws: dict[str, list[list[int]]]  # purpose -> question ids per draw
    questions: dict[int, QuestionData]


def _candidates(version, tip_ids: set[int] | None) -> list[Candidate]:
    """Active questions with their tips (main tip first); only those on ``tip_ids``
    when given (the quiz on the changes), as quizzes.services draws from."""
    through = Question.tips.through
    rows = (
        through.objects.filter(question__version=version, question__is_active=True)
        .order_by("pk")
        .values_list("question_id", "tip_id")
    )
    tips: dict[int, list[int]] = {}
    for question_id, tip_id in rows:
        tips.setdefault(question_id, []).append(tip_id)
    active = Question.objects.filter(version=version, is_active=True).values_list("pk", flat=True)
    return [
        Candidate(pk, tuple(tips.get(pk, ())))
        for pk in active
        if tip_ids is None or set(tips.get(pk, ())) & tip_ids
    ]


def load_quiz(rng: random.Random, version, *, changed_tip_ids: set[int] | None = None) -> Quiz:
    """The version's settings, a pool of draws per purpose (the quiz on the changes only
    with ``changed_tip_ids``) and its questions' options, with a few orders each."""
    quiz_settings = settings_for(version=version)
    count = quiz_settings.questions_per_attempt
    draws = {}
    purposes = {Attempt.Purpose.FULL: None, Attempt.Purpose.CHANGES: changed_tip_ids}
    for purpose, tip_ids in purposes.items():
        if purpose == Attempt.Purpose.CHANGES and not tip_ids:
            continue
        candidates = _candidates(version, tip_ids)
        draws[purpose] = [
            draw(candidates=candidates, count=count, rng=rng) for _ in range(DRAWS_PER_QUIZ)
        ]
    questions: dict[int, QuestionData] = {}
    options = Option.objects.filter(question__version=version).order_by("question_id", "position")
    for question_id, option_id, is_correct in options.values_list(
        "question_id", "pk", "is_correct"
    ):
        data = questions.setdefault(question_id, QuestionData([], [], []))
        (data.right if is_correct else data.wrong).append(option_id)
    for data in questions.values():
        ids = sorted(data.right + data.wrong)
        for _ in range(ORDERS_PER_QUESTION):
            order = list(ids)
            if quiz_settings.shuffle_options:
                rng.shuffle(order)
            data.orders.append(json.dumps(order))
    return Quiz(quiz_settings.pass_mark, quiz_settings.minutes_per_attempt, draws, questions)


@dataclass(slots=True)
class _Shape:
    """Which questions an attempt served and which were answered right."""

    questions: list[int]
    correct: int
    right: int  # bit n set: the question at position n (0-based) was answered right


def _shape(rng: random.Random, attempt: PlannedAttempt, quiz: Quiz) -> _Shape:
    draws = quiz.draws.get(attempt.purpose) or quiz.draws[Attempt.Purpose.FULL]
    questions = draws[rng.randrange(len(draws))]
    count = len(questions)
    needed = math.ceil(quiz.pass_mark * count / 100)
    if attempt.passed:
        correct = rng.randint(needed, count)
    else:
        correct = rng.randint(max(0, needed - 4), max(0, needed - 1))
    right = sum(1 << position for position in rng.sample(range(count), correct))
    return _Shape(questions, correct, right)


class AttemptRows:
    """The rows of the planned attempts, table by table, with ids from ``first_ids``."""

    def __init__(
        self, rng: random.Random, attempts: list[PlannedAttempt], quizzes: dict[int, Quiz]
    ):
        self.attempts = attempts
        self.quizzes = quizzes
        self.shapes = [_shape(rng, a, quizzes[a.version_id]) for a in attempts]
        days = settings.QUIZ_ANSWER_RETENTION_DAYS
        cutoff = timezone.now() - datetime.timedelta(days=days)
        self.answered = [a.submitted_at >= cutoff for a in attempts]

    def attempt_rows(self) -> Iterator[tuple]:
        for attempt, shape in zip(self.attempts, self.shapes, strict=True):
            quiz = self.quizzes[attempt.version_id]
            count = len(shape.questions)
            yield (
                attempt.id,
                attempt.employee_id,
                attempt.version_id,
                attempt.purpose,
                attempt.language,
                attempt.started_at,
                attempt.started_at + datetime.timedelta(minutes=quiz.minutes),
                attempt.submitted_at,
                count,
                shape.correct,
                quiz.pass_mark,
                100 * shape.correct >= quiz.pass_mark * count,
            )

    def _served(self) -> Iterator[tuple]:
        """(served id, attempt, shape, position, question id, answered) in id order."""
        served_id = self.first_served_id
        for attempt, shape, answered in zip(self.attempts, self.shapes, self.answered, strict=True):
            for position, question_id in enumerate(shape.questions):
                yield served_id, attempt, shape, position, question_id, answered
                served_id += 1

    def served_rows(self) -> Iterator[tuple]:
        for served_id, attempt, _shape, position, question_id, _answered in self._served():
            orders = self.quizzes[attempt.version_id].questions[question_id].orders
            yield (
                served_id,
                attempt.id,
                question_id,
                position + 1,
                orders[(attempt.seed + position) % len(orders)],
            )

    def answer_rows(self) -> Iterator[tuple]:
        # An answer has the id of its served question: one answer per served question.
        for served_id, _attempt, shape, position, _question, answered in self._served():
            if answered:
                yield (served_id, served_id, bool(shape.right >> position & 1))

    def chosen_rows(self) -> Iterator[tuple]:
        for served_id, attempt, shape, position, question_id, answered in self._served():
            if not answered:
                continue
            data = self.quizzes[attempt.version_id].questions[question_id]
            if shape.right >> position & 1:
                for option_id in data.right:
                    yield (served_id, option_id)
            else:
                yield (served_id, data.wrong[(attempt.seed + position) % len(data.wrong)])

    def insert_attempts(self) -> int:
        return bulk.insert_rows(Attempt, ATTEMPT_COLUMNS, self.attempt_rows())

    def insert_served(self) -> int:
        self.first_served_id = max(bulk.next_id(AttemptQuestion), bulk.next_id(Answer))
        return bulk.insert_rows(
            AttemptQuestion,
            ["id", "attempt_id", "question_id", "position", "option_order"],
            self.served_rows(),
        )

    def insert_answers(self) -> int:
        """The answers and the options chosen (after insert_served)."""
        count = bulk.insert_rows(Answer, ["id", "served_id", "is_correct"], self.answer_rows())
        bulk.insert_rows(Answer.chosen.through, ["answer_id", "option_id"], self.chosen_rows())
        return count
