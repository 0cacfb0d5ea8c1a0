"""Reading a bank file node by node, so that every error names its line."""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.bank_io.data import (
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    MAX_ERRORS_READ,
    OPTION_FIELDS,
    OPTION_REQUIRED,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_FIELDS,
    QUESTION_REQUIRED,
    TEXT_LANGUAGES,
    TOP_FIELDS,
    BankFile,
    BankFormatError,
    OptionData,
    QuestionData,
)
from quizzes.bank_io.shape import LOADER, check_shape


class _TooManyErrors(Exception):
    """Reading stops: the editor sees the first errors and fixes those first."""


# The value of a scalar that cannot be built: no str, int, bool or None.
UNREADABLE = object()


def _line(node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _peek_key(node) -> str:
    """The question's key as written, to name the question in its errors."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "key"
                and isinstance(value_node, yaml.ScalarNode)
            ):
                return value_node.value.strip()
    return ""


class _Reader:
    """Walks the composed YAML nodes and collects errors with their line numbers."""

    def __init__(self):
        self.errors: list[tuple[int | None, str]] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def error(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int | None) else _line(node_or_line)
        self.errors.append((line, message))
        if len(self.errors) >= MAX_ERRORS_READ:
            raise _TooManyErrors

    def value(self, node):
        """The Python value of a scalar node (str, int, bool, None...); UNREADABLE for
        one that cannot be built (a number of 5,000 digits, a date such as 2026-13-45),
        which then fails every check of its kind, with the line."""
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            return UNREADABLE

    def mapping(self, node, allowed, required, what: str) -> dict | None:
        """A mapping's fields as {name: (key node, value node)}; unknown and missing
        fields and fields given twice are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, _("%(what)s must be a list of fields (name: value).") % {"what": what})
            return None
        fields = {}
        for key_node, value_node in node.value:
            name = self.value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.error(key_node, _("A field name must be a word."))
                continue
            if name in fields:
                self.error(key_node, _("The field “%(name)s” appears twice.") % {"name": name})
                continue
            if name not in allowed:
                self.error(
                    key_node,
                    _("Unknown field “%(name)s” in %(what)s. Allowed: %(allowed)s.")
                    % {"name": name, "what": what, "allowed": ", ".join(allowed)},
                )
                continue
            fields[name] = (key_node, value_node)
        for name in required:
            if name not in fields:
                self.error(
                    node,
                    _("%(what)s misses the field “%(name)s”.") % {"what": what, "name": name},
                )
        return fields

    def scalar(self, node, kinds, message: str):
        if isinstance(node, yaml.ScalarNode):
            value = self.value(node)
            if isinstance(value, kinds) and not (bool not in kinds and isinstance(value, bool)):
                return value
        self.error(node, message)
        return None

    def boolean(self, fields, name: str, default: bool, what: str) -> bool:
        if name not in fields:
            return default
        value = self.scalar(
            fields[name][1],
            (bool,),
            _("“%(name)s” of %(what)s must be true or false.") % {"name": name, "what": what},
        )
        return default if value is None else value

    # ----------------------------------------------------------------- the parts

    def bank(self, root) -> BankFile | None:
        fields = self.mapping(root, TOP_FIELDS, TOP_FIELDS, _("The file"))
        if fields is None:
            return None
        guideline = version = None
        guideline_line = version_line = None
        if "guideline" in fields:
            guideline_line = _line(fields["guideline"][1])
            guideline = self.scalar(
                fields["guideline"][1],
                (str,),
                _("“guideline” must be the guideline's short name, such as sociale-media."),
            )
        if "version" in fields:
            version_line = _line(fields["version"][1])
            version = self.scalar(
                fields["version"][1], (int,), _("“version” must be a version number.")
            )
            if version is not None and version < 1:
                self.error(fields["version"][1], _("“version” must be a version number."))
        questions = []
        if "questions" in fields:
            node = fields["questions"][1]
            if not isinstance(node, yaml.SequenceNode) or not node.value:
                self.error(node, _("“questions” must be a list with at least one question."))
            else:
                seen_keys: dict[str, int | None] = {}
                for index, question_node in enumerate(node.value, start=1):
                    question = self.question(question_node, index)
                    if question is None:
                        continue
                    if not question.key:
                        pass
                    elif question.key in seen_keys:
                        self.error(
                            question.key_line,
                            _("The key “%(key)s” is used twice (also on line %(other)s).")
                            % {"key": question.key, "other": seen_keys[question.key]},
                        )
                    else:
                        seen_keys[question.key] = question.key_line
                    questions.append(question)
        return BankFile(
            guideline=guideline or "",
            version=version or 0,
            questions=questions,
            guideline_line=guideline_line,
            version_line=version_line,
        )

    def question(self, node, index: int) -> QuestionData | None:
        what = _("question %(index)s") % {"index": index}
        peeked = _peek_key(node)
        if peeked:
            what = _("question “%(key)s”") % {"key": peeked}
        fields = self.mapping(node, QUESTION_FIELDS, QUESTION_REQUIRED, what)
        if fields is None:
            return None
        key = ""
        if "key" in fields:
            value = self.scalar(fields["key"][1], (str,), _("The key must be text."))
            if value is not None:
                key = value.strip()
                if not key:
                    self.error(fields["key"][1], _("The key is empty."))
                elif len(key) > KEY_MAX_LENGTH or not KEY_PATTERN.match(key):
                    self.error(
                        fields["key"][1],
                        _(
                            "The key “%(key)s” may only hold letters, digits, - and _ "
                            "(at most %(max)s characters)."
                        )
                        % {"key": key, "max": KEY_MAX_LENGTH},
                    )
        tips = self.tips(fields, what)
        multiple = self.boolean(fields, "multiple_answers", False, what)
        active = self.boolean(fields, "active", True, what)
        situation, situation_en = self.required_text(fields, "situation", what)
        prompt, prompt_en = self.required_text(fields, "question", what)
        options = self.options(fields, multiple, what)
        return QuestionData(
            key=key,
            tips=tips,
            multiple_answers=multiple,
            active=active,
            situation=situation,
            situation_en=situation_en,
            prompt=prompt,
            prompt_en=prompt_en,
            options=options,
            line=_line(node),
            tips_line=_line(fields["tips"][1]) if "tips" in fields else _line(node),
            key_line=_line(fields["key"][1]) if "key" in fields else _line(node),
        )

    def required_text(self, fields, name: str, what: str) -> tuple[str, str]:
        if name not in fields:
            return "", ""
        before = len(self.errors)
        dutch, english = self._text(fields[name][1], name, what)
        if not dutch and len(self.errors) == before:
            self.error(
                fields[name][1],
                _("“%(name)s” of %(what)s has no Dutch text.") % {"name": name, "what": what},
            )
        return dutch, english

    def _text(self, node, name: str, what: str) -> tuple[str, str]:
        label = _("“%(name)s” of %(what)s") % {"name": name, "what": what}
        must_be_text = _("%(label)s must be text.") % {"label": label}
        if isinstance(node, yaml.ScalarNode):
            dutch = self.scalar(node, (str,), must_be_text)
            return (dutch or "").strip(), ""
        parts = self.mapping(node, TEXT_LANGUAGES, ("nl",), label)
        if parts is None:
            return "", ""
        dutch = english = ""
        if "nl" in parts:
            dutch_node = parts["nl"][1]
            if isinstance(dutch_node, yaml.ScalarNode) and self.value(dutch_node) is None:
                dutch = ""  # reported as "no Dutch text" by required_text
            else:
                dutch = self.scalar(dutch_node, (str,), must_be_text) or ""
        if "en" in parts:
            english_node = parts["en"][1]
            if isinstance(english_node, yaml.ScalarNode) and self.value(english_node) is None:
                english = ""  # "en:" left empty: no translation yet
            else:
                english = self.scalar(english_node, (str,), must_be_text) or ""
        return dutch.strip(), english.strip()

    def tips(self, fields, what: str) -> list[int]:
        if "tips" not in fields:
            return []
        node = fields["tips"][1]
        message = _("“tips” of %(what)s must be a list of tip numbers, such as [3, 5].") % {
            "what": what
        }
        if isinstance(node, yaml.ScalarNode):
            number = self.scalar(node, (int,), message)
            numbers = [number] if number is not None else []
        elif isinstance(node, yaml.SequenceNode):
            numbers = []
            for item in node.value:
                number = self.scalar(item, (int,), message)
                if number is not None:
                    numbers.append(number)
        else:
            self.error(node, message)
            return []
        if not numbers:
            if not any(line == _line(node) for line, _reason in self.errors):
                self.error(node, message)
            return []
        tips = []
        for number in numbers:
            if number < 1:
                self.error(node, message)
            elif number in tips:
                self.error(
                    node,
                    _("Tip %(number)s is listed twice in %(what)s.")
                    % {"number": number, "what": what},
                )
            else:
                tips.append(number)
        return tips

    def options(self, fields, multiple: bool, what: str) -> list[OptionData]:
        if "options" not in fields:
            return []
        key_node, node = fields["options"]
        if not isinstance(node, yaml.SequenceNode):
            self.error(
                node,
                _("“options” of %(what)s must be a list of %(min)s or %(max)s options.")
                % {"what": what, "min": OPTIONS_MIN, "max": OPTIONS_MAX},
            )
            return []
        if not OPTIONS_MIN <= len(node.value) <= OPTIONS_MAX:
            self.error(
                key_node,
                ngettext(
                    "%(what)s has %(count)s option; it must have %(min)s or %(max)s.",
                    "%(what)s has %(count)s options; it must have %(min)s or %(max)s.",
                    len(node.value),
                )
                % {"what": what, "count": len(node.value), "min": OPTIONS_MIN, "max": OPTIONS_MAX},
            )
            if len(node.value) > OPTIONS_MAX:
                return []  # no use reading thousands of options one by one
        options = []
        for index, option_node in enumerate(node.value, start=1):
            option_what = _("option %(index)s of %(what)s") % {"index": index, "what": what}
            option_fields = self.mapping(option_node, OPTION_FIELDS, OPTION_REQUIRED, option_what)
            if option_fields is None:
                continue
            text, text_en = self.required_text(option_fields, "text", option_what)
            explanation, explanation_en = self.required_text(
                option_fields, "explanation", option_what
            )
            options.append(
                OptionData(
                    text=text,
                    text_en=text_en,
                    is_correct=self.boolean(option_fields, "correct", False, option_what),
                    explanation=explanation,
                    explanation_en=explanation_en,
                    line=_line(option_node),
                )
            )
        if len(options) == len(node.value) and OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
            right = sum(option.is_correct for option in options)
            if not multiple and right != 1:
                self.error(
                    key_node,
                    _(
                        "%(what)s has one right answer (multiple_answers: false), so exactly "
                        "one option must be correct; now %(count)s are."
                    )
                    % {"what": what, "count": right},
                )
            elif multiple and right < 2:
                self.error(
                    key_node,
                    _(
                        "%(what)s has more than one right answer (multiple_answers: true), so "
                        "at least two options must be correct; now %(count)s are."
                    )
                    % {"what": what, "count": right},
                )
            if right == len(options):
                self.error(
                    key_node, _("%(what)s needs at least one wrong option.") % {"what": what}
                )
        return options


def parse_bank(text: str) -> BankFile:
    """Read a question bank file; raise BankFormatError listing every error with its line."""
    try:
        # The caps first, from the parser's events: only a file within them is built.
        check_shape(text)
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise BankFormatError(
            [
                (
                    mark.line + 1 if mark is not None else None,
                    _("This is not valid YAML: %(problem)s.") % {"problem": problem},
                )
            ]
        ) from exc
    if root is None:
        raise BankFormatError([(None, _("The file is empty."))])
    reader = _Reader()
    try:
        bank = reader.bank(root)
    except _TooManyErrors:
        raise BankFormatError(
            sorted(reader.errors, key=lambda e: e[0] or 0), incomplete=True
        ) from None
    if reader.errors or bank is None:
        raise BankFormatError(sorted(reader.errors, key=lambda e: e[0] or 0))
    return bank
