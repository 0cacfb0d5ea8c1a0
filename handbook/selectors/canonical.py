"""The canonical text of a version, and its SHA-256.

The hash is what an acknowledgement points to: it must be reproducible years later
from the stored version alone. So the canonical form is deliberately plain: NFC
Unicode, "\n" line ends, title, introduction and numbered tips separated by one blank
line, no trailing whitespace. Do not change it: old hashes would stop matching.
"""

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handbook.models import GuidelineVersion


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def canonical_text(*, title: str, introduction: str, tips: Iterable[tuple[int, str]]) -> str:
    parts = [_clean(title), _clean(introduction)]
    parts.extend(f"{number}. {_clean(text)}" for number, text in tips)
    return "\n\n".join(parts) + "\n"


def text_hash(*, title: str, introduction: str, tips: Iterable[tuple[int, str]]) -> str:
    text = canonical_text(title=title, introduction=introduction, tips=tips)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_hashes(*, version: "GuidelineVersion") -> tuple[str, str]:
    """SHA-256 of the Dutch text and of the English text (as shown to staff)."""
    tips = version.tips.order_by("number").values_list("number", "text", "text_en")
    return hashes_of_rows(
        title=version.title,
        title_en=version.title_en,
        introduction=version.introduction,
        introduction_en=version.introduction_en,
        tips=list(tips),
    )


def hashes_of_rows(
    *,
    title: str,
    title_en: str,
    introduction: str,
    introduction_en: str,
    tips: list[tuple[int, str, str]],
) -> tuple[str, str]:
    """``version_hashes`` from a version's stored columns and its tips' (number, text,
    text_en), in number order: the English text falls back to the Dutch one where it is
    empty, as GuidelineVersion.title_in and Tip.text_in show it."""
    dutch = text_hash(
        title=title,
        introduction=introduction,
        tips=((number, text) for number, text, _en in tips),
    )
    english = text_hash(
        title=title_en or title,
        introduction=introduction_en or introduction,
        tips=((number, text_en or text) for number, text, text_en in tips),
    )
    return dutch, english
