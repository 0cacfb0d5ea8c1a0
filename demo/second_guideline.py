"""The demo's second guideline, "Handreiking thuiswerken en informatiebeveiliging":
a short text written for the demo (it says so in its introduction and its file), never
the customer's. It is made as editors make one in the portal, through the handbook's
and the quizzes' services:

1. the first demo editor creates the guideline (owner, audience: all staff) and
   imports its text from ``demo/data/thuiswerken.md`` (Markdown with front matter,
   handbook.services.text_import), sets the effective date, imports the question bank
   ``demo/data/thuiswerken-v1.yaml`` (quizzes.bank_io) and the quiz settings;
2. the second demo editor publishes it (four eyes);
3. the demo administrator makes one demo account editor of this guideline only
   (people.services.object_roles).

Idempotent: a guideline with the short name ``thuiswerken`` is never made again (its
text, owner and quiz are left as they are); the object role is granted once.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from handbook.models import Guideline, GuidelineVersion
from handbook.services import TipInput, publish_version, update_draft
from handbook.services.guidelines import create_guideline
from handbook.services.text_import import import_text
from handbook.text_io import parse_text
from people.models import Employee
from people.roles import Role
from people.services.object_roles import grant_object_role
from quizzes.bank_io import parse_bank
from quizzes.services import import_bank, update_settings

SLUG = "thuiswerken"
# Its version 1 took effect this many days before the seeding: before this year's
# round (demo.campaigns) started, since a campaign starts no earlier than its version.
IN_FORCE_DAYS_AGO = 30
DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
TEXT_FILE = DATA_DIRECTORY / "thuiswerken.md"
BANK_FILE = DATA_DIRECTORY / "thuiswerken-v1.yaml"

# Like the social-media guideline's quiz: passing is required to sign, pass mark 80 %.
# Five of the six questions per attempt: four right answers pass.
QUIZ_SETTINGS = {
    "questions_per_attempt": 5,
    "pass_mark": 80,
    "required_for_acknowledgement": True,
}


def ensure_second_guideline(
    *, author: Employee, publisher: Employee, administrator: Employee, editor: Employee
) -> bool:
    """Create and publish the second guideline unless it exists, and make ``editor``
    its editor (granted by ``administrator``). Returns whether it was created."""
    guideline = Guideline.objects.filter(slug=SLUG).first()
    created = guideline is None
    if guideline is None:
        guideline = _create_and_publish(author=author, publisher=publisher, owner=editor)
    grant_object_role(actor=administrator, employee=editor, role=Role.EDITOR, target=guideline)
    return created


def _create_and_publish(*, author: Employee, publisher: Employee, owner: Employee) -> Guideline:
    data = TEXT_FILE.read_bytes()
    text = parse_text(data, format="markdown")  # the guideline's title is the file's
    guideline = create_guideline(
        actor=author,
        slug=SLUG,
        title=text.title,
        title_en=text.title_en,
        owner=owner,
        audience=Guideline.Audience.EVERYONE,
    )
    draft = guideline.versions.get(status=GuidelineVersion.Status.DRAFT)
    draft = import_text(version=draft, data=data, filename=TEXT_FILE.name, actor=author)
    # What the editor then fills in on the draft's form: the effective date.
    draft = update_draft(
        draft=draft,
        actor=author,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary="",
        change_summary_en="",
        # In force before this year's round started (demo.campaigns), which asks for it.
        effective_date=timezone.localdate() - datetime.timedelta(days=IN_FORCE_DAYS_AGO),
        requires_reacknowledgement=True,
        tips=[
            TipInput(text=tip.text, text_en=tip.text_en, change=tip.change, lineage=tip.lineage)
            for tip in draft.tips.order_by("number")
        ],
    )
    import_bank(version=draft, bank=parse_bank(BANK_FILE.read_text(encoding="utf-8")), actor=author)
    update_settings(version=draft, actor=author, **QUIZ_SETTINGS)
    publish_version(draft=draft, actor=publisher)
    return Guideline.objects.get(pk=guideline.pk)
