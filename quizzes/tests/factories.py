"""Factories and helpers for quiz tests: questions with options, banks, attempts.

    QuestionFactory(version=v, tips=[1, 3])            3 options, the first one right
    QuestionFactory(multiple_answers=True)             4 options, the first two right
    QuestionFactory(options=[False, True, False, True], multiple_answers=True)
    quiz_version(tips=4, per_tip=2)                    a published version with a bank
    submitted_attempt(employee=e, version=v, right=[q1])   q1 right, the others wrong
    submitted_attempt(..., answers={q1: [option]})     exactly these options chosen

Attempts that go through drawing are made with quizzes.services.start_attempt; these
helpers build them directly (AttemptQuestion per question) when a test needs to know
exactly what was served.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import factory
from django.urls import reverse
from django.utils import timezone

from handbook.models import Tip
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory, published_version
from people.tests.factories import EmployeeFactory
from quizzes import services
from quizzes.models import Attempt, AttemptQuestion, Option, Question, QuizSettings


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory("quizzes.tests.factories.QuestionFactory", options=[])
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Antwoord {n}")
    text_en = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False
    explanation = factory.Sequence(lambda n: f"Uitleg {n}")
    explanation_en = factory.Sequence(lambda n: f"Explanation {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with options. ``options``: which are right, in position order;
    ``tips``: Tip objects or tip numbers of the question's version, main tip first."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    version = factory.SubFactory(GuidelineVersionFactory)
    key = factory.Sequence(lambda n: f"vraag-{n}")
    position = factory.Sequence(lambda n: n + 1)
    situation = factory.Sequence(lambda n: f"Situatie {n}: een inwoner reageert op een bericht.")
    situation_en = factory.Sequence(lambda n: f"Situation {n}: a resident responds to a post.")
    prompt = "Wat doe je?"
    prompt_en = "What do you do?"
    multiple_answers = False
    is_active = True

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = (
                [True, True, False, False] if self.multiple_answers else [True, False, False]
            )
        Option.objects.bulk_create(
            Option(
                question=self,
                position=index,
                text=f"{self.key}: optie {index}",
                text_en=f"{self.key}: option {index}",
                is_correct=bool(right),
                explanation=f"{self.key}: uitleg {index}",
                explanation_en=f"{self.key}: explanation {index}",
            )
            for index, right in enumerate(extracted, start=1)
        )

    @factory.post_generation
    def tips(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        tips = [
            tip if isinstance(tip, Tip) else Tip.objects.get(version_id=self.version_id, number=tip)
            for tip in extracted
        ]
        services.set_question_tips(question=self, tips=tips)


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt started now, nothing served; see start_attempt / submitted_attempt."""

    class Meta:
        model = Attempt

    employee = factory.SubFactory(EmployeeFactory)
    version = factory.SubFactory(GuidelineVersionFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))
    question_count = 0
    pass_mark = 80


def quiz_version(
    *,
    tips: int = 3,
    per_tip: int = 1,
    multiple: Iterable[int] = (),
    number: int = 1,
    guideline=None,
    effective_date: datetime.date | None = None,
    **settings,
):
    """A published version (in force today) with ``tips`` tips and ``per_tip`` questions
    per tip (keys "tip<N>-<i>", main tip N). The questions at the positions in
    ``multiple`` (1-based, in bank order) have more than one right answer.
    Keyword arguments are quiz settings (questions_per_attempt=..., shuffle_options=...)."""
    version = published_version(
        guideline or GuidelineFactory(),
        number=number,
        tips=[f"Tip {n}: doe het goed." for n in range(1, tips + 1)],
        effective_date=effective_date or timezone.localdate(),
    )
    make_bank(version, per_tip=per_tip, multiple=multiple)
    if settings:
        QuizSettings.objects.update_or_create(version=version, defaults=settings)
    return version


def make_bank(version, *, per_tip: int = 1, multiple: Iterable[int] = ()) -> list[Question]:
    """Questions for every tip of the version (main tip = that tip)."""
    multiple = set(multiple)
    questions = []
    position = 0
    for tip in version.tips.order_by("number"):
        for index in range(1, per_tip + 1):
            position += 1
            questions.append(
                QuestionFactory(
                    version=version,
                    key=f"tip{tip.number}-{index}",
                    position=position,
                    multiple_answers=position in multiple,
                    tips=[tip],
                )
            )
    return questions


def right_options(question: Question) -> list[Option]:
    return [option for option in question.options.order_by("position") if option.is_correct]


def wrong_option(question: Question) -> Option:
    return question.options.filter(is_correct=False).order_by("position").first()


def right_answers(attempt: Attempt) -> dict[int, list[int]]:
    """{question id: right option ids} for every question served in the attempt."""
    return {
        served.question_id: [o.pk for o in right_options(served.question)]
        for served in attempt.served.select_related("question")
    }


def wrong_answers(attempt: Attempt) -> dict[int, list[int]]:
    """{question id: [a wrong option id]} for every question served in the attempt."""
    return {
        served.question_id: [wrong_option(served.question).pk]
        for served in attempt.served.select_related("question")
    }


def post_data(answers: dict[int, list[int]]) -> dict[str, list[str]]:
    """Answers as the attempt form posts them."""
    return {
        f"question-{question_id}": [str(option_id) for option_id in option_ids]
        for question_id, option_ids in answers.items()
    }


def served_attempt(
    *,
    employee=None,
    version=None,
    questions: Iterable[Question] | None = None,
    purpose: str = Attempt.Purpose.FULL,
    pass_mark: int = 80,
    started_at: datetime.datetime | None = None,
    minutes: int = 60,
) -> Attempt:
    """An open attempt serving exactly these questions (default: the version's active
    ones), options in position order."""
    employee = employee or EmployeeFactory()
    if version is None:
        version = questions[0].version if questions else quiz_version()
    questions = list(
        questions
        if questions is not None
        else version.questions.filter(is_active=True).order_by("position")
    )
    started_at = started_at or timezone.now()
    attempt = AttemptFactory(
        employee=employee,
        version=version,
        purpose=purpose,
        question_count=len(questions),
        pass_mark=pass_mark,
        expires_at=started_at + datetime.timedelta(minutes=minutes),
    )
    Attempt.objects.filter(pk=attempt.pk).update(started_at=started_at)
    attempt.refresh_from_db()
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            question=question,
            position=position,
            option_order=list(question.options.order_by("position").values_list("pk", flat=True)),
        )
        for position, question in enumerate(questions, start=1)
    )
    return attempt


def submitted_attempt(
    *,
    employee=None,
    version=None,
    questions: Iterable[Question] | None = None,
    answers: dict | None = None,
    right: bool | Iterable[Question] = True,
    submitted_at: datetime.datetime | None = None,
    purpose: str = Attempt.Purpose.FULL,
    pass_mark: int = 80,
) -> Attempt:
    """An attempt scored by quizzes.services.submit_attempt.

    ``answers`` ({question or id: [options or ids]}) fixes what was chosen; for the other
    questions ``right`` says which are answered right: True (all), False (none) or the
    questions answered right. ``submitted_at`` back-dates the attempt.
    """
    submitted_at = submitted_at or timezone.now()
    attempt = served_attempt(
        employee=employee,
        version=version,
        questions=questions,
        purpose=purpose,
        pass_mark=pass_mark,
        started_at=submitted_at - datetime.timedelta(minutes=5),
    )
    fixed = {
        _pk(question): [_pk(option) for option in options]
        for question, options in (answers or {}).items()
    }
    right_ids = None if isinstance(right, bool) else {_pk(question) for question in right}
    given = {}
    for served in attempt.served.select_related("question").order_by("position"):
        question = served.question
        if question.pk in fixed:
            given[question.pk] = fixed[question.pk]
            continue
        is_right = right if right_ids is None else question.pk in right_ids
        given[question.pk] = (
            [o.pk for o in right_options(question)] if is_right else [wrong_option(question).pk]
        )
    return services.submit_attempt(
        employee=attempt.employee, attempt_id=attempt.pk, answers=given, now=submitted_at
    )


def _pk(value) -> int:
    return value if isinstance(value, int) else value.pk


def quiz_url(name: str = "start", *, guideline: str = DEFAULT_GUIDELINE_SLUG, **kwargs) -> str:
    """The address of a quiz page (quizzes:<name>) of the guideline with this short name
    (the factories' guideline unless given)."""
    return reverse(f"quizzes:{name}", kwargs={"guideline": guideline, **kwargs})


def attempt_url(attempt: Attempt, name: str = "attempt") -> str:
    """The attempt's page (or its result page, name="result") under its own guideline."""
    return quiz_url(name, guideline=attempt.version.guideline.slug, pk=attempt.pk)


def editor_url(name: str, *, guideline: str = DEFAULT_GUIDELINE_SLUG) -> str:
    """The address of an editors' quiz page (quiz_editor:<name>) of that guideline."""
    return reverse(f"quiz_editor:{name}", kwargs={"guideline": guideline})
