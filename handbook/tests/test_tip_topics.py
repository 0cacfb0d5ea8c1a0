"""A tip's topic: a label shown with its number ("Tip 3 – Beoordelingsvermogen") that is
not part of the signed text. It changes on a published version without a new version,
leaving the version's hashes and the ledger as they were, by editors of that guideline
only, each change in the audit trail; the database refuses every other change to a
published tip; the pages, the print view and the PDF show it."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from acknowledgements.models import LedgerEntry
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook import services
from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.selectors.canonical import version_hashes
from handbook.services.topics import TopicInput, change_topics
from handbook.tests.factories import GuidelineFactory, published_version, retire_at_once
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, text_of, texts

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def topics_url(version) -> str:
    return reverse(
        "handbook:topics", kwargs={"guideline": version.guideline.slug, "number": version.number}
    )


def test_changing_a_published_versions_topic_leaves_its_hashes_and_the_ledger_alone(
    version_one, editor
):
    person = EmployeeFactory()
    signed(person, ready_to_sign(person, version_one))
    hashes = (version_one.content_hash, version_one.content_hash_en)
    ledger = list(LedgerEntry.objects.order_by("sequence").values_list("sequence", "record_hash"))
    texts_before = list(version_one.tips.order_by("number").values_list("text", "text_en"))

    changed = change_topics(
        version=version_one,
        actor=editor,
        topics=[TopicInput(number=3, topic="Beoordelingsvermogen", topic_en="Judgement")],
    )

    version_one.refresh_from_db()
    assert changed == [3]
    assert version_one.tips.get(number=3).topic == "Beoordelingsvermogen"
    assert (version_one.content_hash, version_one.content_hash_en) == hashes
    assert version_hashes(version=version_one) == hashes  # recomputed from the stored text
    assert list(version_one.tips.order_by("number").values_list("text", "text_en")) == (
        texts_before
    )
    assert (
        list(LedgerEntry.objects.order_by("sequence").values_list("sequence", "record_hash"))
        == ledger
    )


def test_version_one_stays_the_customers_text_byte_for_byte_with_topics(version_one, editor):
    from django.conf import settings

    seed = settings.HANDBOOK_SEED_FILE.read_text(encoding="utf-8")

    change_topics(
        version=version_one,
        actor=editor,
        topics=[TopicInput(number=n, topic=f"Onderwerp {n}") for n in range(1, 12)],
    )

    for tip in version_one.tips.all():
        assert f"{tip.number}. {tip.text}" in seed
        assert "Onderwerp" not in tip.text


def test_a_topic_change_is_in_the_audit_trail_with_the_tips_it_changed(version_one, editor):
    change_topics(
        version=version_one,
        actor=editor,
        topics=[TopicInput(number=1, topic="Verantwoordelijkheid"), TopicInput(number=2, topic="")],
    )

    event = HandbookEvent.objects.get(kind=HandbookEvent.Kind.TOPICS_CHANGED)
    assert (event.actor, event.version_number, event.details) == (editor, 1, {"tips": [1]})


def test_saving_the_same_topics_again_logs_nothing(version_one, editor):
    given = [TopicInput(number=1, topic="Verantwoordelijkheid")]
    change_topics(version=version_one, actor=editor, topics=given)

    assert change_topics(version=version_one, actor=editor, topics=given) == []
    assert HandbookEvent.objects.filter(kind=HandbookEvent.Kind.TOPICS_CHANGED).count() == 1


def test_the_database_refuses_a_text_change_that_comes_with_a_topic_change(version_one):
    tip = version_one.tips.get(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(topic="Iets", text="Een andere tekst.")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handbook_tip SET topic = %s, change = %s WHERE id = %s",
            ["Iets", "material", tip.pk],
        )

    tip.refresh_from_db()
    assert (tip.topic, tip.change) == ("", Tip.Change.NEW)


def test_the_database_lets_a_published_tip_change_its_topic_only(version_one):
    tip = version_one.tips.get(number=1)

    with connection.cursor() as cursor:
        cursor.execute("UPDATE handbook_tip SET topic_en = %s WHERE id = %s", ["Duty", tip.pk])

    tip.refresh_from_db()
    assert tip.topic_en == "Duty"


def test_a_tip_cannot_move_to_another_version_with_its_topic(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    tip = draft.tips.get(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(pk=version_one.tips.get(number=2).pk).update(
            version=draft, number=99, topic="Verhuisd"
        )
    assert tip.version_id == draft.pk


def test_a_retired_versions_topics_stay(version_one, editor, editor_client):
    retire_at_once(version_one)

    with pytest.raises(ValidationError):
        change_topics(version=version_one, actor=editor, topics=[TopicInput(1, "Te laat")])
    assert editor_client.get(topics_url(version_one)).status_code == 404
    assert not version_one.tips.exclude(topic="").exists()


def test_an_unknown_tip_number_or_a_too_long_topic_is_refused(version_one, editor):
    with pytest.raises(ValidationError):
        change_topics(version=version_one, actor=editor, topics=[TopicInput(12, "Geen tip")])
    with pytest.raises(ValidationError):
        change_topics(version=version_one, actor=editor, topics=[TopicInput(1, "x" * 81)])
    assert not version_one.tips.exclude(topic="").exists()


def test_the_editor_of_another_guideline_may_not_change_the_topics(version_one):
    privacy = GuidelineFactory(slug="privacy", title="Privacyhandreiking")
    published_version(privacy, tips=("Deel geen dossiers.",))
    privacy_editor = EmployeeFactory()
    grant_object_role(actor=None, employee=privacy_editor, role=Role.EDITOR, target=privacy)

    with pytest.raises(PermissionDenied):
        change_topics(version=version_one, actor=privacy_editor, topics=[TopicInput(1, "Nee")])
    response = client_for(privacy_editor).post(
        topics_url(version_one), {"topics-TOTAL_FORMS": "11", "topics-0-topic": "Nee"}
    )

    assert response.status_code == 403
    assert not version_one.tips.exclude(topic="").exists()


def test_an_employee_gets_403_on_the_topics_page(version_one):
    response = client_for(EmployeeFactory()).get(topics_url(version_one))

    assert response.status_code == 403


def _form_data(version, changes: dict[int, tuple[str, str]]) -> dict[str, str]:
    tips = list(version.tips.order_by("number"))
    data = {
        "topics-TOTAL_FORMS": str(len(tips)),
        "topics-INITIAL_FORMS": str(len(tips)),
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
    }
    for index, tip in enumerate(tips):
        topic, topic_en = changes.get(tip.number, (tip.topic, tip.topic_en))
        data[f"topics-{index}-topic"] = topic
        data[f"topics-{index}-topic_en"] = topic_en
    return data


def test_an_editor_sets_topics_on_the_page_and_the_tips_are_headed_by_them(
    version_one, editor_client
):
    page = parse(editor_client.get(topics_url(version_one)).content)
    assert len(texts(page, "fieldset.topic-form legend")) == 11

    response = editor_client.post(
        topics_url(version_one), _form_data(version_one, {3: ("Beoordelingsvermogen", "Judgement")})
    )

    assert response.status_code == 302
    tip_url = reverse("handbook:tip", kwargs={"guideline": "sociale-media", "number": 1, "tip": 3})
    tip_page = parse(editor_client.get(tip_url).content)
    assert text_of(tip_page, "h1") == "Tip 3 – Beoordelingsvermogen"
    assert tip_page.css_first("h1 .tip-topic").attributes["lang"] == "nl"
    version_url = reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 1})
    version_page = parse(editor_client.get(version_url).content)
    assert text_of(version_page, "#tip-3-heading").startswith("Tip 3 – Beoordelingsvermogen")
    assert text_of(version_page, "#tip-2-heading").startswith("Tip 2")
    assert "–" not in text_of(version_page, "#tip-2-heading a")


def test_a_too_long_topic_on_the_page_is_named_in_the_error_summary(version_one, editor_client):
    response = editor_client.post(
        topics_url(version_one), _form_data(version_one, {2: ("x" * 81, "")})
    )

    assert response.status_code == 200
    summary = texts(parse(response.content), "#error-summary li")
    assert len(summary) == 1 and summary[0].startswith("Tip 2 –")
    assert not version_one.tips.exclude(topic="").exists()


def test_the_english_page_shows_the_english_topic_and_falls_back_to_the_dutch_one(
    version_one, editor
):
    change_topics(
        version=version_one,
        actor=editor,
        topics=[TopicInput(3, "Beoordelingsvermogen", "Judgement"), TopicInput(4, "Werk en privé")],
    )
    client = client_for(EmployeeFactory(preferred_language="en"))

    def heading(tip: int):
        url = reverse(
            "handbook:tip", kwargs={"guideline": "sociale-media", "number": 1, "tip": tip}
        )
        return parse(client.get(url + "?taal=en").content).css_first("h1")

    assert " ".join(heading(3).text().split()) == "Tip 3 – Judgement"
    fallback = heading(4)
    assert " ".join(fallback.text().split()) == "Tip 4 – Werk en privé"
    assert fallback.css_first(".tip-topic").attributes["lang"] == "nl"


def test_the_print_view_and_the_pdf_show_the_topics(version_one, editor, editor_client):
    change_topics(version=version_one, actor=editor, topics=[TopicInput(3, "Beoordelingsvermogen")])
    kwargs = {"guideline": "sociale-media", "number": 1}

    printed = parse(editor_client.get(reverse("handbook:print", kwargs=kwargs)).content)
    pdf = editor_client.get(reverse("handbook:pdf", kwargs=kwargs))

    assert text_of(printed, "#tip-3 .tip-topic") == "Beoordelingsvermogen"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert "Beoordelingsvermogen" in pdf_text


def test_a_new_draft_takes_the_topics_over_and_the_editor_changes_them_there(
    version_one, editor, editor_client
):
    change_topics(version=version_one, actor=editor, topics=[TopicInput(1, "Verantwoordelijkheid")])

    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    assert draft.tips.get(number=1).topic == "Verantwoordelijkheid"

    edit_url = reverse(
        "handbook:edit", kwargs={"guideline": "sociale-media", "number": draft.number}
    )
    page = parse(editor_client.get(edit_url).content)
    assert page.css_first("#id_tips-0-topic").attributes["value"] == "Verantwoordelijkheid"


def test_a_draft_saved_without_topic_fields_keeps_its_topics(version_one, editor):
    change_topics(version=version_one, actor=editor, topics=[TopicInput(1, "Verantwoordelijkheid")])
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    tips = [
        services.TipInput(text=tip.text, text_en=tip.text_en, lineage=tip.lineage)
        for tip in draft.tips.order_by("number")
    ]

    services.update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary="",
        change_summary_en="",
        effective_date=None,
        requires_reacknowledgement=False,
        tips=tips,
    )

    assert draft.tips.get(number=1).topic == "Verantwoordelijkheid"


def test_the_demo_gives_version_ones_tips_topics_and_leaves_its_text_alone(version_one):
    from demo.handbook import TIP_TOPICS, ensure_tip_topics

    before = hashlib.sha256(
        "".join(version_one.tips.order_by("number").values_list("text", flat=True)).encode()
    ).hexdigest()
    hashes = (version_one.content_hash, version_one.content_hash_en)

    assert ensure_tip_topics() == list(range(1, 12))
    assert ensure_tip_topics() == []  # once

    version_one = GuidelineVersion.objects.get(pk=version_one.pk)
    assert {tip.number: (tip.topic, tip.topic_en) for tip in version_one.tips.all()} == TIP_TOPICS
    assert (version_one.content_hash, version_one.content_hash_en) == hashes
    after = hashlib.sha256(
        "".join(version_one.tips.order_by("number").values_list("text", flat=True)).encode()
    ).hexdigest()
    assert before == after
    call_command("load_handbook", verbosity=0)  # idempotent, topics and all
    assert version_one.tips.get(number=3).topic == "Beoordelingsvermogen"


def test_the_topics_page_and_the_audit_trail_speak_dutch(version_one, editor, editor_client):
    change_topics(version=version_one, actor=editor, topics=[TopicInput(2, "Lang zichtbaar")])

    page = parse(editor_client.get(topics_url(version_one)).content)
    dashboard = parse(editor_client.get(reverse("handbook:editor", args=["sociale-media"])).content)

    assert text_of(page, "h1") == "Onderwerpen van de tips van versie 1"
    assert "Onderwerp (Nederlands)" in page.text()
    rows = [" ".join(row.split()) for row in texts(dashboard, "tr")]
    assert any("Onderwerpen van tips gewijzigd" in row and row.endswith("tip 2") for row in rows), (
        rows
    )


def test_the_topics_page_takes_as_many_queries_for_two_tips_as_for_eleven(
    version_one, editor_client
):
    from django.test.utils import CaptureQueriesContext

    two_tips = published_version(GuidelineFactory(slug="privacy"), tips=("Een.", "Twee."))
    urls = [topics_url(two_tips), topics_url(version_one)]
    editor_client.get(urls[0])  # the session and caches, as on any later page
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
