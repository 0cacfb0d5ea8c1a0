"""A version's quiz settings: read (made with the defaults when missing) and changed,
with the change logged (QuizEvent)."""

from __future__ import annotations

from django.db import transaction

from handbook.models import GuidelineVersion
from people.models import Employee
from quizzes.models import QuizEvent, QuizSettings
from quizzes.services.common import _log, _require

SETTINGS_FIELDS = (
    "questions_per_attempt",
    "pass_mark",
    "shuffle_options",
    "attempts_per_day",
    "minutes_per_attempt",
    "required_for_acknowledgement",
)


def settings_for(*, version: GuidelineVersion) -> QuizSettings:
    """The version's quiz settings, created with the defaults when there are none."""
    settings, _created = QuizSettings.objects.get_or_create(version=version)
    return settings


@transaction.atomic
def update_settings(
    *, version: GuidelineVersion, actor: Employee | None, **fields: object
) -> QuizSettings:
    """Change the version's quiz settings; logs which values changed (old and new)."""
    _require(actor, "quizzes.change_quizsettings", version=version)
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise TypeError(f"Unknown quiz settings: {', '.join(unknown)}")
    settings_for(version=version)
    settings = QuizSettings.objects.select_for_update().get(version=version)
    changes = {}
    for name, value in fields.items():
        old = getattr(settings, name)
        if old != value:
            changes[name] = [old, value]
            setattr(settings, name, value)
    if not changes:
        return settings
    settings.full_clean()
    settings.save()
    _log(QuizEvent.Kind.SETTINGS_CHANGED, version=version, actor=actor, changes=changes)
    return settings


@transaction.atomic
def copy_settings(*, version: GuidelineVersion) -> QuizSettings | None:
    """Give a new version the stored quiz settings of the version it is based on (whether
    passing is required, the pass mark, ...). Does nothing when the version has settings
    already or its predecessor has none stored (then the defaults apply to both), and
    never from a version of another guideline (each guideline has its own settings)."""
    if version.based_on_id is None or QuizSettings.objects.filter(version=version).exists():
        return None
    source = QuizSettings.objects.filter(
        version_id=version.based_on_id, version__guideline_id=version.guideline_id
    ).first()
    if source is None:
        return None
    return QuizSettings.objects.create(
        version=version, **{name: getattr(source, name) for name in SETTINGS_FIELDS}
    )


def copy_settings_receiver(*, draft: GuidelineVersion, **_kwargs: object) -> None:
    """Receiver of handbook.signals.draft_created (connected in QuizzesConfig.ready)."""
    copy_settings(version=draft)
