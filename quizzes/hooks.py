"""What the quizzes ask of an app above them, which that app answers.

The start page offers the quiz on the changes only to who must sign a new version
again: a rule of the ledger (acknowledgements), which sits above quizzes in the apps'
layers (docs/architecture.md, .importlinter) and uses the quizzes itself. So quizzes
may not import it; acknowledgements registers the rule here in its
``AppConfig.ready()`` and the start page asks through ``changes_quiz_tip_ids``. In the
same way it tells from when a passed quiz counts (``counts_from``: in a yearly round,
only a quiz passed since the round began).
"""

from __future__ import annotations

import datetime
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


CountsFromRule = Callable[..., "datetime.datetime | None"]

_counts_from_rule: CountsFromRule | None = None


def register_counts_from_rule(rule: CountsFromRule) -> None:
    """``rule(*, employee, version)`` returns the moment from which a passed quiz counts
    for the employee's signature of the version (the start of a round where everyone
    signs again), or None when any passed attempt counts."""
    global _counts_from_rule
    _counts_from_rule = rule


def counts_from(*, employee: Any, version: Any) -> datetime.datetime | None:
    if _counts_from_rule is None:
        raise ImproperlyConfigured("No app registered from when a passed quiz counts.")
    return _counts_from_rule(employee=employee, version=version)
