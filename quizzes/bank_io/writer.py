"""Writing a bank file that people can read and that reads back the same."""

from __future__ import annotations

import yaml

from quizzes.bank_io.data import (
    EXPORT_WIDTH,
    LONG_TEXT,
)


class _BankDumper(yaml.SafeDumper):
    """Indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


class _Text(str):
    """A text to write as a block scalar when it is long or has line breaks."""


class _Flow(list):
    """A short list to write on one line: tips: [3, 5]."""


def _represent_text(dumper, value):
    style = None
    if "\n" in value:
        style = "|"
    elif len(value) >= LONG_TEXT:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


class _FlowMap(dict):
    """Short texts on one line: text: {nl: Ja, en: Yes}."""


def _represent_flow_map(dumper, value):
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


def _represent_flow(dumper, value):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_BankDumper.add_representer(_Text, _represent_text)
_BankDumper.add_representer(_Flow, _represent_flow)
_BankDumper.add_representer(_FlowMap, _represent_flow_map)


def _texts(dutch: str, english: str, *, styled: bool) -> dict:
    texts = {"nl": dutch}
    if english:
        texts["en"] = english
    if not styled:
        return texts
    if all(len(text) < LONG_TEXT and "\n" not in text for text in texts.values()):
        return _FlowMap(texts)
    return {language: _Text(text) for language, text in texts.items()}


def bank_data(version, *, styled: bool = True) -> dict:
    """The version's bank as plain data in the file's layout (3 queries)."""
    from quizzes.selectors import ordered_tips

    questions = list(version.questions.prefetch_related("options").order_by("position", "pk"))
    tips = ordered_tips(question_ids=[question.pk for question in questions])
    flow = _Flow if styled else list
    return {
        "guideline": version.guideline.slug,
        "version": version.number,
        "questions": [
            {
                "key": question.key,
                "tips": flow(tip.number for tip in tips.get(question.pk, [])),
                "multiple_answers": question.multiple_answers,
                "active": question.is_active,
                "situation": _texts(question.situation, question.situation_en, styled=styled),
                "question": _texts(question.prompt, question.prompt_en, styled=styled),
                "options": [
                    {
                        "text": _texts(option.text, option.text_en, styled=styled),
                        "correct": option.is_correct,
                        "explanation": _texts(
                            option.explanation, option.explanation_en, styled=styled
                        ),
                    }
                    for option in sorted(question.options.all(), key=lambda o: o.position)
                ],
            }
            for question in questions
        ],
    }


def _dump(data) -> str:
    return yaml.dump(
        data,
        Dumper=_BankDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=EXPORT_WIDTH,
    )


def export_bank(version) -> str:
    """The version's question bank as a file in the import format (round-trips)."""
    header = (
        f"# Question bank of {version.guideline.slug}, version {version.number}.\n"
        "# Format: quizzes/data/README.md. Tips: main tip first.\n"
    )
    data = bank_data(version)
    text = _dump(data)
    # Block scalars read best; should the emitter ever write a text in a way that does
    # not read back identically, the file falls back to quoted strings.
    if yaml.safe_load(text) != data:  # pragma: no cover - defensive
        text = _dump(bank_data(version, styled=False))
    return header + text
