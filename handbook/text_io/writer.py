"""Writing a text file that people can read and that reads back the same."""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from handbook.text_io.data import MARKDOWN, YAML, GuidelineText, TextExportError
from handbook.text_io.reader import STRUCTURE

LONG_TEXT = 60
EXPORT_WIDTH = 88


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


class _Text(str):
    """A text to write as a block scalar when it is long or has line breaks."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else (">" if len(value) >= LONG_TEXT else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(_Text, _represent_text)


def _clean(text: str) -> str:
    """Line ends as the file holds them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _texts(dutch: str, english: str, *, styled: bool) -> Any:
    kind = _Text if styled else str
    if not english:
        return kind(_clean(dutch))
    return {"nl": kind(_clean(dutch)), "en": kind(_clean(english))}


def _origin(text: GuidelineText) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if text.guideline:
        data["guideline"] = text.guideline
    if text.version is not None:
        data["version"] = text.version
    return data


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=EXPORT_WIDTH,
    )


def _dump_checked(make: Any) -> str:
    """Block scalars read best; should the emitter write a text in a way that does not
    read back identically, the file falls back to quoted strings."""
    data = make(True)
    out = _dump(data)
    if yaml.safe_load(out) != yaml.safe_load(_dump(make(False))):  # pragma: no cover
        out = _dump(make(False))
    return out


def _header(text: GuidelineText) -> str:
    name = text.guideline or "guideline"
    version = f", version {text.version}" if text.version is not None else ""
    return f"# Text of {name}{version}. Format: handbook/text_io/README.md\n"


def _yaml(text: GuidelineText) -> str:
    def make(styled: bool) -> dict[str, Any]:
        return {
            **_origin(text),
            "title": _texts(text.title, text.title_en, styled=styled),
            "introduction": _texts(text.introduction, text.introduction_en, styled=styled),
            "tips": [
                {"number": tip.number, "text": _texts(tip.text, tip.text_en, styled=styled)}
                for tip in text.tips
            ],
        }

    return _header(text) + _dump_checked(make)


def _markdown(text: GuidelineText) -> str:
    pieces: list[tuple[str, str]] = [(_("the introduction"), text.introduction)]
    pieces += [(_("tip %(number)s") % {"number": tip.number}, tip.text) for tip in text.tips]
    pieces += [(_("the English introduction"), text.introduction_en)]
    pieces += [
        (_("the English tip %(number)s") % {"number": tip.number}, tip.text_en) for tip in text.tips
    ]
    for where, body in pieces:
        if any(STRUCTURE.match(line) for line in _clean(body).split("\n")):
            raise TextExportError(
                _(
                    "The Markdown format cannot hold %(where)s: a line of it starts with # "
                    "or ##, which the format reads as a heading. Export the text as YAML."
                )
                % {"where": where}
            )

    def make(styled: bool) -> dict[str, Any]:
        return {**_origin(text), "title": _texts(text.title, text.title_en, styled=styled)}

    out = ["---", _header(text) + _dump_checked(make).rstrip("\n"), "---", "", "# Nederlands"]
    out += ["", _clean(text.introduction)]
    for tip in text.tips:
        out += ["", f"## {tip.number}", "", _clean(tip.text)]
    english = [tip for tip in text.tips if tip.text_en]
    if text.introduction_en or english:
        out += ["", "# English"]
        if text.introduction_en:
            out += ["", _clean(text.introduction_en)]
        for tip in english:
            out += ["", f"## {tip.number}", "", _clean(tip.text_en)]
    return "\n".join(out) + "\n"


def write_text(text: GuidelineText, *, format: str) -> bytes:
    """The text as a file in the given format (MARKDOWN or YAML), UTF-8. Raises
    TextExportError when the Markdown format cannot hold a text (YAML holds any)."""
    if format == MARKDOWN:
        return _markdown(text).encode("utf-8")
    if format == YAML:
        return _yaml(text).encode("utf-8")
    raise ValueError(f"Unknown format {format!r}")
