"""A guideline version's text as a file: reading (parse_text) and writing (write_text).

Two formats hold the same data (README.md beside this file describes them): Markdown
with YAML front matter, which an editor can write by hand, and YAML. A file is read in
full before anything is stored: every problem is collected, with its line, and
TextFormatError lists them all, so that a malformed file is refused whole and the
editor fixes it in one go. Caps on size, values, nesting and tips are checked before
the YAML is built (shape.py); anchors, aliases and tags are refused.

What a file holds is what GuidelineVersion and Tip hold today: the title, the
introduction and the numbered tips (Markdown), each in Dutch and optionally English.
handbook.services.text_import previews and imports a file into a draft.
"""

from handbook.text_io.data import (
    FORMATS,
    MARKDOWN,
    YAML,
    GuidelineText,
    TextExportError,
    TextFormatError,
    TipText,
    format_for_filename,
)
from handbook.text_io.reader import parse_text
from handbook.text_io.writer import write_text

__all__ = [
    "FORMATS",
    "MARKDOWN",
    "YAML",
    "GuidelineText",
    "TextExportError",
    "TextFormatError",
    "TipText",
    "format_for_filename",
    "parse_text",
    "write_text",
]
