"""Reading what the employee sent: the start button and the answers of an attempt.

Answers arrive as ``question-<question id>`` = option id (one for radios, several for
checkboxes). Anything that does not have that shape is a tampered submission; whether
the questions and options belong to the attempt is checked by quizzes.services.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.models import Attempt
from quizzes.services import InvalidSubmission

FIELD_PREFIX = "question-"


def field_name(question_id: int) -> str:
    return f"{FIELD_PREFIX}{question_id}"


def read_answers(data) -> dict[int, list[int]]:
    """The answers in a POST (a QueryDict): {question id: [option ids]}.

    Raises InvalidSubmission for a field or value that is not a number.
    """
    answers: dict[int, list[int]] = {}
    for name in data:
        if not name.startswith(FIELD_PREFIX):
            continue
        try:
            question_id = int(name.removeprefix(FIELD_PREFIX))
            option_ids = [int(value) for value in data.getlist(name)]
        except ValueError as exc:
            raise InvalidSubmission(_("The answers could not be read.")) from exc
        answers[question_id] = option_ids
    return answers


class StartForm(forms.Form):
    """The start button: the whole guideline, or only the tips that changed in meaning."""

    purpose = forms.ChoiceField(
        label=gettext_lazy("What the quiz is about"),
        choices=Attempt.Purpose.choices,
        required=False,
    )

    def clean_purpose(self) -> str:
        return self.cleaned_data.get("purpose") or Attempt.Purpose.FULL
