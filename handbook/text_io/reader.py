"""Reading a text file, so that every problem names its line.

Both formats are read into a GuidelineText and then checked alike (_check). Nothing is
returned unless the whole file is right: TextFormatError lists every problem.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from handbook.text_io.data import (
    CONTROL,
    FRONT_FIELDS,
    FRONT_REQUIRED,
    MARKDOWN,
    MAX_ERRORS_READ,
    MAX_TEXT_BYTES,
    MAX_TIPS,
    TEXT_LANGUAGES,
    TIP_FIELDS,
    TITLE_MAX_LENGTH,
    TOP_FIELDS,
    TOP_REQUIRED,
    YAML,
    GuidelineText,
    Problem,
    TextFormatError,
    TipText,
)
from handbook.text_io.shape import LOADER, check_shape

# The Markdown file's structure lines: a part (# Nederlands, # English) and a tip (## 3).
# Any line that starts with one or two # and a space is one; deeper headings are text.
STRUCTURE = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_PART = re.compile(r"^ {0,3}#[ \t]+(?P<name>.*?)[ \t#]*$")
_TIP = re.compile(r"^ {0,3}##[ \t]+(?P<number>\d+)\.?[ \t]*$")
_TIP_WITH_TITLE = re.compile(r"^ {0,3}##[ \t]+(?P<number>\d+)\.?[ \t]+\S")
PARTS = {"nederlands": "nl", "dutch": "nl", "english": "en", "engels": "en"}
FRONT_MATTER = "---"


class _TooManyErrors(Exception):
    """Reading stops: the editor sees the first errors and fixes those first."""


class _Problems:
    def __init__(self) -> None:
        self.errors: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.errors.append((line, message))
        if len(self.errors) >= MAX_ERRORS_READ:
            raise _TooManyErrors

    def raise_if_any(self) -> None:
        if self.errors:
            raise TextFormatError(self.errors)


# ------------------------------------------------------------------------- bytes


def decode(data: bytes) -> str:
    """The file's text: capped in size, UTF-8, "\n" line ends, no control characters."""
    if len(data) > MAX_TEXT_BYTES:
        raise TextFormatError(
            [
                (
                    None,
                    _("The file is too big: it may be at most %(limit)s.")
                    % {"limit": filesizeformat(MAX_TEXT_BYTES)},
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TextFormatError(
            [(line, _("This line is not UTF-8 text. Save the file as UTF-8 and try again."))]
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TextFormatError([(None, _("The file is empty."))])
    problems = _Problems()
    try:
        for number, line in enumerate(text.split("\n"), start=1):
            found = CONTROL.search(line)
            if found:
                problems.add(number, _control_message(found.group()))
    except _TooManyErrors:
        raise TextFormatError(problems.errors, incomplete=True) from None
    problems.raise_if_any()
    return text


def _control_message(character: str) -> str:
    return _("The text holds a control character (U+%(code)s), which no text may hold.") % {
        "code": f"{ord(character):04X}"
    }


# -------------------------------------------------------------------------- YAML


def _compose(text: str, *, first_line: int) -> Any:
    """The YAML's root node, after the caps; TextFormatError with the line if it is not
    YAML."""
    try:
        check_shape(text, first_line=first_line)
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise TextFormatError(
            [
                (
                    mark.line + first_line if mark is not None else None,
                    _("This is not valid YAML: %(problem)s.") % {"problem": problem},
                )
            ]
        ) from exc


class _NodeReader:
    """Walks composed YAML nodes; problems go to ``problems`` with their file line."""

    def __init__(self, problems: _Problems, *, first_line: int) -> None:
        self.problems = problems
        self.first_line = first_line
        self._constructor = yaml.constructor.SafeConstructor()

    def line(self, node: Any) -> int | None:
        mark = getattr(node, "start_mark", None)
        return mark.line + self.first_line if mark is not None else None

    def error(self, node: Any, message: str) -> None:
        self.problems.add(self.line(node), message)

    def value(self, node: Any) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            return None

    def mapping(
        self, node: Any, allowed: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> dict[str, tuple[Any, Any]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, _("%(what)s must be a list of fields (name: value).") % {"what": what})
            return None
        fields: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            name = self.value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.error(key_node, _("A field name must be a word."))
            elif name in fields:
                self.error(key_node, _("The field “%(name)s” appears twice.") % {"name": name})
            elif name not in allowed:
                self.error(
                    key_node,
                    _("Unknown field “%(name)s” in %(what)s. Allowed: %(allowed)s.")
                    % {"name": name, "what": what, "allowed": ", ".join(allowed)},
                )
            else:
                fields[name] = (key_node, value_node)
        for name in required:
            if name not in fields:
                self.error(
                    node, _("%(what)s misses the field “%(name)s”.") % {"what": what, "name": name}
                )
        return fields

    def string(self, node: Any, label: str) -> str:
        """A text value, stripped; "" (and a problem) for anything else."""
        if isinstance(node, yaml.ScalarNode):
            value = self.value(node)
            if value is None and node.value == "" and node.style is None:
                return ""  # "en:" left empty
            if isinstance(value, str):
                found = CONTROL.search(value)
                if found:
                    self.error(node, _control_message(found.group()))
                return value.strip()
        self.error(node, _("%(label)s must be text.") % {"label": label})
        return ""

    def texts(self, node: Any, label: str) -> tuple[str, str]:
        """Dutch and English: a text (Dutch only) or a mapping with nl and en."""
        if isinstance(node, yaml.ScalarNode):
            return self.string(node, label), ""
        parts = self.mapping(node, TEXT_LANGUAGES, ("nl",), label)
        if parts is None:
            return "", ""
        dutch = self.string(parts["nl"][1], label) if "nl" in parts else ""
        english = self.string(parts["en"][1], label) if "en" in parts else ""
        return dutch, english

    def origin(self, fields: dict[str, tuple[Any, Any]], result: GuidelineText) -> None:
        """The optional guideline (short name) and version number the file came from."""
        if "guideline" in fields:
            node = fields["guideline"][1]
            result.guideline = self.string(node, "“guideline”")
            result.guideline_line = self.line(node)
        if "version" in fields:
            node = fields["version"][1]
            version = self.value(node) if isinstance(node, yaml.ScalarNode) else None
            if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
                result.version = version
            else:
                self.error(node, _("“version” must be a version number."))


def _parse_yaml(text: str, problems: _Problems) -> GuidelineText:
    root = _compose(text, first_line=1)
    if root is None:
        raise TextFormatError([(None, _("The file is empty."))])
    reader = _NodeReader(problems, first_line=1)
    result = GuidelineText(title="", title_en="", introduction="", introduction_en="", tips=[])
    fields = reader.mapping(root, TOP_FIELDS, TOP_REQUIRED, _("The file"))
    if fields is None:
        return result
    reader.origin(fields, result)
    # None: the field is missing, which mapping() reported already.
    title_line = intro_line = None
    if "title" in fields:
        title_line = reader.line(fields["title"][1])
        result.title, result.title_en = reader.texts(fields["title"][1], "“title”")
    if "introduction" in fields:
        intro_line = reader.line(fields["introduction"][1])
        result.introduction, result.introduction_en = reader.texts(
            fields["introduction"][1], "“introduction”"
        )
    _check_title_and_introduction(result, problems, title_line, intro_line, intro_line)
    if "tips" in fields:
        node = fields["tips"][1]
        if not isinstance(node, yaml.SequenceNode):
            reader.error(node, _("“tips” must be a list of tips."))
        else:
            for item in node.value:
                tip = _yaml_tip(reader, item)
                if tip is not None:
                    result.tips.append(tip)
            _check_numbers(
                [(tip.number, tip.line) for tip in result.tips], problems, reader.line(node)
            )
    return result


def _yaml_tip(reader: _NodeReader, node: Any) -> TipText | None:
    what = _("a tip")
    fields = reader.mapping(node, TIP_FIELDS, TIP_FIELDS, what)
    if fields is None:
        return None
    number_node = fields["number"][1] if "number" in fields else node
    number = reader.value(number_node) if isinstance(number_node, yaml.ScalarNode) else None
    if "number" in fields and (
        not isinstance(number, int) or isinstance(number, bool) or number < 1
    ):
        reader.error(number_node, _("A tip's number must be a whole number from 1."))
        return None
    if not isinstance(number, int):
        return None
    if "text" not in fields:
        return None
    label = _("Tip %(number)s") % {"number": number}
    dutch, english = reader.texts(fields["text"][1], label)
    line = reader.line(node)
    if not dutch:
        reader.error(fields["text"][1], _("Tip %(number)s has no text.") % {"number": number})
    return TipText(number=number, text=dutch, text_en=english, line=line, line_en=line)


# ---------------------------------------------------------------------- Markdown


def _parse_markdown(text: str, problems: _Problems) -> GuidelineText:
    lines = text.split("\n")
    if lines[0].rstrip() != FRONT_MATTER:
        raise TextFormatError(
            [
                (
                    1,
                    _(
                        "A Markdown text file starts with its front matter: a line ---, the "
                        "title and the other fields, and another line ---."
                    ),
                )
            ]
        )
    end = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() == FRONT_MATTER), None
    )
    if end is None:
        raise TextFormatError([(1, _("The front matter is not closed: end it with a line ---."))])
    result = GuidelineText(title="", title_en="", introduction="", introduction_en="", tips=[])
    root = _compose("\n".join(lines[1:end]), first_line=2)
    reader = _NodeReader(problems, first_line=2)
    fields = (
        reader.mapping(root, FRONT_FIELDS, FRONT_REQUIRED, _("The front matter"))
        if root is not None
        else None
    )
    if root is None:
        problems.add(1, _("The front matter misses the field “title”."))
    title_line: int | None = None
    if fields is not None:
        reader.origin(fields, result)
        if "title" in fields:
            title_line = reader.line(fields["title"][1])
            result.title, result.title_en = reader.texts(fields["title"][1], "“title”")
    _read_body(lines, end + 1, result, problems, title_line)
    return result


class _Block:
    """The lines of one introduction or tip, from the line after its heading."""

    def __init__(self, language: str, number: int | None, line: int) -> None:
        self.language = language
        self.number = number
        self.line = line
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        # Blank lines around the text go; the text's own lines stay as written.
        return "\n".join(self.lines).strip()


def _read_body(
    lines: list[str],
    start: int,
    result: GuidelineText,
    problems: _Problems,
    title_line: int | None,
) -> None:
    seen_parts: dict[str, int] = {}
    body_line = start + 1  # the file's line number of the first body line
    current = _Block("nl", None, body_line)
    blocks = [current]
    tips = 0
    for index in range(start, len(lines)):
        number = index + 1
        line = lines[index]
        if not STRUCTURE.match(line):
            current.lines.append(line)
            continue
        tip = _TIP.match(line)
        if tip:
            tips += 1
            if tips > 2 * MAX_TIPS:
                problems.add(
                    number, _("The file holds more than %(max)s tips.") % {"max": MAX_TIPS}
                )
                break
            current = _Block(current.language, int(tip.group("number")), number)
            blocks.append(current)
            continue
        if _TIP_WITH_TITLE.match(line):
            problems.add(
                number,
                _(
                    "A tip's heading holds only its number, such as “## 3”: tips have no "
                    "title. Put the tip's text on the lines below it."
                ),
            )
            continue
        part = _PART.match(line)
        language = PARTS.get(part.group("name").strip().lower()) if part else None
        if language is None:
            problems.add(
                number,
                _(
                    "Unknown heading “%(heading)s”. The text has the parts “# Nederlands” and "
                    "“# English”, and each tip begins with its number, such as “## 3”. "
                    "Smaller headings (###) may be used in a text."
                )
                % {"heading": line.strip()[:80]},
            )
            continue
        if language in seen_parts:
            problems.add(
                number,
                _("The part “%(heading)s” appears twice (also on line %(other)s).")
                % {"heading": line.strip(), "other": seen_parts[language]},
            )
            continue
        if language == "nl" and (len(blocks) > 1 or current.text):
            problems.add(number, _("“# Nederlands” must come first, right after the front matter."))
            continue
        seen_parts[language] = number
        if language == "nl":
            current.line = number
            continue
        current = _Block("en", None, number)
        blocks.append(current)

    dutch = [block for block in blocks if block.language == "nl"]
    english = [block for block in blocks if block.language == "en"]
    result.introduction = dutch[0].text
    if english:
        result.introduction_en = english[0].text
    for block in dutch[1:]:
        assert block.number is not None
        result.tips.append(TipText(number=block.number, text=block.text, line=block.line))
        if not block.text:
            problems.add(block.line, _("Tip %(number)s has no text.") % {"number": block.number})
    first_tip_line = dutch[1].line if len(dutch) > 1 else dutch[0].line
    _check_title_and_introduction(result, problems, title_line, dutch[0].line, first_tip_line)
    _check_numbers(
        [(tip.number, tip.line) for tip in result.tips],
        problems,
        dutch[0].line,
    )
    by_number = {tip.number: tip for tip in result.tips}
    seen_en: dict[int, int] = {}
    for block in english[1:]:
        assert block.number is not None
        if block.number in seen_en:
            problems.add(
                block.line,
                _("Tip %(number)s appears twice (also on line %(other)s).")
                % {"number": block.number, "other": seen_en[block.number]},
            )
            continue
        seen_en[block.number] = block.line
        if block.number not in by_number:
            problems.add(
                block.line,
                _("The English part has a tip %(number)s, which the Dutch part does not have.")
                % {"number": block.number},
            )
            continue
        if not block.text:
            problems.add(
                block.line,
                _("Tip %(number)s has no English text: leave out its heading instead.")
                % {"number": block.number},
            )
        by_number[block.number].text_en = block.text
        by_number[block.number].line_en = block.line
    if english and not result.introduction_en and len(english) == 1:
        problems.add(english[0].line, _("The English part is empty: leave it out instead."))


# ---------------------------------------------------------------- shared checks


def _check_title_and_introduction(
    result: GuidelineText,
    problems: _Problems,
    title_line: int | None,
    intro_line: int | None,
    missing_intro_line: int | None,
) -> None:
    if title_line is not None and not result.title:
        problems.add(title_line, _("The title has no Dutch text."))
    for title in (result.title, result.title_en):
        if len(title) > TITLE_MAX_LENGTH:
            problems.add(
                title_line,
                _("The title is longer than %(max)s characters.") % {"max": TITLE_MAX_LENGTH},
            )
    if intro_line is not None and not result.introduction:
        problems.add(missing_intro_line, _("The introduction has no Dutch text."))


def _check_numbers(
    numbers: list[tuple[int, int | None]], problems: _Problems, list_line: int | None
) -> None:
    """Tips are numbered 1, 2, 3… in order, each number once, at most MAX_TIPS."""
    if not numbers:
        problems.add(list_line, _("The text has no tips: a version needs at least one tip."))
        return
    if len(numbers) > MAX_TIPS:
        problems.add(
            numbers[MAX_TIPS][1], _("The file holds more than %(max)s tips.") % {"max": MAX_TIPS}
        )
        return
    seen: dict[int, int | None] = {}
    for number, line in numbers:
        if number in seen:
            problems.add(
                line,
                _("Tip %(number)s appears twice (also on line %(other)s).")
                % {"number": number, "other": seen[number]},
            )
        else:
            seen[number] = line
    highest = max(seen)
    for missing in sorted(set(range(1, highest + 1)) - set(seen)):
        after = min((n for n in seen if n > missing), default=highest)
        problems.add(
            seen[after],
            _("Tip %(number)s is missing: number the tips 1, 2, 3… without gaps.")
            % {"number": missing},
        )
    if len(seen) == len(numbers) == highest:
        for position, (number, line) in enumerate(numbers, start=1):
            if number != position:
                problems.add(
                    line,
                    _("Tip %(number)s is out of order: put the tips in the order of their numbers.")
                    % {"number": number},
                )
                break


# ------------------------------------------------------------------------ entry


def parse_text(data: bytes, *, format: str) -> GuidelineText:
    """Read a text file (MARKDOWN or YAML); raise TextFormatError listing every problem
    with its line. Nothing is returned unless the whole file is right."""
    text = decode(data)
    problems = _Problems()
    try:
        if format == MARKDOWN:
            result = _parse_markdown(text, problems)
        elif format == YAML:
            result = _parse_yaml(text, problems)
        else:
            raise ValueError(f"Unknown format {format!r}")
    except _TooManyErrors:
        raise TextFormatError(problems.errors, incomplete=True) from None
    problems.raise_if_any()
    return result
