"""Three versions of the guideline, made the way editors make them, with quiz banks.

Version 1 is the customer's text (as ``load_handbook`` loads it, but in force years
ago); versions 2 and 3 are drafts based on the version before, with a few tips changed,
published through handbook.services. Publishing does not retire the older versions: they
stay published and are superseded by the newer one's effective date. The question banks
come from ``load_quiz_bank``: version 1's file, copied to versions 2 and 3 by lineage.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from benchmarks.scale import constants as c
from handbook import services
from handbook.models import Guideline, GuidelineVersion, Tip
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from handbook.services.seed import read_seed

# tip number -> (Dutch (old, new), English (old, new), kind of change)
VERSION_2_CHANGES = {
    2: (("Houdt het professioneel", "Houd het professioneel"), None, Tip.Change.EDITORIAL),
    6: (
        ("het verstandig je te onthouden", "het verplicht je te onthouden"),
        ("it is wise to refrain", "you must refrain"),
        Tip.Change.MATERIAL,
    ),
}
VERSION_3_CHANGES = {
    7: (
        ("zonder toestemming.", "zonder toestemming, en plaats geen foto’s van hen."),
        ("their permission.", "their permission, and do not post photos of them."),
        Tip.Change.MATERIAL,
    ),
    10: (
        ("geen adresgegevens van jezelf.", "geen adres- of roostergegevens van jezelf."),
        ("your own address details.", "your own address or rota details."),
        Tip.Change.MATERIAL,
    ),
}
SUMMARIES = {
    2: ("Tip 6 is strenger: je moet je onthouden van schadelijke uitlatingen.",
        "Tip 6 is stricter: you must refrain from harmful statements."),
    3: ("Tips 7 en 10 gaan nu ook over foto’s van collega’s en je rooster.",
        "Tips 7 and 10 now also cover photos of colleagues and your rota."),
}  # fmt: skip


@dataclass
class Versions:
    guideline: Guideline
    v1: GuidelineVersion
    v2: GuidelineVersion
    v3: GuidelineVersion

    @property
    def all(self) -> list[GuidelineVersion]:
        return [self.v1, self.v2, self.v3]


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _replace(text: str, change: tuple[str, str] | None) -> str:
    if not change or not text:
        return text
    old, new = change
    if old not in text:
        raise ValueError(f"The guideline text changed: “{old}” is not in it any more.")
    return text.replace(old, new)


def _next_version(guideline: Guideline, number: int, changes: dict, effective_days_ago: int):
    draft = services.create_draft(guideline=guideline, actor=None)
    tips = []
    for tip in draft.tips.order_by("number"):
        dutch, english, change = changes.get(tip.number, (None, None, ""))
        tips.append(
            services.TipInput(
                text=_replace(tip.text, dutch),
                text_en=_replace(tip.text_en, english),
                change=change,
                lineage=tip.lineage,
            )
        )
    summary, summary_en = SUMMARIES[number]
    draft = services.update_draft(
        draft=draft,
        actor=None,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary=summary,
        change_summary_en=summary_en,
        effective_date=_days_ago(effective_days_ago),
        requires_reacknowledgement=True,
        tips=tips,
    )
    return services.publish_version(draft=draft, actor=None)


def create_versions() -> Versions:
    """Versions 1 (the customer's text), 2 and 3 (current), published, with quiz banks."""
    dutch_path = settings.HANDBOOK_SEED_FILE
    english_path = dutch_path.with_suffix(".en.txt")
    # load_handbook's own steps, with an effective date years back: version 1 must be
    # older than the versions that superseded it.
    v1 = services.load_version_one(
        slug=DEFAULT_GUIDELINE_SLUG,
        dutch=read_seed(path=dutch_path),
        english=read_seed(path=english_path) if english_path.exists() else None,
        effective_date=_days_ago(c.VERSION_1_AGO),
    )
    guideline = v1.guideline
    v2 = _next_version(guideline, 2, VERSION_2_CHANGES, c.VERSION_2_AGO)
    v3 = _next_version(guideline, 3, VERSION_3_CHANGES, c.VERSION_3_AGO)
    call_command("load_quiz_bank", stdout=io.StringIO())
    if not v3.questions.filter(is_active=True).exists():
        raise RuntimeError("Version 3 has no quiz questions after load_quiz_bank.")
    return Versions(guideline, v1, v2, v3)
