"""The caps on a bank file, checked from the YAML parser's events before any node is built.

The parser reads events one after another (libyaml's when PyYAML has it): it keeps no
call stack per level and expands nothing, so walking the events costs time in
proportion to the file's size, which is capped first. The walk stops at the first thing
over a cap, so a file of 100,000 nested brackets costs as much as one of nine. What it
refuses:
- anchors and aliases (``&a``, ``*a``): the format does not need them, and 250,000 of
  them, each doubling the one before, took 49 s to read ("billion laughs");
- tags (``!!python/...``, ``!x``): the format does not need them either;
- nesting deeper than MAX_DEPTH (a deeply nested file was a RecursionError, a 500);
- more than MAX_QUESTIONS questions and more than MAX_VALUES values in all.
Only a file within the caps is composed into nodes (reader.parse_bank).
"""

from __future__ import annotations

import yaml
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from quizzes.bank_io.data import (
    MAX_BANK_BYTES,
    MAX_DEPTH,
    MAX_QUESTIONS,
    MAX_VALUES,
    BankFormatError,
)

# libyaml's parser when PyYAML was built with it (as its wheels are): ten times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NODES = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
# Where a question stands: an item of a list (questions:) in the file's top mapping.
_QUESTION_LEVEL = [yaml.MappingStartEvent, yaml.SequenceStartEvent]


def _refuse(event, message: str):
    raise BankFormatError([(event.start_mark.line + 1, message)])


def check_shape(text: str) -> None:
    """Raise BankFormatError (with the line) at the first part of the file over a cap;
    a file that is not YAML raises yaml.YAMLError, as composing it would."""
    if len(text.encode("utf-8")) > MAX_BANK_BYTES:
        raise BankFormatError(
            [
                (
                    None,
                    _("The file is too big: it may be at most %(limit)s.")
                    % {"limit": filesizeformat(MAX_BANK_BYTES)},
                )
            ]
        )
    open_collections: list[type] = []
    values = questions = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, _NODES):
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                _refuse(
                    event,
                    _(
                        "Anchors (&) and aliases (*) are not allowed in a question bank "
                        "file. Write out each text in full."
                    ),
                )
            if event.tag is not None:
                _refuse(event, _("Tags (!) are not allowed in a question bank file."))
            values += 1
            if values > MAX_VALUES:
                _refuse(
                    event,
                    _(
                        "The file holds more than %(max)s values. A question bank never "
                        "needs that many: check the file."
                    )
                    % {"max": MAX_VALUES},
                )
            if open_collections == _QUESTION_LEVEL:
                questions += 1
                if questions > MAX_QUESTIONS:
                    _refuse(
                        event,
                        _(
                            "The file holds more than %(max)s questions. Split it into "
                            "smaller files."
                        )
                        % {"max": MAX_QUESTIONS},
                    )
        if isinstance(event, _STARTS):
            open_collections.append(type(event))
            if len(open_collections) > MAX_DEPTH:
                _refuse(
                    event,
                    _(
                        "The file is nested too deeply: a question bank file has at most "
                        "%(max)s levels."
                    )
                    % {"max": MAX_DEPTH},
                )
        elif isinstance(event, _ENDS):
            open_collections.pop()
