"""The quiz as staff take it: the start page, an attempt, its result.

Views read input and show results; starting and scoring go through quizzes.services.
Every page is about the guideline of its address (/handreikingen/<guideline>/quiz/).
Everybody sees only their own attempts: someone else's attempt, or one's own attempt at
another guideline's quiz, is "not found".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from handbook.models import Guideline
from handbook.selectors import current_version
from handbook.selectors.access import guideline_by_slug
from portal.viewhelpers import Localised, localise, portal_language
from quizzes import hooks, selectors, services
from quizzes.forms.taking import StartForm, field_name, read_answers
from quizzes.models import Attempt, AttemptQuestion

RECENT_ATTEMPTS = 20


# --------------------------------------------------------------------------- presenting


@dataclass
class OptionView:
    pk: int
    text: Localised
    explanation: Localised
    is_correct: bool
    chosen: bool = False

    @property
    def field_id(self) -> str:
        return f"option-{self.pk}"


@dataclass
class QuestionView:
    served: AttemptQuestion
    number: int
    count: int
    situation: Localised
    prompt: Localised
    multiple: bool
    options: list[OptionView]
    answered: bool = False
    is_correct: bool | None = None
    missing: bool = False
    tips: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return field_name(self.served.question_id)

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"

    @property
    def hint_id(self) -> str:
        return f"question-{self.number}-hint"

    @property
    def error_id(self) -> str:
        return f"question-{self.number}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.multiple:
            ids.append(self.hint_id)
        if self.missing:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def first_field_id(self) -> str:
        return self.options[0].field_id if self.options else self.anchor

    @property
    def chosen_options(self) -> list[OptionView]:
        return [option for option in self.options if option.chosen]

    @property
    def right_options(self) -> list[OptionView]:
        return [option for option in self.options if option.is_correct]


def present(
    served: list[AttemptQuestion],
    *,
    language: str,
    chosen: dict[int, set[int]] | None = None,
    missing: set[int] = frozenset(),
    tips: dict | None = None,
) -> list[QuestionView]:
    """The served questions in the employee's language, options in the order served.

    ``chosen`` (question id -> option ids) marks what was ticked; without it, the
    stored answers are used (result page).
    """
    views = []
    for item in served:
        question = item.question
        options = {option.pk: option for option in question.options.all()}
        answer = getattr(item, "answer", None)
        if chosen is not None:
            ticked = chosen.get(question.pk, set())
        elif answer is not None:
            ticked = {option.pk for option in answer.chosen.all()}
        else:
            ticked = set()
        views.append(
            QuestionView(
                served=item,
                number=item.position,
                count=len(served),
                situation=localise(question.situation, question.situation_en, language),
                prompt=localise(question.prompt, question.prompt_en, language),
                multiple=question.multiple_answers,
                options=[
                    OptionView(
                        pk=option.pk,
                        text=localise(option.text, option.text_en, language),
                        explanation=localise(option.explanation, option.explanation_en, language),
                        is_correct=option.is_correct,
                        chosen=option.pk in ticked,
                    )
                    for option_id in item.option_order
                    if (option := options.get(option_id)) is not None
                ],
                answered=answer is not None,
                is_correct=answer.is_correct if answer is not None else None,
                missing=item.position in missing,
                tips=(tips or {}).get(question.pk, []),
            )
        )
    return views


# The statuses a refusal may have, each with the portal's error page of its own.
ERROR_PAGES = (400, 404, 409, 410, 429)


def error_page(request, error: services.QuizRefused, *, attempt: Attempt | None = None):
    """A page that says plainly what went wrong, in the employee's language."""
    titles = {
        services.AttemptNotFound: _("Attempt not found"),
        services.AlreadySubmitted: _("Already submitted"),
        services.AttemptExpired: _("Time is up"),
        services.DailyLimitReached: _("No attempts left today"),
        services.NoQuestions: _("The quiz is not ready"),
        services.InvalidSubmission: _("The answers could not be processed"),
    }
    context = {
        "title": titles.get(type(error), _("This did not work")),
        "message": error.message,
        "code": error.code,
        "attempt": attempt,
        # The page links back to the quiz of the guideline of its address.
        "guideline_slug": request.resolver_match.kwargs["guideline"],
        # The portal's error page of the status (templates/409.html …), in the quiz's words.
        "error_template": f"{error.status}.html" if error.status in ERROR_PAGES else "400.html",
    }
    return render(request, "quizzes/error.html", context, status=error.status)


def not_found(request):
    return error_page(request, services.AttemptNotFound(_("There is no attempt with this number.")))


class QuizMixin(LoginRequiredMixin):
    """Logged-in staff; the guideline of the address (404 when there is none with that
    short name) and its version in force today."""

    def guideline(self) -> Guideline:
        if not hasattr(self, "_guideline"):
            guideline = guideline_by_slug(slug=self.kwargs["guideline"])
            if guideline is None:
                raise Http404(_("There is no guideline with this short name."))
            self._guideline = guideline
        return self._guideline

    def current(self):
        guideline = self.guideline()
        return guideline, current_version(guideline=guideline)

    def own_attempt(self, pk: int) -> Attempt | None:
        """The employee's own attempt at this guideline's quiz (the guideline of the
        address), or None: the guideline is read with the attempt, in one query."""
        attempt = selectors.attempt_of(employee=self.request.user, attempt_id=pk)
        if attempt is None or attempt.version.guideline.slug != self.kwargs["guideline"]:
            return None
        self._guideline = attempt.version.guideline
        return attempt


# --------------------------------------------------------------------------- pages


class StartView(QuizMixin, View):
    """.../quiz/: what the quiz is, the employee's own attempts, and the start button."""

    template_name = "quizzes/start.html"

    def get(self, request, guideline: str):
        guideline, version = self.current()
        if version is None:
            return render(
                request, self.template_name, {"empty": "no_current", "guideline": guideline}
            )
        count = selectors.active_question_count(version=version)
        if count == 0:
            services.ensure_bank(version=version)
            count = selectors.active_question_count(version=version)
        if count == 0:
            return render(
                request,
                self.template_name,
                {"empty": "no_bank", "version": version, "guideline": guideline},
            )
        return render(request, self.template_name, self._context(version, count))

    def _context(self, version, count: int) -> dict:
        employee = self.request.user
        now = timezone.now()
        settings = selectors.quiz_settings(version=version)
        attempts = list(
            selectors.latest_attempts(employee=employee, version=version)[:RECENT_ATTEMPTS]
        )
        for attempt in attempts:
            attempt.is_open = attempt.submitted_at is None and attempt.expires_at > now
            attempt.has_expired = attempt.submitted_at is None and attempt.expires_at <= now
        questions = min(settings.questions_per_attempt, count)
        return {
            "guideline": version.guideline,
            "version": version,
            "version_title": localise(version.title, version.title_en, portal_language()),
            "settings": settings,
            "question_count": questions,
            "needed": math.ceil(settings.pass_mark * questions / 100),
            "attempts": attempts,
            "open_attempt": next(
                (a for a in attempts if a.is_open and a.purpose == Attempt.Purpose.FULL), None
            ),
            "attempts_left": selectors.attempts_left_today(
                employee=employee, version=version, settings=settings, now=now
            ),
            # In a yearly round only a quiz passed since it began counts.
            "passed": selectors.has_passed(
                employee=employee,
                version=version,
                since=hooks.counts_from(employee=employee, version=version),
            ),
            "changes_quiz": self._changes_quiz_available(version),
        }

    def _changes_tip_ids(self, version) -> list[int] | None:
        """Who must sign again (they signed an earlier version and this one changed in
        meaning) may do only the changed tips: one rule with the signing page's."""
        tip_ids = hooks.changes_quiz_tip_ids(employee=self.request.user, version=version)
        if not tip_ids or not selectors.changes_question_count(version=version, tip_ids=tip_ids):
            return None
        return tip_ids

    def _changes_quiz_available(self, version) -> bool:
        return self._changes_tip_ids(version) is not None

    def post(self, request, guideline: str):
        _guideline, version = self.current()
        if version is None:
            return error_page(
                request, services.NoQuestions(_("No version of the guideline is in force yet."))
            )
        form = StartForm(request.POST)
        purpose = form.cleaned_data["purpose"] if form.is_valid() else None
        tip_ids = None
        if purpose == Attempt.Purpose.CHANGES:
            services.ensure_bank(version=version)  # its questions decide availability
            tip_ids = self._changes_tip_ids(version)
        if purpose is None or (purpose == Attempt.Purpose.CHANGES and tip_ids is None):
            return error_page(
                request,
                services.InvalidSubmission(_("This quiz cannot be started.")),
            )
        services.ensure_bank(version=version)
        try:
            attempt = services.start_attempt(
                employee=request.user,
                version=version,
                purpose=purpose,
                language=portal_language(),
                tip_ids=tip_ids,
            )
        except services.QuizRefused as error:
            return error_page(request, error)
        return redirect("quizzes:attempt", guideline=version.guideline.slug, pk=attempt.pk)


class AttemptView(QuizMixin, View):
    """.../quiz/poging/<id>/: the questions of an attempt; POST submits the answers once."""

    template_name = "quizzes/attempt.html"

    def get(self, request, guideline: str, pk: int):
        attempt = self.own_attempt(pk)
        if attempt is None:
            return not_found(request)
        if attempt.is_submitted:
            return redirect("quizzes:result", guideline=guideline, pk=attempt.pk)
        if attempt.expires_at <= timezone.now():
            return self.expired(request, attempt)
        return self.show(request, attempt)

    def post(self, request, guideline: str, pk: int):
        if self.own_attempt(pk) is None:  # another guideline's attempt is not submitted here
            return not_found(request)
        try:
            answers = read_answers(request.POST)
            services.submit_attempt(employee=request.user, attempt_id=pk, answers=answers)
        except services.Unanswered as unanswered:
            attempt = self.own_attempt(pk)
            chosen = {question_id: set(ids) for question_id, ids in answers.items()}
            return self.show(
                request, attempt, chosen=chosen, missing=set(unanswered.positions), status=400
            )
        except services.QuizRefused as error:
            attempt = None
            if isinstance(error, services.AlreadySubmitted | services.AttemptExpired):
                attempt = self.own_attempt(pk)
            return error_page(request, error, attempt=attempt)
        return redirect("quizzes:result", guideline=guideline, pk=pk)

    def expired(self, request, attempt):
        return error_page(
            request,
            services.AttemptExpired(
                _("The time for this attempt ran out, so it can no longer be submitted.")
            ),
            attempt=attempt,
        )

    def show(self, request, attempt, *, chosen=None, missing=frozenset(), status=200):
        questions = present(
            selectors.served_questions(attempt=attempt),
            language=portal_language(),
            chosen=chosen or {},
            missing=missing,
        )
        unanswered = [question for question in questions if question.missing]
        context = {
            "guideline": attempt.version.guideline,
            "attempt": attempt,
            "version": attempt.version,
            "questions": questions,
            "unanswered": unanswered,
            "error_summary": [
                {
                    "message": _("Question %(number)s has no answer") % {"number": q.number},
                    "target": q.first_field_id,
                }
                for q in unanswered
            ],
        }
        return render(request, self.template_name, context, status=status)


class ResultView(QuizMixin, View):
    """.../quiz/poging/<id>/uitslag/: score, pass or fail, and per question the answer
    given, the right answer, why, and the tip to read."""

    template_name = "quizzes/result.html"

    def get(self, request, guideline: str, pk: int):
        attempt = self.own_attempt(pk)
        if attempt is None:
            return not_found(request)
        if not attempt.is_submitted:
            return redirect("quizzes:attempt", guideline=guideline, pk=attempt.pk)
        served = selectors.served_questions(attempt=attempt)
        tips = selectors.ordered_tips(question_ids=(item.question_id for item in served))
        questions = present(served, language=portal_language(), tips=tips)
        _guideline, current = self.current()
        is_current = current is not None and current.pk == attempt.version_id
        attempts_left = (
            selectors.attempts_left_today(employee=request.user, version=attempt.version)
            if is_current and not attempt.passed
            else 0
        )
        context = {
            "guideline": attempt.version.guideline,
            "attempt": attempt,
            "version": attempt.version,
            "questions": questions,
            "answers_removed": bool(questions) and not any(q.answered for q in questions),
            "retention_days": _retention_days(),
            "is_current": is_current,
            "attempts_left": attempts_left,
            "start_url": reverse("quizzes:start", kwargs={"guideline": guideline}),
        }
        return render(request, self.template_name, context)


def _retention_days() -> int:
    from django.conf import settings

    return settings.QUIZ_ANSWER_RETENTION_DAYS
