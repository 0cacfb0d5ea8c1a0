import uuid

import pytest
from django.utils import translation

from handbook.models import Tip
from handbook.selectors.diff import (
    DELETE,
    EQUAL,
    INSERT,
    Segment,
    TipStatus,
    diff_versions,
    render_segments,
    word_diff,
)
from handbook.tests.factories import published_version
from portal.testing.html import parse, select, text, texts


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language; these tests read their English ids."""
    with translation.override("en"):
        yield


A, B, C, D = (uuid.uuid4() for _ in range(4))


def test_word_diff_marks_only_the_changed_words():
    segments = word_diff(
        old="Plaats bij twijfel geen bericht.", new="Plaats bij twijfel nooit een bericht."
    )

    assert segments == [
        Segment(EQUAL, "Plaats bij twijfel "),
        Segment(DELETE, "geen"),
        Segment(INSERT, "nooit een"),
        Segment(EQUAL, " bericht."),
    ]


def test_word_diff_of_identical_texts_is_one_equal_segment():
    assert word_diff(old="Zelfde tekst.", new="Zelfde tekst.") == [Segment(EQUAL, "Zelfde tekst.")]


def test_rendered_diff_uses_del_and_ins_with_screen_reader_texts():
    page = parse(render_segments(segments=word_diff(old="oude tekst", new="nieuwe tekst")))

    [deleted] = select(page, "del.diff-del")
    [inserted] = select(page, "ins.diff-ins")
    assert texts(deleted, ".visually-hidden") == ["[start of deletion]", "[end of deletion]"]
    assert texts(inserted, ".visually-hidden") == ["[start of insertion]", "[end of insertion]"]
    assert text(deleted) == "[start of deletion] oude [end of deletion]"
    assert text(inserted) == "[start of insertion] nieuwe [end of insertion]"
    assert len(select(page, ".visually-hidden")) == 4


def test_rendered_diff_escapes_the_text():
    html = render_segments(segments=word_diff(old="a", new="<script>alert(1)</script>"))

    assert not select(parse(html), "script")
    assert "&lt;script&gt;" in html


def _pair(old_tips, new_tips, *, old_lineages, new_lineages, changes):
    first = published_version(number=1, tips=old_tips, lineages=old_lineages)
    second = published_version(
        first.guideline,
        number=2,
        tips=new_tips,
        lineages=new_lineages,
        changes=changes,
        based_on=first,
    )
    return first, second


@pytest.mark.django_db
def test_diff_labels_each_tip_by_lineage():
    old, new = _pair(
        ["Tip een.", "Tip twee.", "Tip drie.", "Tip vier."],
        ["Tip een.", "Tip twee, iets anders.", "Tip drie geheel anders.", "Tip vijf."],
        old_lineages=[A, B, C, D],
        new_lineages=[A, B, C, None],
        changes=[Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL, Tip.Change.NEW],
    )

    diff = diff_versions(old=old, new=new)

    assert [(t.status, t.old_number, t.new_number) for t in diff.tips] == [
        (TipStatus.UNCHANGED, 1, 1),
        (TipStatus.EDITORIAL, 2, 2),
        (TipStatus.MATERIAL, 3, 3),
        (TipStatus.REMOVED, 4, None),
        (TipStatus.NEW, None, 4),
    ]
    assert [t.label for t in diff.tips] == [
        "Unchanged",
        "Editorial change",
        "Change in meaning",
        "Removed: a change in meaning",
        "New",
    ]


@pytest.mark.django_db
def test_diff_shows_a_removed_tip_as_deleted_text():
    old, new = _pair(
        ["Blijft.", "Gaat weg."],
        ["Blijft."],
        old_lineages=[A, B],
        new_lineages=[A],
        changes=[Tip.Change.UNCHANGED],
    )

    removed = diff_versions(old=old, new=new).tips[1]

    assert removed.status == TipStatus.REMOVED
    assert "Gaat weg." in texts(parse(removed.html), "del.diff-del")[0]


@pytest.mark.django_db
def test_diff_shows_a_new_tip_as_inserted_text():
    old, new = _pair(
        ["Blijft."],
        ["Blijft.", "Nieuw hier."],
        old_lineages=[A],
        new_lineages=[A, None],
        changes=[Tip.Change.UNCHANGED, Tip.Change.NEW],
    )

    added = diff_versions(old=old, new=new).tips[1]

    assert added.status == TipStatus.NEW
    assert "Nieuw hier." in texts(parse(added.html), "ins.diff-ins")[0]


@pytest.mark.django_db
def test_diff_follows_a_moved_tip():
    old, new = _pair(
        ["Eerste.", "Tweede."],
        ["Tweede.", "Eerste."],
        old_lineages=[A, B],
        new_lineages=[B, A],
        changes=[Tip.Change.UNCHANGED, Tip.Change.UNCHANGED],
    )

    diff = diff_versions(old=old, new=new)

    assert [(t.status, t.old_number, t.new_number, t.moved) for t in diff.tips] == [
        (TipStatus.UNCHANGED, 2, 1, True),
        (TipStatus.UNCHANGED, 1, 2, True),
    ]


@pytest.mark.django_db
def test_diff_over_several_versions_keeps_the_weightiest_mark():
    first = published_version(number=1, tips=["Een."], lineages=[A])
    second = published_version(
        first.guideline,
        number=2,
        tips=["Een, anders."],
        lineages=[A],
        changes=[Tip.Change.MATERIAL],
        based_on=first,
    )
    third = published_version(
        first.guideline,
        number=3,
        tips=["Een, anders!"],
        lineages=[A],
        changes=[Tip.Change.EDITORIAL],
        based_on=second,
    )
    between = Tip.objects.filter(version__in=[second, third])

    diff = diff_versions(old=first, new=third, between=between)

    assert diff.tips[0].status == TipStatus.MATERIAL


@pytest.mark.django_db
def test_diff_compares_the_english_text_in_english():
    old, new = _pair(
        ["Een."],
        ["Een."],
        old_lineages=[A],
        new_lineages=[A],
        changes=[Tip.Change.UNCHANGED],
    )

    diff = diff_versions(old=old, new=new, language="en")

    assert diff.tips[0].status == TipStatus.UNCHANGED
    assert "EN Een." in diff.tips[0].html


@pytest.mark.django_db
def test_diff_reports_a_changed_title_and_introduction():
    old = published_version(number=1, tips=["Een."], lineages=[A])
    new = published_version(
        old.guideline,
        number=2,
        tips=["Een."],
        lineages=[A],
        changes=[Tip.Change.UNCHANGED],
        based_on=old,
        title="Nieuwe titel",
        introduction="Een nieuwe inleiding.",
    )

    diff = diff_versions(old=old, new=new)

    assert diff.title_changed and diff.introduction_changed
    assert "Nieuwe" in diff.title_html and "Handreiking" in diff.title_html
