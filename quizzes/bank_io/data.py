"""The bank file's fields and the data read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
KEY_MAX_LENGTH = 80
OPTIONS_MIN, OPTIONS_MAX = 3, 4

TOP_FIELDS = ("guideline", "version", "questions")
QUESTION_FIELDS = (
    "key",
    "tips",
    "multiple_answers",
    "active",
    "situation",
    "question",
    "options",
)
QUESTION_REQUIRED = ("key", "tips", "situation", "question", "options")
OPTION_FIELDS = ("text", "correct", "explanation")
OPTION_REQUIRED = ("text", "explanation")
TEXT_LANGUAGES = ("nl", "en")

# The caps on a file, checked from the parser's events before any node is built (shape.py),
# so that no file costs more than a moment: the customer's bank of 40 questions is about
# 110 kB, nests 6 levels deep and holds some 3,400 values (84 a question). Reading costs
# about 30 microseconds a value, so MAX_VALUES keeps the worst file under a second while
# leaving room for six times the customer's bank.
MAX_BANK_BYTES = 1024 * 1024
MAX_DEPTH = 8
MAX_QUESTIONS = 250
MAX_VALUES = 20_000
# A file with more errors shows the first ones and how many more there are; reading
# stops at MAX_ERRORS_READ (each error costs a translated message).
MAX_ERRORS_SHOWN = 50
MAX_ERRORS_READ = 1000

# Text at least this long (or with a line break) is written as a block scalar.
LONG_TEXT = 60
EXPORT_WIDTH = 88


class BankFormatError(Exception):
    """A question bank file that cannot be imported: every (line, reason) found."""

    def __init__(self, errors: list[tuple[int | None, str]], *, incomplete: bool = False):
        errors = list(errors)
        if incomplete:
            errors = errors[:MAX_ERRORS_SHOWN]
            errors.append(
                (
                    None,
                    _(
                        "And more errors: reading stopped after %(count)s. Correct the "
                        "errors above and upload the file again to see the rest."
                    )
                    % {"count": MAX_ERRORS_READ},
                )
            )
        elif len(errors) > MAX_ERRORS_SHOWN:
            more = len(errors) - MAX_ERRORS_SHOWN
            errors = errors[:MAX_ERRORS_SHOWN]
            errors.append(
                (
                    None,
                    ngettext(
                        "And %(count)s more error. Correct the errors above and upload the "
                        "file again to see it.",
                        "And %(count)s more errors. Correct the errors above and upload the "
                        "file again to see them.",
                        more,
                    )
                    % {"count": more},
                )
            )
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Each error as one readable line: "line 12: reason", or just the reason."""
        return [
            _("line %(line)s: %(reason)s") % {"line": line, "reason": reason}
            if line is not None
            else reason
            for line, reason in self.errors
        ]


@dataclass
class OptionData:
    text: str
    text_en: str
    is_correct: bool
    explanation: str
    explanation_en: str = ""
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass
class QuestionData:
    key: str
    tips: list[int]
    multiple_answers: bool
    active: bool
    situation: str
    situation_en: str
    prompt: str
    prompt_en: str
    options: list[OptionData]
    line: int | None = field(default=None, compare=False, repr=False)
    tips_line: int | None = field(default=None, compare=False, repr=False)
    key_line: int | None = field(default=None, compare=False, repr=False)


@dataclass
class BankFile:
    guideline: str
    version: int
    questions: list[QuestionData]
    guideline_line: int | None = field(default=None, compare=False, repr=False)
    version_line: int | None = field(default=None, compare=False, repr=False)
