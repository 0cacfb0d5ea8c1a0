"""Whether an employee may sign a version now, and the statement they sign."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import BaseExpression
from django.utils import timezone, translation
from django.utils.translation import gettext

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from portal.db import CompiledQuery

if TYPE_CHECKING:
    from acknowledgements.hooks import SigningRound
    from acknowledgements.selectors.reacknowledgement import Status
    from handbook.models import GuidelineVersion, Tip
    from people.models import Employee


def unread_tips(*, employee: Employee, version: GuidelineVersion) -> QuerySet[Tip]:
    """The version's tips the employee has not opened yet, in order."""
    read = TipRead.objects.filter(employee=employee, tip__version=version).values("tip_id")
    return version.tips.exclude(pk__in=read).order_by("number")


def quiz_required(*, version: GuidelineVersion) -> bool:
    from quizzes.selectors import quiz_settings

    return (
        quiz_settings(version=version).required_for_acknowledgement
        and version.questions.filter(is_active=True).exists()
    )


@dataclass
class Requirements:
    """What signing a version asks of an employee now.

    A first-time signer reads every tip and passes the whole quiz; someone who signed an
    earlier version (acknowledgements.selectors.reacknowledgement) reads only the tips changed in
    meaning since then and passes the quiz on those (or the whole quiz). In a round where
    everyone signs again (``round``), everyone reads the tips again (all, or the ones of
    the questions they answered wrongly) and passes the whole quiz, counted from the
    round's start.
    """

    resigning: bool
    unread: list[Tip] = field(default_factory=list)
    quiz_purpose: str | None = None  # None: no quiz is asked
    quiz_passed: bool = True
    round: SigningRound | None = None  # the round where everyone signs again, if any

    @property
    def quiz_missing(self) -> bool:
        return self.quiz_purpose is not None and not self.quiz_passed


def requirements(
    *,
    employee: Employee,
    version: GuidelineVersion,
    status: Status | None = None,
    round: SigningRound | None = None,
) -> Requirements:
    """``status``: the employee's reacknowledgement.status_for(version), if the caller
    has it already (saves its queries); ``round``: the round the signature answers
    (acknowledgements.hooks.signing_round), if the caller has it."""
    from acknowledgements.selectors import reacknowledgement, rounds
    from quizzes.models import Attempt
    from quizzes.selectors import changes_question_count, has_passed

    if round is not None and round.signs_again:
        purpose = Attempt.Purpose.FULL if quiz_required(version=version) else None
        return Requirements(
            resigning=False,
            unread=[]
            if round.read
            else rounds.unread_in_round(employee=employee, version=version, round=round),
            quiz_purpose=purpose,
            quiz_passed=purpose is None or round.quiz_passed,
            round=round,
        )

    if status is not None and status.state in (
        reacknowledgement.State.MUST_RESIGN,
        reacknowledgement.State.UP_TO_DATE,
    ):
        since, changed = status.signed_version, status.changed_tips
    else:
        since = reacknowledgement.earlier_signed_version(employee=employee, version=version)
        changed = None
    if since is None:
        unread = list(unread_tips(employee=employee, version=version))
        purpose = Attempt.Purpose.FULL if quiz_required(version=version) else None
        accepted = purpose
    else:
        if changed is None:
            changed = reacknowledgement.changed_tips_since(
                employee=employee, version=version, since=since
            )
        read = (
            set(
                TipRead.objects.filter(employee=employee, tip__in=changed).values_list(
                    "tip_id", flat=True
                )
            )
            if changed
            else set()
        )
        unread = [tip for tip in changed if tip.pk not in read]
        purpose = None
        if quiz_required(version=version) and changes_question_count(
            version=version, tip_ids=[tip.pk for tip in changed]
        ):
            purpose = Attempt.Purpose.CHANGES
        accepted = None  # the quiz on the changes, or the whole quiz
    passed = purpose is None or has_passed(employee=employee, version=version, purpose=accepted)
    return Requirements(
        resigning=since is not None, unread=unread, quiz_purpose=purpose, quiz_passed=passed
    )


@dataclass(frozen=True)
class SigningFacts:
    """What signing needs to know, read in one query (see signing_facts)."""

    signed: bool  # the employee has an acknowledgement of this version
    prepared: bool  # every tip read, and the full quiz passed when one is required
    quiz_attempt_id: int | None  # the newest passed attempt: the one a signature cites
    quiz_required: bool = False


def in_round(*, facts: SigningFacts, round: SigningRound | None) -> SigningFacts:
    """The facts that count for a signature answering ``round``: in a round where
    everyone signs again, the round's own (signed for this round, read and the quiz
    passed since it began: the assignment's facts, kept by the database); otherwise
    the version's."""
    if round is None or not round.signs_again:
        return facts
    quiz_done = not facts.quiz_required or round.quiz_passed
    return SigningFacts(
        signed=round.signed,
        prepared=round.read and quiz_done,
        quiz_attempt_id=facts.quiz_attempt_id if round.quiz_passed else None,
        quiz_required=facts.quiz_required,
    )


FACT_NAMES = ("signed", "signed_earlier", "all_read", "quiz_required", "passed_full", "attempt_id")


def _fact_expressions(
    *,
    employee: int,
    version: int | OuterRef,
    guideline: int | OuterRef,
    number: int | OuterRef,
) -> dict[str, BaseExpression]:
    """What signing_facts reads, as expressions over a version (ids or OuterRefs)."""
    from handbook.models import Tip
    from quizzes.models import Attempt
    from quizzes.selectors import passed_attempts, quiz_required_condition

    mine = Acknowledgement.objects.filter(employee=employee, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT)
    read = TipRead.objects.filter(employee=employee, tip=OuterRef("pk"))
    passed = passed_attempts(employee=employee, version=version)
    return {
        "signed": Exists(mine.filter(version=version)),
        "signed_earlier": Exists(
            mine.filter(version__guideline=guideline, version__number__lt=number)
        ),
        "all_read": ~Exists(Tip.objects.filter(version=version).exclude(Exists(read))),
        "quiz_required": ExpressionWrapper(
            quiz_required_condition(version=version), output_field=BooleanField()
        ),
        "passed_full": Exists(passed.filter(purpose=Attempt.Purpose.FULL)),
        "attempt_id": Subquery(passed.values("pk")[:1]),
    }


def _signing_facts_query(
    *, employee: int, version: int, guideline: int, number: int
) -> QuerySet[GuidelineVersion, tuple[Any, ...]]:
    """The query of signing_facts, for ids (see portal.db.CompiledQuery)."""
    from handbook.models import GuidelineVersion

    facts = _fact_expressions(
        employee=employee, version=version, guideline=guideline, number=number
    )
    return (
        GuidelineVersion.objects.filter(pk=version)
        .order_by()
        .annotate(**facts)
        .values_list(*FACT_NAMES)
    )


def _version_columns() -> list[str]:
    from handbook.models import GuidelineVersion

    return [field.attname for field in GuidelineVersion._meta.concrete_fields]


def _guideline_columns() -> list[str]:
    from handbook.models import Guideline

    return [field.attname for field in Guideline._meta.concrete_fields]


def _current_of_query(*, slug: str, today: datetime.date) -> QuerySet[GuidelineVersion]:
    """The published versions in force on ``today`` of the guideline with this short
    name, the current one first (as handbook.selectors.current_version orders them)."""
    from handbook.models import GuidelineVersion

    return GuidelineVersion.objects.filter(
        guideline__slug=slug,
        status=GuidelineVersion.Status.PUBLISHED,
        effective_date__lte=today,
    ).order_by("-effective_date", "-number")


def _current_version_of_query(
    *, slug: str, today: datetime.date
) -> QuerySet[GuidelineVersion, tuple[Any, ...]]:
    """The query of current_version_of: the version's columns, then its guideline's."""
    guideline_columns = [f"guideline__{name}" for name in _guideline_columns()]
    return _current_of_query(slug=slug, today=today).values_list(
        *_version_columns(), *guideline_columns
    )


def _current_version_for_signing_query(
    *, employee: int, slug: str, today: datetime.date
) -> QuerySet[GuidelineVersion, tuple[Any, ...]]:
    """The query of current_version_for_signing (see portal.db.CompiledQuery)."""
    facts = _fact_expressions(
        employee=employee,
        version=OuterRef("pk"),
        guideline=OuterRef("guideline_id"),
        number=OuterRef("number"),
    )
    guideline_columns = [f"guideline__{name}" for name in _guideline_columns()]
    return (
        _current_of_query(slug=slug, today=today)
        .annotate(**facts)
        .values_list(*_version_columns(), *guideline_columns, *FACT_NAMES)
    )


_SIGNING_FACTS = CompiledQuery(
    _signing_facts_query, employee=int, version=int, guideline=int, number=int
)
_CURRENT_VERSION_OF = CompiledQuery(_current_version_of_query, slug=str, today=datetime.date)
_CURRENT_VERSION_FOR_SIGNING = CompiledQuery(
    _current_version_for_signing_query, employee=int, slug=str, today=datetime.date
)


def _facts_from(row: Sequence[Any]) -> SigningFacts:
    signed, signed_earlier, all_read, quiz_required, passed_full, attempt_id = row
    quiz_done = not quiz_required or passed_full or (signed_earlier and attempt_id is not None)
    return SigningFacts(
        signed=bool(signed),
        prepared=bool(all_read and quiz_done),
        quiz_attempt_id=attempt_id,
        quiz_required=bool(quiz_required),
    )


def _version_from(row: Sequence[Any]) -> tuple[GuidelineVersion, int]:
    """The version (its guideline loaded with it) from the start of a row, and where
    the rest of the row begins."""
    from handbook.models import Guideline, GuidelineVersion

    columns, guideline_columns = _version_columns(), _guideline_columns()
    end = len(columns) + len(guideline_columns)
    version = GuidelineVersion.from_db(DEFAULT_DB_ALIAS, columns, row[: len(columns)])
    version.guideline = Guideline.from_db(
        DEFAULT_DB_ALIAS, guideline_columns, row[len(columns) : end]
    )
    return version, end


def signing_facts(*, employee: Employee, version: GuidelineVersion) -> SigningFacts:
    """Whether the employee signed the version already, whether they did all that
    signing asks of them for sure, and their newest passed attempt, in one query.

    ``prepared``: every tip of the version read, and, when the quiz is required, the
    full quiz passed (or, for someone who signed an earlier version, any quiz of this
    version passed). That is enough to sign: who read every tip read every changed one.
    When it is False, signing_blockers says what is missing, if anything (someone
    signing again may need less). Signing is the busiest write of a campaign, hence one
    query, compiled once, instead of the several that requirements() runs.
    """
    row = _SIGNING_FACTS.values(
        employee=employee.pk,
        version=version.pk,
        guideline=version.guideline_id,
        number=version.number,
    )
    assert row is not None  # one row: the version's own
    return _facts_from(row)


def current_version_of(*, slug: str, today: datetime.date | None = None) -> GuidelineVersion | None:
    """The current version (as handbook.selectors.current_version finds it) of the
    guideline with this short name, its guideline loaded with it: one query, compiled
    once (the signing pages' reads). None when the guideline is unknown or has no
    version in force (handbook.selectors.access.guideline_by_slug tells which)."""
    row = _CURRENT_VERSION_OF.values(slug=slug, today=today or timezone.localdate())
    return None if row is None else _version_from(row)[0]


def current_version_for_signing(
    *, employee: Employee, slug: str, today: datetime.date | None = None
) -> tuple[GuidelineVersion | None, SigningFacts | None]:
    """The current version of the guideline with this short name (as
    current_version_of finds it, its guideline loaded with it) and the employee's
    signing_facts for it, in one query: a sign POST's reads. (None, None) when the
    guideline is unknown or no version of it is in force."""
    row = _CURRENT_VERSION_FOR_SIGNING.values(
        employee=employee.pk, slug=slug, today=today or timezone.localdate()
    )
    if row is None:
        return None, None
    version, end = _version_from(row)
    return version, _facts_from(row[end:])


def signing_blockers(
    *, employee: Employee, version: GuidelineVersion, round: SigningRound | None = None
) -> list[str]:
    """Why this employee cannot sign this version now (answering ``round``, if the
    caller has it); empty when they can."""
    from handbook.models import GuidelineVersion

    if version.status != GuidelineVersion.Status.PUBLISHED:
        return [gettext("Only a published version can be signed.")]
    reasons: list[str] = []
    needed = requirements(employee=employee, version=version, round=round)
    unread = [tip.number for tip in needed.unread]
    if unread and needed.round is not None:
        message = gettext(
            "Read the tips again first, for %(round)s. Not opened again yet: tip %(numbers)s."
        )
        reasons.append(
            message % {"round": needed.round.name, "numbers": ", ".join(str(n) for n in unread)}
        )
        unread = []
    if unread:
        if needed.resigning:
            message = gettext(
                "Read every tip that changed in meaning first. Not opened yet: tip %(numbers)s."
            )
        else:
            message = gettext("Read every tip first. Not opened yet: tip %(numbers)s.")
        reasons.append(message % {"numbers": ", ".join(str(n) for n in unread)})
    if needed.quiz_missing:
        if needed.round is not None:
            reasons.append(
                gettext("Pass the quiz again first, for %(round)s.") % {"round": needed.round.name}
            )
        elif needed.resigning:
            reasons.append(gettext("Pass the quiz on the changes first."))
        else:
            reasons.append(gettext("Pass the quiz on this version first."))
    return reasons


def statement_for(*, version: GuidelineVersion, language: str) -> str:
    """The sentence the employee signs, in the language the text was shown in."""
    with translation.override(language):
        return gettext(
            "I have read and understood “%(title)s”, version %(number)s, and will act on it."
        ) % {"title": version.title_in(language), "number": version.number}
