"""Four more guidelines beside the social-media one, each with a few tips and a small
quiz bank, published, with different audiences (the portal's whole set, issue 19):

- integrity code and information security: everyone;
- privacy: one directorate with its sub-departments (the one of the well-known manager);
- leading people: the managers (the role of whoever has active reports).

Made as editors make them (handbook.services.guidelines.create_guideline, update_draft,
the quiz bank through quizzes.services.import_bank, publish_version), with generated text
(clearly not a real guideline). Who read, took the quiz and signed is planned in
benchmarks.scale.activity (``plan_other_guidelines``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import yaml
from django.utils import timezone

from benchmarks.scale import constants as c
from benchmarks.scale.organisation import Organisation, Person, Unit
from handbook.models import Guideline, GuidelineVersion
from handbook.services import TipInput, publish_version, update_draft
from handbook.services.guidelines import DepartmentInAudience, create_guideline
from people.models import Department
from people.roles import Role
from quizzes.bank_io import parse_bank
from quizzes.services import import_bank, update_settings

TIPS_PER_GUIDELINE = 5
QUIZ_SETTINGS = {"questions_per_attempt": 3, "pass_mark": 60, "required_for_acknowledgement": True}

EVERYONE = "everyone"
DIRECTORATE = "directorate"  # the well-known manager's directorate, with sub-departments
MANAGERS = "managers"


@dataclass(frozen=True)
class Spec:
    slug: str
    title: str
    title_en: str
    subject: str  # Dutch, in the generated tips
    subject_en: str
    audience: str


SPECS = (
    Spec("integriteit", "Gedragscode integriteit", "Integrity code",
         "integriteit", "integrity", EVERYONE),
    Spec("informatiebeveiliging", "Handreiking informatiebeveiliging",
         "Information security guideline", "informatiebeveiliging",
         "information security", EVERYONE),
    Spec("privacy", "Handreiking privacy (AVG)", "Privacy guideline (GDPR)",
         "privacy", "privacy", DIRECTORATE),
    Spec("leidinggeven", "Handreiking goed leidinggeven", "Guideline on leading people",
         "leidinggeven", "leading people", MANAGERS),
)  # fmt: skip


@dataclass
class OtherGuideline:
    spec: Spec
    guideline: Guideline
    version: GuidelineVersion


def _tips(spec: Spec) -> list[TipInput]:
    return [
        TipInput(
            text=f"Tip {n} over {spec.subject}: gegenereerde tekst voor de benchmark, "
            "geen echte handreiking. Lees hem, doe de quiz en bevestig.",
            text_en=f"Tip {n} on {spec.subject_en}: generated text for the benchmark, "
            "not a real guideline. Read it, take the quiz and confirm.",
            change="",
        )
        for n in range(1, TIPS_PER_GUIDELINE + 1)
    ]


def _bank(spec: Spec) -> str:
    """One question per tip, three options, the first right (shuffled when served)."""
    questions = [
        {
            "key": f"{spec.slug}-{n}",
            "tips": [n],
            "multiple_answers": False,
            "active": True,
            "situation": {"nl": f"Een situatie over tip {n}.", "en": f"A situation on tip {n}."},
            "question": {"nl": "Wat doe je?", "en": "What do you do?"},
            "options": [
                {
                    "text": {"nl": f"Antwoord {letter}", "en": f"Answer {letter}"},
                    "correct": letter == "A",
                    "explanation": {"nl": "Zie de tip.", "en": "See the tip."},
                }
                for letter in "ABC"
            ],
        }
        for n in range(1, TIPS_PER_GUIDELINE + 1)
    ]
    return yaml.safe_dump(
        {"guideline": spec.slug, "version": 1, "questions": questions}, allow_unicode=True
    )


def directorate_of(unit: Unit) -> Unit:
    """The directorate (level 2) a unit lies in."""
    while unit.level > 2 and unit.parent is not None:
        unit = unit.parent
    return unit


def create_other_guidelines(
    organisation: Organisation, *, count: int = len(SPECS)
) -> list[OtherGuideline]:
    """The first ``count`` of the four guidelines, published ``OTHER_GUIDELINES_AGO`` days
    ago (after the organisation is in: an audience names a department)."""
    effective = timezone.localdate() - datetime.timedelta(days=c.OTHER_GUIDELINES_AGO)
    directorate = Department.objects.get(pk=directorate_of(organisation.manager.unit).id)
    made = []
    for spec in SPECS[:count]:
        audience = {
            EVERYONE: {"audience": Guideline.Audience.EVERYONE},
            DIRECTORATE: {
                "audience": Guideline.Audience.DEPARTMENTS,
                "departments": [DepartmentInAudience(directorate, include_subdepartments=True)],
            },
            MANAGERS: {"audience": Guideline.Audience.ROLES, "roles": [Role.MANAGER]},
        }[spec.audience]
        guideline = create_guideline(
            actor=None, slug=spec.slug, title=spec.title, title_en=spec.title_en, **audience
        )
        draft = guideline.versions.get(status=GuidelineVersion.Status.DRAFT)
        draft = update_draft(
            draft=draft,
            actor=None,
            title=spec.title,
            title_en=spec.title_en,
            introduction=f"Gegenereerde handreiking over {spec.subject} (benchmark).",
            introduction_en=f"Generated guideline on {spec.subject_en} (benchmark).",
            change_summary="",
            change_summary_en="",
            effective_date=effective,
            requires_reacknowledgement=True,
            tips=_tips(spec),
        )
        import_bank(version=draft, bank=parse_bank(_bank(spec)), actor=None)
        update_settings(version=draft, actor=None, **QUIZ_SETTINGS)
        version = publish_version(draft=draft, actor=None)
        made.append(OtherGuideline(spec, Guideline.objects.get(pk=guideline.pk), version))
    return made


def audience(other: OtherGuideline, organisation: Organisation) -> list[Person]:
    """The active people the guideline applies to, as handbook.selectors.audience_of
    works it out (planned in Python: the rows are not all in yet)."""
    active = [p for p in organisation.people if p.active]
    if other.spec.audience == EVERYONE:
        return active
    if other.spec.audience == DIRECTORATE:
        path = directorate_of(organisation.manager.unit).path
        return [p for p in active if p.unit.path.startswith(path)]
    managers = {p.manager_id for p in active if p.manager_id}
    return [p for p in active if p.id in managers]
