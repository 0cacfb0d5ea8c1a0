"""The text file's fields, its caps and the data read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MARKDOWN: Final = "markdown"
YAML: Final = "yaml"
FORMATS: Final = (MARKDOWN, YAML)
EXTENSIONS: Final = {".md": MARKDOWN, ".markdown": MARKDOWN, ".yaml": YAML, ".yml": YAML}

# Fields of the YAML file, and of the Markdown file's front matter.
TOP_FIELDS: Final = ("guideline", "version", "title", "introduction", "tips")
TOP_REQUIRED: Final = ("title", "introduction", "tips")
FRONT_FIELDS: Final = ("guideline", "version", "title")
FRONT_REQUIRED: Final = ("title",)
TIP_FIELDS: Final = ("number", "text")
TEXT_LANGUAGES: Final = ("nl", "en")

# The customer's text is 4 kB with 11 tips. The caps leave a hundred times that room and
# keep the worst file a moment's work: size first, then (from the YAML parser's events,
# before any node is built) values, nesting and tips.
MAX_TEXT_BYTES: Final = 512 * 1024
MAX_TIPS: Final = 200
MAX_VALUES: Final = 5_000
MAX_DEPTH: Final = 6
TITLE_MAX_LENGTH: Final = 200  # GuidelineVersion.title
# A file with more errors shows the first ones and how many more there are.
MAX_ERRORS_SHOWN: Final = 50
MAX_ERRORS_READ: Final = 500

# Control characters that no text may hold (PostgreSQL refuses NUL); tab and line feed
# may stay. Carriage returns are read as line ends.
CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Problem = tuple[int | None, str]


def format_for_filename(filename: str) -> str | None:
    """MARKDOWN or YAML after the file name's extension; None for any other name."""
    name = filename.lower()
    for extension, kind in EXTENSIONS.items():
        if name.endswith(extension):
            return kind
    return None


class TextFormatError(Exception):
    """A text file that cannot be imported: every (line, reason) found, by line."""

    def __init__(self, errors: list[Problem], *, incomplete: bool = False) -> None:
        errors = sorted(errors, key=lambda error: error[0] or 0)
        if incomplete or len(errors) > MAX_ERRORS_SHOWN:
            more = len(errors) - MAX_ERRORS_SHOWN
            errors = errors[:MAX_ERRORS_SHOWN]
            if incomplete:
                errors.append(
                    (
                        None,
                        _(
                            "And more errors: reading stopped after %(count)s. Correct the "
                            "errors above and upload the file again to see the rest."
                        )
                        % {"count": MAX_ERRORS_READ},
                    )
                )
            else:
                errors.append(
                    (
                        None,
                        ngettext(
                            "And %(count)s more error. Correct the errors above and upload "
                            "the file again to see it.",
                            "And %(count)s more errors. Correct the errors above and upload "
                            "the file again to see them.",
                            more,
                        )
                        % {"count": more},
                    )
                )
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Each error as one readable line: "line 12: reason", or just the reason."""
        return [
            _("line %(line)s: %(reason)s") % {"line": line, "reason": reason}
            if line is not None
            else reason
            for line, reason in self.errors
        ]


class TextExportError(Exception):
    """A text that one format cannot hold so that it reads back the same (the other can)."""


@dataclass
class TipText:
    number: int
    text: str
    text_en: str = ""
    line: int | None = field(default=None, compare=False, repr=False)
    line_en: int | None = field(default=None, compare=False, repr=False)


@dataclass
class GuidelineText:
    """A version's text as a file holds it. ``guideline`` and ``version`` say where it
    came from (both optional; an import checks the guideline)."""

    title: str
    title_en: str
    introduction: str
    introduction_en: str
    tips: list[TipText]
    guideline: str = ""
    version: int | None = None
    guideline_line: int | None = field(default=None, compare=False, repr=False)
