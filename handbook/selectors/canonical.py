"""The canonical text of a version, and its SHA-256.

The hash is what an acknowledgement points to: it must be reproducible years later
from the stored version alone. So the canonical form is deliberately plain: NFC
Unicode, "\n" line ends, title, introduction and numbered tips separated by one blank
line, no trailing whitespace. Do not change it: old hashes would stop matching.
"""

import hashlib
import unicodedata
from collections.abc import Iterable


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def canonical_text(title: str, introduction: str, tips: Iterable[tuple[int, str]]) -> str:
    parts = [_clean(title), _clean(introduction)]
    parts.extend(f"{number}. {_clean(text)}" for number, text in tips)
    return "\n\n".join(parts) + "\n"


def text_hash(title: str, introduction: str, tips: Iterable[tuple[int, str]]) -> str:
    return hashlib.sha256(canonical_text(title, introduction, tips).encode("utf-8")).hexdigest()


def version_hashes(version) -> tuple[str, str]:
    """SHA-256 of the Dutch text and of the English text (as shown to staff)."""
    tips = list(version.tips.order_by("number"))
    dutch = text_hash(version.title, version.introduction, ((t.number, t.text) for t in tips))
    english = text_hash(
        version.title_in("en"),
        version.introduction_in("en"),
        ((t.number, t.text_in("en")) for t in tips),
    )
    return dutch, english
