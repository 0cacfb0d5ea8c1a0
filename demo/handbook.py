"""Draft version 2 of the guideline, by the demo editor: the legal reference brought up
to date (a material change to tip 6, which asks everyone to acknowledge again) and the
language slips of version 1 corrected, so that the diff and four-eyes publishing have
something to show.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from handbook.models import Guideline, GuidelineVersion
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from handbook.services import TipInput, create_draft, update_draft
from handbook.services.topics import TopicInput, change_topics
from people.models import Employee

# The customer's text (version 1) is in force in the demo from this date, before last
# year's round (demo.campaigns): a campaign starts no earlier than its version.
VERSION_ONE_IN_FORCE = datetime.date(2024, 9, 1)

INTRO_V1 = "art. 125a Ambtenarenwet"
INTRO_V2 = "art. 10 Ambtenarenwet 2017"
INTRO_V1_EN = "art. 125a of the Civil Servants Act (Ambtenarenwet)"
INTRO_V2_EN = "art. 10 of the Civil Servants Act 2017 (Ambtenarenwet 2017)"

TIP6_ADDITION = (
    " Dit volgt uit artikel 10 van de Ambtenarenwet 2017: je onthoudt je van uitingen als "
    "daardoor de goede vervulling van je functie of de goede functionering van de openbare "
    "dienst niet in redelijkheid zou zijn verzekerd."
)
TIP6_ADDITION_EN = (
    " This follows from article 10 of the Civil Servants Act 2017: you refrain from "
    "expressing views if that would mean that the proper performance of your duties or the "
    "proper functioning of the public service could no longer reasonably be ensured."
)

# tip number -> (Dutch replacements, English replacements, change)
V2_TIP_CHANGES: dict[int, tuple[list[tuple[str, str]], list[tuple[str, str]], str]] = {
    2: ([("Houdt het professioneel", "Houd het professioneel")], [], "editorial"),
    4: (
        [
            ("Sociale media kan behulpzaam zijn", "Sociale media kunnen behulpzaam zijn"),
            ("Realiseer dit.", "Wees je daarvan bewust."),
        ],
        [],
        "editorial",
    ),
    6: ([], [], "material"),  # a sentence is appended, see TIP6_ADDITION
    9: ([("‘call of action’", "‘call to action’")], [], "editorial"),
    11: (
        [("logo’s van (gemeente…)", "logo’s (van de gemeente of andere organisaties)")],
        [],
        "editorial",
    ),
}

V2_SUMMARY = (
    "Inleiding: de verwijzing naar art. 125a Ambtenarenwet is bijgewerkt naar art. 10 "
    "Ambtenarenwet 2017 (sinds 1 januari 2020 geldt de Ambtenarenwet 2017).\n\n"
    "Tip 6 (inhoudelijke wijziging): toegevoegd dat de terughoudendheid volgt uit artikel 10 "
    "van de Ambtenarenwet 2017. Iedereen leest de handreiking opnieuw en bevestigt die.\n\n"
    "Tips 2, 4, 9 en 11 (redactioneel): taalfouten verbeterd, zoals ‘Houd het professioneel’ "
    "en ‘call to action’. De inhoud van deze tips is niet veranderd."
)
V2_SUMMARY_EN = (
    "Introduction: the reference to art. 125a of the Civil Servants Act has been updated to "
    "art. 10 of the Civil Servants Act 2017 (in force since 1 January 2020).\n\n"
    "Tip 6 (change in meaning): added that the duty of restraint follows from article 10 of "
    "the Civil Servants Act 2017. Everyone reads the guideline again and acknowledges it.\n\n"
    "Tips 2, 4, 9 and 11 (editorial): language slips corrected in the Dutch text, such as "
    "‘Houd het professioneel’ and ‘call to action’. The meaning of these tips is unchanged."
)


# The topics of version 1's tips (Dutch, English): labels outside the customer's text,
# which stays as it is, byte for byte (its hash too).
TIP_TOPICS: dict[int, tuple[str, str]] = {
    1: ("Verantwoordelijkheid", "Responsibility"),
    2: ("Lang zichtbaar", "Visible for a long time"),
    3: ("Beoordelingsvermogen", "Judgement"),
    4: ("Werk en privé", "Work and private life"),
    5: ("Namens de gemeente", "On behalf of the municipality"),
    6: ("Vrije meningsuiting", "Freedom of speech"),
    7: ("Toestemming om te citeren", "Permission to quote"),
    8: ("Interne discussies", "Internal discussions"),
    9: ("Meerwaarde bieden", "Adding value"),
    10: ("Je eigen privacy", "Your own privacy"),
    11: ("Logo’s", "Logos"),
}


def ensure_tip_topics() -> list[int]:
    """Give version 1's tips their topics where they have none (by the system); the
    numbers of the tips that got one."""
    version = GuidelineVersion.objects.filter(
        guideline__slug=DEFAULT_GUIDELINE_SLUG, number=1
    ).first()
    if version is None:
        return []
    without = version.tips.filter(topic="").values_list("number", flat=True)
    topics = [
        TopicInput(number=number, topic=TIP_TOPICS[number][0], topic_en=TIP_TOPICS[number][1])
        for number in without
        if number in TIP_TOPICS
    ]
    return change_topics(version=version, actor=None, topics=topics) if topics else []


def _replace(text: str, old: str, new: str, where: str) -> str:
    if old not in text:
        raise ValueError(f"Expected {old!r} in {where}; has the text of version 1 changed?")
    return text.replace(old, new)


def create_demo_draft(*, editor: Employee):
    """Draft version 2 of the guideline, by the editor. Returns None if one exists."""
    guideline = Guideline.objects.get(slug=DEFAULT_GUIDELINE_SLUG)
    if guideline.versions.filter(
        Q(status=GuidelineVersion.Status.DRAFT) | Q(number__gte=2)
    ).exists():
        return None
    draft = create_draft(guideline=guideline, actor=editor)
    tips = []
    for tip in draft.tips.order_by("number"):
        dutch, english, change = V2_TIP_CHANGES.get(tip.number, ([], [], ""))
        text, text_en = tip.text, tip.text_en
        for old, new in dutch:
            text = _replace(text, old, new, f"tip {tip.number}")
        for old, new in english:
            text_en = _replace(text_en, old, new, f"tip {tip.number} (English)")
        if tip.number == 6:
            text += TIP6_ADDITION
            text_en = (text_en + TIP6_ADDITION_EN) if text_en else ""
        tips.append(TipInput(text=text, text_en=text_en, change=change, lineage=tip.lineage))
    introduction_en = draft.introduction_en
    if introduction_en:
        introduction_en = _replace(introduction_en, INTRO_V1_EN, INTRO_V2_EN, "introduction_en")
    return update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=_replace(draft.introduction, INTRO_V1, INTRO_V2, "the introduction"),
        introduction_en=introduction_en,
        change_summary=V2_SUMMARY,
        change_summary_en=V2_SUMMARY_EN,
        effective_date=timezone.localdate() + datetime.timedelta(days=14),
        requires_reacknowledgement=True,
        tips=tips,
    )
