"""What the quizzes ask of an app above them, which that app answers.

The start page offers the quiz on the changes only to who must sign a new version
again: a rule of the ledger (acknowledgements), which sits above quizzes in the apps'
layers (docs/architecture.md, .importlinter) and uses the quizzes itself. So quizzes
may not import it; acknowledgements registers the rule here in its
``AppConfig.ready()`` and the start page asks through ``changes_quiz_tip_ids``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

ChangesQuizRule = Callable[..., "list[int] | None"]

_changes_quiz_rule: ChangesQuizRule | None = None


def register_changes_quiz_rule(rule: ChangesQuizRule) -> None:
    """``rule(*, employee, version)`` returns the ids of the tips the employee's quiz on
    the changes is about, or None when they may not take it."""
    global _changes_quiz_rule
    _changes_quiz_rule = rule


def changes_quiz_tip_ids(*, employee: Any, version: Any) -> list[int] | None:
    if _changes_quiz_rule is None:
        # Fail loudly: without the rule nobody would be offered the quiz on the changes.
        raise ImproperlyConfigured("No app registered the rule of the quiz on the changes.")
    return _changes_quiz_rule(employee=employee, version=version)
