"""Whether an employee may sign a version now, and the statement they sign."""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext

from acknowledgements.models import TipRead


def unread_tips(*, employee, version):
    """The version's tips the employee has not opened yet, in order."""
    read = TipRead.objects.filter(employee=employee, tip__version=version).values("tip_id")
    return version.tips.exclude(pk__in=read).order_by("number")


def quiz_required(version) -> bool:
    from quizzes.selectors import quiz_settings

    return (
        quiz_settings(version).required_for_acknowledgement
        and version.questions.filter(is_active=True).exists()
    )


@dataclass
class Requirements:
    """What signing a version asks of an employee now.

    A first-time signer reads every tip and passes the whole quiz; someone who signed an
    earlier version (acknowledgements.reacknowledgement) reads only the tips changed in
    meaning since then and passes the quiz on those (or the whole quiz).
    """

    resigning: bool
    unread: list = field(default_factory=list)
    quiz_purpose: str | None = None  # None: no quiz is asked
    quiz_passed: bool = True

    @property
    def quiz_missing(self) -> bool:
        return self.quiz_purpose is not None and not self.quiz_passed


def requirements(*, employee, version, status=None) -> Requirements:
    """``status``: the employee's reacknowledgement.status_for(version), if the caller
    has it already (saves its queries)."""
    from acknowledgements import reacknowledgement
    from quizzes.models import Attempt
    from quizzes.selectors import has_passed

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
        purpose = Attempt.Purpose.FULL if quiz_required(version) else None
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
        if quiz_required(version) and reacknowledgement.changes_question_count(
            version, [tip.pk for tip in changed]
        ):
            purpose = Attempt.Purpose.CHANGES
        accepted = None  # the quiz on the changes, or the whole quiz
    passed = purpose is None or has_passed(employee=employee, version=version, purpose=accepted)
    return Requirements(
        resigning=since is not None, unread=unread, quiz_purpose=purpose, quiz_passed=passed
    )


def signing_blockers(*, employee, version) -> list[str]:
    """Why this employee cannot sign this version now; empty when they can."""
    from handbook.models import GuidelineVersion

    if version.status != GuidelineVersion.Status.PUBLISHED:
        return [gettext("Only a published version can be signed.")]
    reasons = []
    needed = requirements(employee=employee, version=version)
    unread = [tip.number for tip in needed.unread]
    if unread:
        if needed.resigning:
            message = gettext(
                "Read every tip that changed in meaning first. Not opened yet: tip %(numbers)s."
            )
        else:
            message = gettext("Read every tip first. Not opened yet: tip %(numbers)s.")
        reasons.append(message % {"numbers": ", ".join(str(n) for n in unread)})
    if needed.quiz_missing:
        if needed.resigning:
            reasons.append(gettext("Pass the quiz on the changes first."))
        else:
            reasons.append(gettext("Pass the quiz on this version first."))
    return reasons


def statement_for(version, language: str) -> str:
    """The sentence the employee signs, in the language the text was shown in."""
    with translation.override(language):
        return gettext(
            "I have read and understood “%(title)s”, version %(number)s, and will act on it."
        ) % {"title": version.title_in(language), "number": version.number}
