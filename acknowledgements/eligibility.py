"""Whether an employee may sign a version now, and the statement they sign."""

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


def signing_blockers(*, employee, version) -> list[str]:
    """Why this employee cannot sign this version now; empty when they can."""
    from handbook.models import GuidelineVersion
    from quizzes.selectors import has_passed

    if version.status != GuidelineVersion.Status.PUBLISHED:
        return [gettext("Only a published version can be signed.")]
    reasons = []
    unread = [tip.number for tip in unread_tips(employee=employee, version=version)]
    if unread:
        reasons.append(
            gettext("Read every tip first. Not opened yet: tip %(numbers)s.")
            % {"numbers": ", ".join(str(n) for n in unread)}
        )
    if quiz_required(version) and not has_passed(employee=employee, version=version):
        reasons.append(gettext("Pass the quiz on this version first."))
    return reasons


def statement_for(version, language: str) -> str:
    """The sentence the employee signs, in the language the text was shown in."""
    with translation.override(language):
        return gettext(
            "I have read and understood “%(title)s”, version %(number)s, and will act on it."
        ) % {"title": version.title_in(language), "number": version.number}
