"""Demo quiz attempts, so that the statistics pages have something to show.

Deterministic: the same employees answer the same way on every machine. Each demo
employee has a skill and each question a difficulty; one question is made to trip up
the strong employees more than the weak ones, so that a low discrimination is flagged.
"""

import random

from quizzes.models import Attempt, Option
from quizzes.services import start_attempt, submit_attempt

SEED = 2026


def seed_demo_attempts(*, employees, version) -> int:
    """One finished attempt for each employee who has none yet; returns how many."""
    done = set(
        Attempt.objects.filter(version=version, employee__in=employees).values_list(
            "employee_id", flat=True
        )
    )
    created = 0
    for employee in employees:
        if employee.pk in done:
            continue
        rng = random.Random(f"{SEED}-{employee.employee_number}")
        skill = rng.uniform(0.45, 0.95)
        attempt = start_attempt(employee=employee, version=version, rng=rng)
        answers = {}
        for served in attempt.served.select_related("question").order_by("position"):
            options = list(Option.objects.filter(question=served.question).order_by("position"))
            right = [o.pk for o in options if o.is_correct]
            wrong = [o.pk for o in options if not o.is_correct]
            difficulty = random.Random(f"{SEED}-{served.question.key}").uniform(-0.15, 0.15)
            chance = skill - difficulty
            if served.question.position == 1:  # the deliberately misleading one
                chance = 1.2 - skill
            answers[served.question_id] = right if rng.random() < chance else [rng.choice(wrong)]
        submit_attempt(employee=employee, attempt_id=attempt.pk, answers=answers)
        created += 1
    return created
