"""A version's text as a file (handbook.text_io) and its import and export
(handbook.services.text_import): both formats read back what they wrote, the customer's
text round-trips byte for byte, and a malformed file is refused whole, each problem with
its line, changing nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from handbook import services
from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.services.text_import import (
    TextChange,
    export_filename,
    export_text,
    import_text,
    preview_text_import,
    version_text,
)
from handbook.tests.factories import GuidelineFactory, published_version
from handbook.text_io import (
    FORMATS,
    MARKDOWN,
    YAML,
    GuidelineText,
    TextExportError,
    TextFormatError,
    TipText,
    parse_text,
    write_text,
)
from handbook.text_io.data import MAX_TEXT_BYTES, MAX_TIPS
from people.tests.factories import EmployeeFactory

TRICKY = GuidelineText(
    guideline="sociale-media",
    version=3,
    title="Handreiking: “sociale media” & meer",
    title_en="Guidance: social media",
    introduction=(
        "Eerste alinea met een harde regel  \nen nog een regel.\n\nTweede alinea: *nadruk*."
    ),
    introduction_en="First paragraph.\n\n- a list\n- of points",
    tips=[
        TipText(1, "Korte tip.", "Short tip."),
        TipText(
            2,
            "Een lange tip die zeker langer is dan zestig tekens, met 'quotes', "
            '"aanhalingstekens", # een hekje en: een dubbele punt.',
            "",
        ),
        TipText(3, "- punt één\n- punt twee\n\n### Een kleine kop\n\n    code\n\nyes", "no"),
        TipText(4, "true", "123"),
    ],
)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English here; the Dutch ones in their own test."""
    with translation.override("en"):
        yield


def _lines(error: TextFormatError) -> list[int | None]:
    return [line for line, _reason in error.errors]


def _refused(data: str | bytes, format: str) -> TextFormatError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(TextFormatError) as caught:
        parse_text(raw, format=format)
    return caught.value


MARKDOWN_FILE = """---
guideline: sociale-media
title:
  nl: Titel
  en: Title
---

# Nederlands

Inleiding.

## 1

Tip een.

## 2

Tip twee.

# English

Introduction.

## 1

Tip one.
"""

YAML_FILE = """title: {nl: Titel, en: Title}
introduction: Inleiding.
tips:
  - number: 1
    text: {nl: Tip een., en: Tip one.}
  - number: 2
    text: Tip twee.
"""


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("format", FORMATS)
def test_a_text_written_in_either_format_reads_back_the_same(format):
    assert parse_text(write_text(TRICKY, format=format), format=format) == TRICKY


@pytest.mark.parametrize("format", FORMATS)
def test_a_text_without_any_english_reads_back_without_english(format):
    dutch_only = GuidelineText(
        title="Titel",
        title_en="",
        introduction="Inleiding.",
        introduction_en="",
        tips=[TipText(1, "Een."), TipText(2, "Twee.")],
    )

    assert parse_text(write_text(dutch_only, format=format), format=format) == dutch_only


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
def test_the_customers_version_one_exported_and_read_back_is_what_is_stored(version_one, format):
    read = parse_text(export_text(version=version_one, format=format), format=format)

    stored = list(version_one.tips.order_by("number"))
    assert len(read.tips) == len(stored) == 11
    assert read.title.encode() == version_one.title.encode()
    assert read.title_en.encode() == version_one.title_en.encode()
    assert read.introduction.encode() == version_one.introduction.encode()
    assert read.introduction_en.encode() == version_one.introduction_en.encode()
    for tip, row in zip(read.tips, stored, strict=True):
        assert (tip.number, tip.text.encode(), tip.text_en.encode()) == (
            row.number,
            row.text.encode(),
            row.text_en.encode(),
        )


@pytest.mark.django_db
def test_the_customers_text_imported_into_a_new_draft_keeps_every_tip_unchanged(version_one):
    draft = services.create_draft(guideline=version_one.guideline, actor=None)
    data = export_text(version=version_one, format=MARKDOWN)

    import_text(version=draft, data=data, filename="tekst.md", actor=None)

    assert version_text(version=draft) == GuidelineText(
        **{**version_text(version=version_one).__dict__, "version": draft.number}
    )
    assert set(draft.tips.values_list("change", flat=True)) == {Tip.Change.UNCHANGED}


def test_markdown_refuses_to_export_a_text_with_a_line_it_would_read_as_a_heading():
    text = GuidelineText(
        title="T",
        title_en="",
        introduction="I",
        introduction_en="",
        tips=[TipText(1, "Eerst\n## 2\nen verder")],
    )

    with pytest.raises(TextExportError):
        write_text(text, format=MARKDOWN)
    assert parse_text(write_text(text, format=YAML), format=YAML) == text


def test_a_hand_written_markdown_file_reads_as_its_headings_say():
    text = parse_text(MARKDOWN_FILE.encode(), format=MARKDOWN)

    assert (text.title, text.title_en, text.introduction, text.introduction_en) == (
        "Titel",
        "Title",
        "Inleiding.",
        "Introduction.",
    )
    assert [(t.number, t.text, t.text_en) for t in text.tips] == [
        (1, "Tip een.", "Tip one."),
        (2, "Tip twee.", ""),
    ]


def test_windows_line_ends_and_a_byte_order_mark_read_as_plain_line_ends():
    data = b"\xef\xbb\xbf" + MARKDOWN_FILE.replace("\n", "\r\n").encode()

    assert parse_text(data, format=MARKDOWN) == parse_text(MARKDOWN_FILE.encode(), format=MARKDOWN)


# ------------------------------------------------------------- malformed files


def test_a_file_that_is_not_yaml_is_refused_with_the_line():
    error = _refused("title: Titel\nintroduction: [niet gesloten\ntips: x\n", YAML)

    assert _lines(error) == [3]
    assert "not valid YAML" in error.errors[0][1]


def test_bad_yaml_in_the_front_matter_is_refused_with_the_files_line():
    error = _refused(MARKDOWN_FILE.replace("  en: Title", "  en: [Title"), MARKDOWN)

    assert _lines(error) in ([6], [5])


@pytest.mark.parametrize(
    ("format", "data", "line"),
    [
        (YAML, YAML_FILE.replace("title: {nl: Titel, en: Title}\n", ""), 1),
        (YAML, YAML_FILE.replace("{nl: Titel, en: Title}", "{en: Title}"), 1),
        (MARKDOWN, MARKDOWN_FILE.replace("title:\n  nl: Titel\n  en: Title\n", ""), 2),
    ],
)
def test_a_file_without_a_title_is_refused(format, data, line):
    error = _refused(data, format)

    assert line in _lines(error)


@pytest.mark.parametrize("format", FORMATS)
def test_a_tip_number_used_twice_is_refused_naming_both_lines(format):
    if format == YAML:
        data = YAML_FILE.replace("number: 2", "number: 1")
        expected = (6, "also on line 4")
    else:
        data = MARKDOWN_FILE.replace("## 2\n\nTip twee", "## 1\n\nTip twee")
        expected = (16, "also on line 12")

    error = _refused(data, format)

    assert error.errors[0][0] == expected[0]
    assert expected[1] in error.errors[0][1]


@pytest.mark.parametrize("format", FORMATS)
def test_a_missing_tip_number_is_refused(format):
    if format == YAML:
        data = YAML_FILE.replace("number: 2", "number: 3")
    else:
        data = MARKDOWN_FILE.replace("## 2\n\nTip twee", "## 3\n\nTip twee")

    error = _refused(data, format)

    assert "Tip 2 is missing" in error.errors[0][1]
    assert error.errors[0][0] == (6 if format == YAML else 16)


def test_tips_out_of_order_are_refused():
    data = MARKDOWN_FILE.replace("## 1\n\nTip een", "## X").replace(
        "## 2\n\nTip twee", "## 1\n\nTip een"
    )
    data = data.replace("## X", "## 2\n\nTip twee")

    error = _refused(data, MARKDOWN)

    assert "out of order" in error.errors[0][1]


@pytest.mark.parametrize("format", FORMATS)
def test_a_tip_without_a_body_is_refused(format):
    if format == YAML:
        data = YAML_FILE.replace("text: Tip twee.", "text: ''")
        line = 7
    else:
        data = MARKDOWN_FILE.replace("Tip twee.\n", "")
        line = 16

    error = _refused(data, format)

    assert error.errors == [(line, "Tip 2 has no text.")]


def test_a_tip_heading_with_a_title_is_refused_because_tips_have_no_title():
    error = _refused(MARKDOWN_FILE.replace("## 2\n", "## 2. Wees voorzichtig\n"), MARKDOWN)

    assert _lines(error) == [16]


def test_an_unknown_part_heading_is_refused():
    error = _refused(MARKDOWN_FILE.replace("# English", "# Engelse tekst"), MARKDOWN)

    assert _lines(error)[0] == 20
    assert "Unknown heading" in error.errors[0][1]


def test_a_file_that_is_not_utf8_is_refused_with_the_line():
    data = MARKDOWN_FILE.encode().replace(b"Tip twee.", "Tip twee é".encode("latin-1"))

    error = _refused(data, MARKDOWN)

    assert error.errors[0][0] == 18
    assert "UTF-8" in error.errors[0][1]


def test_a_control_character_is_refused_with_the_line_also_when_escaped_in_yaml():
    error = _refused(YAML_FILE.replace("text: Tip twee.", 'text: "Tip\\u0000twee"'), YAML)

    assert _lines(error) == [7]
    assert "U+0000" in error.errors[0][1]


def test_a_file_over_the_size_cap_is_refused_before_it_is_read():
    data = b"title: x\n" + b"# " + b"a" * MAX_TEXT_BYTES

    error = _refused(data, YAML)

    assert error.errors[0][0] is None
    assert "too big" in error.errors[0][1]


@pytest.mark.parametrize("format", FORMATS)
def test_a_file_with_too_many_tips_is_refused(format):
    count = MAX_TIPS + 1
    if format == YAML:
        tips = "".join(f"  - number: {n}\n    text: T{n}\n" for n in range(1, count + 1))
        data = f"title: T\nintroduction: I\ntips:\n{tips}"
    else:
        tips = "".join(f"## {n}\n\nT{n}\n\n" for n in range(1, count + 1))
        data = f"---\ntitle: T\n---\n\nI\n\n{tips}"

    error = _refused(data, format)

    assert any(f"more than {MAX_TIPS} tips" in reason for _line, reason in error.errors)
    assert error.errors[0][0] is not None


def test_a_yaml_alias_bomb_is_refused_at_its_first_anchor_without_being_expanded():
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    data = "\n".join(bomb) + "\ntitle: T\nintroduction: I\ntips: [{number: 1, text: T}]\n"

    error = _refused(data, YAML)

    assert _lines(error) == [1]
    assert "Anchors" in error.errors[0][1]


def test_an_alias_in_the_front_matter_is_refused_too():
    error = _refused("---\nx: &x T\ntitle: *x\n---\n\nI\n\n## 1\n\nT\n", MARKDOWN)

    assert _lines(error) == [2]


def test_deep_nesting_is_refused_without_a_recursion_error():
    error = _refused("title: " + "[" * 50_000 + "]" * 50_000 + "\n", YAML)

    assert "nested too deeply" in error.errors[0][1]


@pytest.mark.parametrize("format", FORMATS)
def test_unknown_fields_are_refused_with_their_line(format):
    if format == YAML:
        data = YAML_FILE.replace("    text: Tip twee.", "    text: Tip twee.\n    change: material")
        line = 8
    else:
        data = MARKDOWN_FILE.replace("guideline: sociale-media", "guideline: x\nauthor: Piet")
        line = 3

    error = _refused(data, format)

    assert _lines(error) == [line]
    assert "Unknown field" in error.errors[0][1]


def test_every_problem_of_a_file_is_listed_at_once():
    data = (
        YAML_FILE.replace("title: {nl: Titel, en: Title}\n", "")
        .replace("number: 2", "number: 3")
        .replace("text: Tip twee.", "text: ''")
    )

    error = _refused(data, YAML)

    assert len(error.errors) == 3


def test_the_reasons_are_in_the_users_language():
    with translation.override("nl"):
        error = _refused(YAML_FILE.replace("text: Tip twee.", "text: ''"), YAML)
        lines = error.lines()

    assert lines == ["regel 7: Tip 2 heeft geen tekst."]


# ------------------------------------------------------------- the service


@pytest.fixture
def draft(db):
    guideline = GuidelineFactory()
    published = published_version(guideline, tips=["Tip een.", "Tip twee.", "Tip drie."])
    return services.create_draft(guideline=published.guideline, actor=None)


def _snapshot(version):
    version = GuidelineVersion.objects.get(pk=version.pk)
    return (
        version_text(version=version),
        list(version.tips.order_by("number").values_list("number", "lineage", "change")),
        HandbookEvent.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        YAML_FILE.replace("number: 2", "number: 1"),
        YAML_FILE.replace("text: Tip twee.", "text: ''"),
        YAML_FILE.replace("introduction: Inleiding.\n", ""),
        "a: &a [1]\nb: *a\n",
    ],
)
def test_a_malformed_file_changes_nothing(draft, data):
    before = _snapshot(draft)

    with pytest.raises(TextFormatError):
        import_text(version=draft, data=data.encode(), filename="tekst.yaml", actor=None)

    assert _snapshot(draft) == before


@pytest.mark.django_db
def test_a_file_of_another_guideline_is_refused(draft):
    data = YAML_FILE.replace("title:", "guideline: privacy\ntitle:", 1).encode()

    with pytest.raises(TextFormatError) as caught:
        import_text(version=draft, data=data, filename="tekst.yaml", actor=None)

    assert _lines(caught.value) == [1]


@pytest.mark.django_db
def test_a_file_that_is_neither_markdown_nor_yaml_by_name_is_refused(draft):
    with pytest.raises(TextFormatError):
        import_text(version=draft, data=YAML_FILE.encode(), filename="tekst.docx", actor=None)


@pytest.mark.django_db
def test_importing_into_a_published_version_is_refused_and_changes_nothing(draft):
    published = draft.based_on
    before = _snapshot(published)

    with pytest.raises(ValidationError):
        import_text(version=published, data=YAML_FILE.encode(), filename="t.yaml", actor=None)
    with pytest.raises(ValidationError):
        preview_text_import(version=published, data=YAML_FILE.encode(), filename="t.yaml")
    assert _snapshot(published) == before


@pytest.mark.django_db
def test_an_employee_without_the_editors_permission_cannot_import(draft):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_text(
            version=draft, data=YAML_FILE.encode(), filename="t.yaml", actor=EmployeeFactory()
        )


@pytest.mark.django_db
def test_the_preview_shows_which_tips_change_and_stores_nothing(draft):
    before = _snapshot(draft)
    data = YAML_FILE.replace("Tip twee.", "Tip twee, nu anders.").replace(
        "Tip een., en: Tip one.", "Tip een., en: EN Tip een."
    )

    preview = preview_text_import(version=draft, data=data.encode(), filename="t.yaml")

    assert [(tip.number, tip.status) for tip in preview.tips] == [
        (1, TextChange.UNCHANGED),
        (2, TextChange.CHANGED),
        (3, TextChange.REMOVED),
    ]
    assert "nu anders" in preview.tips[1].diff.dutch_html
    assert preview.title.changed and preview.changes_anything
    assert _snapshot(draft) == before


@pytest.mark.django_db
def test_the_import_replaces_the_drafts_text_and_marks_the_tips(draft):
    editor = EmployeeFactory(editor=True)
    lineages = list(draft.tips.order_by("number").values_list("lineage", flat=True))
    data = (
        YAML_FILE.replace("Tip twee.", "Tip twee, nu anders.").replace(
            "Tip een., en: Tip one.", "Tip een., en: EN Tip een."
        )
        + "  - number: 3\n    text: Tip drie.\n  - number: 4\n    text: Tip vier.\n"
    )

    import_text(version=draft, data=data.encode(), filename="t.yaml", actor=editor)

    draft = GuidelineVersion.objects.get(pk=draft.pk)
    rows = list(draft.tips.order_by("number").values_list("number", "lineage", "change", "text"))
    assert (draft.title, draft.title_en, draft.introduction) == ("Titel", "Title", "Inleiding.")
    assert [row[1] for row in rows[:3]] == lineages
    assert [row[2] for row in rows] == [
        Tip.Change.UNCHANGED,
        Tip.Change.MATERIAL,
        Tip.Change.UNCHANGED,
        Tip.Change.NEW,
    ]
    assert draft.last_edited_by == editor


@pytest.mark.django_db
def test_the_import_logs_an_event_without_the_file_name(draft):
    editor = EmployeeFactory(editor=True)

    import_text(version=draft, data=MARKDOWN_FILE.encode(), filename="geheim.md", actor=editor)

    event = HandbookEvent.objects.latest("pk")
    assert (event.kind, event.actor, event.version_number) == (
        HandbookEvent.Kind.DRAFT_CHANGED,
        editor,
        draft.number,
    )
    assert event.details == {"via": "import", "format": MARKDOWN, "tips": 2}


@pytest.mark.django_db
def test_the_export_is_named_after_the_guideline_and_version(version_one):
    assert export_filename(version=version_one, format=MARKDOWN) == "sociale-media-version-1.md"
