"""The caps on the YAML of a text file (the YAML file, or a Markdown file's front
matter), checked from the parser's events before any node is built.

As in quizzes/bank_io/shape.py: the parser walks events one after another and expands
nothing, so this costs time in proportion to the size, which is capped first. It stops
at the first thing over a cap, and refuses anchors and aliases (a "billion laughs" file
expands each alias again), tags, nesting deeper than MAX_DEPTH, more than MAX_VALUES
values and more than MAX_TIPS tips.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from handbook.text_io.data import MAX_DEPTH, MAX_TIPS, MAX_VALUES, TextFormatError

# libyaml's parser when PyYAML was built with it (as its wheels are).
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NODES = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
# Where a tip stands: an item of a list (tips:) in the file's top mapping.
_TIP_LEVEL = [yaml.MappingStartEvent, yaml.SequenceStartEvent]


def check_shape(text: str, *, first_line: int = 1) -> None:
    """Raise TextFormatError (with the line) at the first part over a cap; a text that is
    not YAML raises yaml.YAMLError, as composing it would. ``first_line`` is the file's
    line number of the text's first line."""

    def refuse(event: Any, message: str) -> None:
        raise TextFormatError([(event.start_mark.line + first_line, message)])

    open_collections: list[type] = []
    values = tips = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, _NODES):
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                refuse(
                    event,
                    _(
                        "Anchors (&) and aliases (*) are not allowed in a guideline text "
                        "file. Write out each text in full."
                    ),
                )
            if event.tag is not None:
                refuse(event, _("Tags (!) are not allowed in a guideline text file."))
            values += 1
            if values > MAX_VALUES:
                refuse(
                    event,
                    _(
                        "The file holds more than %(max)s values. A guideline text never "
                        "needs that many: check the file."
                    )
                    % {"max": MAX_VALUES},
                )
            if open_collections == _TIP_LEVEL:
                tips += 1
                if tips > MAX_TIPS:
                    refuse(
                        event,
                        _("The file holds more than %(max)s tips.") % {"max": MAX_TIPS},
                    )
        if isinstance(event, _STARTS):
            open_collections.append(type(event))
            if len(open_collections) > MAX_DEPTH:
                refuse(
                    event,
                    _(
                        "The file is nested too deeply: a guideline text file has at most "
                        "%(max)s levels."
                    )
                    % {"max": MAX_DEPTH},
                )
        elif isinstance(event, _ENDS):
            open_collections.pop()
