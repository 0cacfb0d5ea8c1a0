import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from handbook import services
from handbook.models import GuidelineVersion, Tip
from handbook.tests.factories import published_version, retire_at_once
from handbook.tests.utils import nl
from portal.testing.html import attribute, links, one, parse, select, text, text_of

TIP_3_NL = "Ga af op je beoordelingsvermogen en eigen logica."
TIP_3_EN = "Rely on your own judgement and common sense."


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_pages_require_login(client, version_one):
    response = client.get(reverse("handbook:current", kwargs={"guideline": "sociale-media"}))

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.django_db
def test_without_a_guideline_the_list_says_what_to_do(employee_client):
    response = employee_client.get(reverse("handbook:list"))

    assert response.status_code == 200
    assert "manage.py load_handbook" in _text(response)


@pytest.mark.django_db
def test_a_guideline_that_is_not_there_is_not_found(employee_client, version_one):
    response = employee_client.get(reverse("handbook:current", kwargs={"guideline": "privacy"}))

    assert response.status_code == 404


@pytest.mark.django_db
def test_without_a_version_in_force_the_page_says_so(employee_client):
    published_version(effective_date=datetime.date(2999, 1, 1))

    response = employee_client.get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    assert response.status_code == 200
    assert 'id="handbook-empty"' in _text(response)
    assert nl("No version of the guideline is in force yet.") in _text(response)


@pytest.mark.django_db
def test_current_version_shows_title_introduction_tips_and_hash_in_dutch(
    employee_client, version_one
):
    response = employee_client.get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    html = _text(response)
    page = parse(response)
    assert response.status_code == 200
    heading = one(page, "h1")
    assert heading.attributes["lang"] == "nl"
    assert text(heading) == "Handreiking gebruik sociale media"
    assert "art. 125a Ambtenarenwet" in html
    assert text_of(page, "#tip-3 .tip-text").startswith(TIP_3_NL)
    assert len(select(page, "ol.tip-list > li > section.tip")) == 11
    assert version_one.content_hash in html
    assert not select(page, "#translation-notice")


@pytest.mark.django_db
def test_current_version_in_english_shows_the_translation_with_a_notice(
    english_client, version_one
):
    response = english_client.get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    html = _text(response)
    page = parse(response)
    assert attribute(page, "html", "lang") == "en"
    heading = one(page, "h1")
    assert heading.attributes["lang"] == "en"
    assert text(heading) == "Guidance on the use of social media"
    assert text_of(page, "#tip-3 .tip-text").startswith(TIP_3_EN)
    assert TIP_3_NL not in html
    assert "This is a translation. The Dutch text is authoritative." in text_of(
        page, "#translation-notice"
    )
    assert attribute(page, "#translation-notice a#show-dutch", "href") == "?taal=nl"


@pytest.mark.django_db
def test_english_page_can_show_the_dutch_text_marked_as_dutch(english_client, version_one):
    response = english_client.get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"}) + "?taal=nl"
    )

    page = parse(response)
    heading = one(page, "h1")
    assert heading.attributes["lang"] == "nl"
    assert text(heading) == "Handreiking gebruik sociale media"
    tip = one(page, "#tip-3 .tip-text")
    assert tip.attributes["lang"] == "nl" and text(tip).startswith(TIP_3_NL)
    assert attribute(page, "#translation-notice a#show-english", "href") == "?taal=en"


@pytest.mark.django_db
def test_english_page_falls_back_to_dutch_marked_as_dutch(english_client):
    published_version(tips=["Alleen Nederlands."], tips_en=[""], title_en="")

    page = parse(
        english_client.get(reverse("handbook:current", kwargs={"guideline": "sociale-media"}))
    )

    heading = one(page, "h1")
    assert heading.attributes["lang"] == "nl"
    assert text(heading) == "Handreiking gebruik sociale media"
    tip = one(page, "#tip-1 .tip-text")
    assert (tip.attributes["lang"], text_of(tip, "p")) == ("nl", "Alleen Nederlands.")


@pytest.mark.django_db
def test_tip_page_shows_the_tip_with_previous_and_next_links(employee_client, version_one):
    response = employee_client.get(
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 3})
    )

    page = parse(response)
    assert response.status_code == 200
    assert text_of(page, "h1") == nl("Tip %(number)s", number=3)
    assert text_of(page, ".tip-text").startswith(TIP_3_NL)
    pager = one(page, "nav.tip-pager")
    assert pager.attributes["aria-label"] == nl("Previous and next tip")
    assert links(pager) == [
        "/handreikingen/sociale-media/tips/2/",
        "/handreikingen/sociale-media/tips/4/",
    ]
    assert (
        attribute(page, "nav.tip-nav a[aria-current=page]", "href")
        == "/handreikingen/sociale-media/tips/3/"
    )
    assert version_one.content_hash in _text(response)


@pytest.mark.django_db
def test_first_tip_has_no_previous_link_and_last_no_next(employee_client, version_one):
    first = parse(
        employee_client.get(
            reverse("handbook:tip", kwargs={"guideline": "sociale-media", "number": 1, "tip": 1})
        )
    )
    last = parse(
        employee_client.get(
            reverse("handbook:tip", kwargs={"guideline": "sociale-media", "number": 1, "tip": 11})
        )
    )

    assert not select(first, "#previous-tip") and select(first, "a#next-tip[rel=next]")
    assert not select(last, "#next-tip") and select(last, "a#previous-tip[rel=prev]")


@pytest.mark.django_db
def test_unknown_tip_is_not_found(employee_client, version_one):
    response = employee_client.get(
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 12})
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_tip_page_in_english(english_client, version_one):
    page = parse(
        english_client.get(
            reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 3})
        )
    )

    tip = one(page, ".tip-text")
    assert tip.attributes["lang"] == "en" and text(tip).startswith(TIP_3_EN)


@pytest.mark.django_db
def test_history_shows_superseded_current_and_scheduled_versions(employee_client):
    first = published_version(number=1, effective_date=datetime.date(2026, 1, 1))
    second = published_version(
        first.guideline, number=2, effective_date=datetime.date(2026, 2, 1), based_on=first
    )
    published_version(
        first.guideline, number=3, effective_date=datetime.date(2999, 1, 1), based_on=second
    )

    html = _text(
        employee_client.get(reverse("handbook:history", kwargs={"guideline": "sociale-media"}))
    )

    page = parse(html)
    rows = select(page, "#history-table tbody tr")
    assert [(row.id, row.attributes["data-state"]) for row in rows] == [
        ("version-row-3", "scheduled"),
        ("version-row-2", "current"),
        ("version-row-1", "superseded"),
    ]
    assert nl("Superseded") in html and nl("Scheduled") in html
    assert first.content_hash in html
    assert select(page, "#history-table thead th[scope=col]")


@pytest.mark.django_db
def test_history_shows_a_retired_version_as_retired(employee_client, version_one, editor):
    retire_at_once(version_one, editor)

    page = parse(
        employee_client.get(reverse("handbook:history", kwargs={"guideline": "sociale-media"}))
    )

    assert attribute(page, "tr#version-row-1", "data-state") == "retired"


@pytest.mark.django_db
def test_employee_cannot_see_a_draft(employee_client, version_one, editor):
    services.create_draft(guideline=version_one.guideline, actor=editor)

    version_page = employee_client.get(
        reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 2})
    )
    history = _text(
        employee_client.get(reverse("handbook:history", kwargs={"guideline": "sociale-media"}))
    )

    assert version_page.status_code == 404
    assert "version-row-2" not in history


@pytest.mark.django_db
def test_editor_sees_a_draft_as_a_preview_marked_draft(editor_client, version_one, editor):
    services.create_draft(guideline=version_one.guideline, actor=editor)

    response = editor_client.get(
        reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 2})
    )

    html = _text(response)
    assert response.status_code == 200
    assert 'id="draft-banner"' in html and nl("DRAFT") in html
    assert reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2}) in html


@pytest.mark.django_db
def test_version_page_shows_an_old_version(employee_client, version_one):
    response = employee_client.get(
        reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 1})
    )

    assert response.status_code == 200
    assert version_one.content_hash in _text(response)


@pytest.mark.django_db
def test_print_view_shows_the_whole_version_with_its_hash(employee_client, version_one):
    response = employee_client.get(
        reverse("handbook:print", kwargs={"guideline": "sociale-media", "number": 1})
    )

    page = parse(response)
    assert response.status_code == 200
    tips = select(page, "#print-version li[value]")
    assert [tip.attributes["value"] for tip in tips] == [str(n) for n in range(1, 12)]
    assert version_one.content_hash in _text(response)


@pytest.mark.django_db
def test_pdf_contains_title_version_and_a_tip(employee_client, version_one):
    response = employee_client.get(
        reverse("handbook:pdf", kwargs={"guideline": "sociale-media", "number": 1})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Handreiking gebruik sociale media" in text
    assert "Je bent zelf verantwoordelijk voor wat je plaatst." in text
    assert version_one.content_hash[:16] in text.replace(" ", "")
    assert reader.metadata.title.startswith("Handreiking gebruik sociale media")


@pytest.mark.django_db
def test_pdf_in_english_has_the_translation(english_client, version_one):
    response = english_client.get(
        reverse("handbook:pdf", kwargs={"guideline": "sociale-media", "number": 1})
    )

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Guidance on the use of social media" in text
    assert "You are responsible for what you post." in text
    assert "page 1 of" in text


@pytest.mark.django_db
def test_diff_page_defaults_to_the_current_version_and_the_one_before(
    employee_client, version_one, editor, other_editor
):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    tips = [
        services.TipInput(
            text=("Je bent zelf altijd verantwoordelijk." if t.number == 1 else t.text),
            text_en=t.text_en,
            change=Tip.Change.MATERIAL,
            lineage=t.lineage,
        )
        for t in draft.tips.order_by("number")
    ]
    services.update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary="Tip 1 aangescherpt.",
        change_summary_en="",
        effective_date=timezone.localdate(),
        requires_reacknowledgement=True,
        tips=tips,
    )
    services.publish_version(draft=draft, actor=other_editor)

    response = employee_client.get(reverse("handbook:diff", kwargs={"guideline": "sociale-media"}))

    html = _text(response)
    assert response.status_code == 200
    assert nl("From version %(old)s to version %(new)s", old=1, new=2) in html
    page = parse(response)
    assert select(page, "#diff-tip-1 del.diff-del") and select(page, "#diff-tip-1 ins.diff-ins")
    assert nl("start of deletion") in html and nl("end of insertion") in html
    assert attribute(page, "section#diff-tip-1", "data-status") == "material"
    assert attribute(page, "section#diff-tip-2", "data-status") == "unchanged"
    assert nl("Change in meaning") in html


@pytest.mark.django_db
def test_diff_page_with_one_version_says_there_is_nothing_to_compare(employee_client, version_one):
    html = _text(
        employee_client.get(reverse("handbook:diff", kwargs={"guideline": "sociale-media"}))
    )

    assert 'id="diff-too-few"' in html


@pytest.mark.django_db
def test_diff_page_refuses_a_version_the_user_cannot_see(employee_client, version_one, editor):
    services.create_draft(guideline=version_one.guideline, actor=editor)

    response = employee_client.get(
        reverse("handbook:diff", kwargs={"guideline": "sociale-media"}) + "?van=1&naar=2"
    )

    assert response.status_code == 200
    assert 'id="diff-heading"' not in _text(response)


@pytest.mark.django_db
def test_diff_form_has_labelled_fields(employee_client, version_one):
    published_version(
        version_one.guideline, number=2, based_on=version_one, effective_date=timezone.localdate()
    )

    html = _text(
        employee_client.get(
            reverse("handbook:diff", kwargs={"guideline": "sociale-media"}) + "?van=1&naar=2"
        )
    )

    assert 'for="id_van"' in html and 'for="id_naar"' in html


@pytest.mark.django_db
def test_a_scheduled_version_page_says_scheduled(employee_client, version_one):
    published_version(
        version_one.guideline,
        number=2,
        based_on=version_one,
        effective_date=datetime.date(2999, 1, 1),
    )

    html = _text(
        employee_client.get(
            reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 2})
        )
    )

    assert "version-state-scheduled" in html
    assert GuidelineVersion.objects.get(number=2).content_hash in html
