"""Read the customer's guideline text file: a title, an introduction, numbered tips."""

import re
from dataclasses import dataclass
from pathlib import Path

_TIP = re.compile(r"^(\d+)\. (.*)$")


class SeedFormatError(ValueError):
    pass


@dataclass(frozen=True)
class SeedText:
    title: str
    introduction: str
    tips: list[tuple[int, str]]


def _parse_seed(text: str) -> SeedText:
    """Split the text into title, introduction and tips, keeping each tip verbatim.

    Paragraphs are separated by blank lines; the first paragraph is the title, those
    before the first "1. " the introduction, and each "N. ..." paragraph a tip.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    if len(paragraphs) < 2:
        raise SeedFormatError("Expected a title, an introduction and tips.")
    title = paragraphs[0].strip()
    introduction: list[str] = []
    tips: list[tuple[int, str]] = []
    for paragraph in paragraphs[1:]:
        paragraph = paragraph.rstrip()
        match = _TIP.match(paragraph)
        if match:
            number = int(match.group(1))
            if number != len(tips) + 1:
                raise SeedFormatError(f"Tip {number} is out of order.")
            tips.append((number, match.group(2)))
        elif tips:
            raise SeedFormatError("Text after the tips that is not a tip.")
        else:
            introduction.append(paragraph.strip())
    if not introduction or not tips:
        raise SeedFormatError("Expected an introduction and at least one tip.")
    return SeedText(title=title, introduction="\n\n".join(introduction), tips=tips)


def read_seed(*, path: Path) -> SeedText:
    return _parse_seed(path.read_text(encoding="utf-8"))
