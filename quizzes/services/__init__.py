"""Writes of the quiz: question banks, settings, attempts, scoring, pruning old answers.

Every function here is atomic and writes its QuizEvent (where there is one) in the same
transaction. Scoring happens here only, on the server, from what was served.

A question's tips are kept in the order given, main tip first: the rows of the
question-tip table are written in that order (``set_question_tips``) and read back by
``quizzes.selectors.ordered_tips``.

The code lives in bank.py (banks), quiz_settings.py (settings) and attempts.py (attempts, scoring,
retention); import from here.
"""

from quizzes.services.attempts import (
    AlreadySubmitted,
    AttemptExpired,
    AttemptNotFound,
    DailyLimitReached,
    InvalidSubmission,
    NoQuestions,
    QuizRefused,
    Unanswered,
    prune_answers,
    start_attempt,
    submit_attempt,
)
from quizzes.services.bank import (
    ImportResult,
    ensure_bank,
    import_bank,
    preview_import,
    set_question_tips,
)
from quizzes.services.quiz_settings import (
    SETTINGS_FIELDS,
    copy_settings,
    settings_for,
    update_settings,
)

__all__ = [
    "AlreadySubmitted",
    "AttemptExpired",
    "AttemptNotFound",
    "DailyLimitReached",
    "ImportResult",
    "InvalidSubmission",
    "NoQuestions",
    "QuizRefused",
    "SETTINGS_FIELDS",
    "Unanswered",
    "copy_settings",
    "ensure_bank",
    "import_bank",
    "preview_import",
    "prune_answers",
    "set_question_tips",
    "settings_for",
    "start_attempt",
    "submit_attempt",
    "update_settings",
]
