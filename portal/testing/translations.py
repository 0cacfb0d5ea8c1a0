"""Finding English in the Dutch interface, for tests.

``untranslated_messages`` records every message looked up while it is open (gettext,
ngettext, pgettext, npgettext and the lazy ones, from the portal's templates and code,
Django's and allauth's) that has no translation in the active language's catalogs: all
the catalogs Django merged for that language (the portal's locale/, every installed
app's, Django's own). Untranslated messages fall back to their English msgid, so they
are the English a Dutch reader would see:

    with untranslated_messages("nl") as missing:
        missing.where = "GET /"
        client.get("/")
    assert not missing, missing.report()

A message the portal translates into the same word ("Status") is in the catalog and so
never recorded; an entry whose msgstr is empty or marked fuzzy is left out of the
compiled catalog, and is recorded.

``english_parts`` finds the parts of a page marked as English (``lang="en"``), and
``english_dates`` finds what a date written by Python or a template in English looks
like ("Dec 7, 2026", "7 Dec 2026", "December", "12/07/2026", "1:05 p.m.") in a page's
text: Dutch writes month names in lower case and the day before the month.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from django.utils.translation import trans_real

CONTEXT_SEPARATOR = "\x04"


class Missing(dict[str, set[str]]):
    """Untranslated message -> where it was looked up (``where`` at that moment)."""

    where: str = ""

    def add(self, message: str) -> None:
        shown = message.replace(CONTEXT_SEPARATOR, " | ")
        self.setdefault(shown, set()).add(self.where or "?")

    def report(self) -> str:
        lines = [f"{len(self)} message(s) without a translation:"]
        for message, places in sorted(self.items()):
            lines.append(f"  {message!r}  ({', '.join(sorted(places)[:3])})")
        return "\n".join(lines)


def _found(translation: trans_real.DjangoTranslation, message: str) -> bool:
    catalog = translation._catalog
    return message in catalog or (message, translation.plural(1)) in catalog


def _found_plural(translation: trans_real.DjangoTranslation, singular: str, n: int) -> bool:
    try:
        translation._catalog.plural(singular, n)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def untranslated_messages(language: str = "nl") -> Iterator[Missing]:
    """Record, while open, every lookup in ``language`` that finds no translation."""
    missing = Missing()
    cls = trans_real.DjangoTranslation
    gettext, ngettext = cls.gettext, cls.ngettext

    def recording_gettext(self, message):
        if self.language() == language and not _found(self, message):
            missing.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, n):
        if self.language() == language and not _found_plural(self, singular, n):
            missing.add(singular)
        return ngettext(self, singular, plural, n)

    cls.gettext, cls.ngettext = recording_gettext, recording_ngettext
    try:
        yield missing
    finally:
        cls.gettext, cls.ngettext = gettext, ngettext


_ABBREVIATED = "Jan|Feb|Mar|Mrt|Apr|May|Mei|Jun|Jul|Aug|Sep|Sept|Oct|Okt|Nov|Dec"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
ENGLISH_DATE = re.compile(
    rf"\b\d{{1,2}} (?:{_ABBREVIATED})\.?(?= \d{{4}}\b)"  # 7 Dec 2026: Dutch writes "7 dec"
    rf"|\b(?:{_ABBREVIATED})\.? \d{{1,2}}, \d{{4}}\b"  # Dec. 7, 2026
    rf"|\b(?:{_MONTHS}|{_DAYS})\b"  # a month or day named in English
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b"  # 12/07/2026
    r"|\b\d{1,2}(?::\d{2})? ?[ap]\.m\."  # 1:05 p.m.
)
_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def page_text(html: str) -> str:
    """The text of a page as a reader gets it (no markup, scripts or styles)."""
    import html as entities

    return " ".join(entities.unescape(_TAG.sub(" ", _NOT_TEXT.sub(" ", html))).split())


def english_dates(text: str) -> list[str]:
    """The dates in ``text`` written the English way."""
    return sorted({match.group(0) for match in ENGLISH_DATE.finditer(text)})


def english_parts(html: str) -> list[str]:
    """The texts of a page marked as English (``lang="en"``) below its root, but for the
    language switch's own "English": what a Dutch reader gets in English."""
    from portal.testing.html import parse, select, text

    found = []
    for element in select(parse(html), "body [lang|=en]"):
        words = text(element)
        if words and words != "English":
            found.append(words)
    return found


SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b")


def setting_names(text: str) -> list[str]:
    """Names of settings (PORTAL_HR_LEAD_EMAIL, CAMPAIGN_ONBOARDING_DAYS) in a page's
    text: a reader cannot change them, and they are not words."""
    return sorted(set(SETTING_NAME.findall(text)))
