import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from handbook import services
from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.selectors import current_version
from handbook.tests.factories import published_version


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language; these tests read their English ids."""
    with translation.override("en"):
        yield


def _tip_inputs(version, changed=None) -> list[services.TipInput]:
    """The version's tips as the editor would submit them; changed={number: (text, mark)}."""
    changed = changed or {}
    inputs = []
    for tip in version.tips.order_by("number"):
        text, mark = changed.get(tip.number, (tip.text, ""))
        inputs.append(
            services.TipInput(text=text, text_en=tip.text_en, change=mark, lineage=tip.lineage)
        )
    return inputs


def _update(draft, actor, tips, **fields):
    values = {
        "title": draft.title,
        "title_en": draft.title_en,
        "introduction": draft.introduction,
        "introduction_en": draft.introduction_en,
        "change_summary": "Tip 2 aangepast.",
        "change_summary_en": "Tip 2 changed.",
        "effective_date": datetime.date(2099, 1, 1),
        "requires_reacknowledgement": False,
    }
    values.update(fields)
    return services.update_draft(draft=draft, actor=actor, tips=tips, **values)


@pytest.mark.django_db
def test_create_draft_copies_the_latest_version_with_unchanged_tips(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    assert draft.number == 2
    assert draft.status == GuidelineVersion.Status.DRAFT
    assert draft.based_on == version_one
    assert list(draft.tips.values_list("text", flat=True)) == list(
        version_one.tips.values_list("text", flat=True)
    )
    assert set(draft.tips.values_list("change", flat=True)) == {Tip.Change.UNCHANGED}
    assert HandbookEvent.objects.filter(kind=HandbookEvent.Kind.DRAFT_CREATED).count() == 1


@pytest.mark.django_db
def test_create_draft_refuses_a_second_draft(version_one, editor):
    services.create_draft(guideline=version_one.guideline, actor=editor)

    with pytest.raises(ValidationError):
        services.create_draft(guideline=version_one.guideline, actor=editor)


@pytest.mark.django_db
def test_create_draft_refuses_an_employee(version_one, employee):
    with pytest.raises(PermissionDenied):
        services.create_draft(guideline=version_one.guideline, actor=employee)


@pytest.mark.django_db
def test_update_draft_refuses_a_changed_tip_without_a_mark(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    with pytest.raises(ValidationError) as caught:
        _update(draft, editor, _tip_inputs(draft, {2: ("Nieuwe tekst van tip 2.", "")}))

    assert "Tip 2 changed" in " ".join(caught.value.messages)
    assert draft.tips.get(number=2).text.startswith("Bedenk dat alles")


@pytest.mark.django_db
def test_update_draft_marks_an_identical_tip_unchanged_even_if_marked_otherwise(
    version_one, editor
):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    tips = _tip_inputs(draft)
    tips[0].change = Tip.Change.MATERIAL

    _update(draft, editor, tips)

    assert draft.tips.get(number=1).change == Tip.Change.UNCHANGED


@pytest.mark.django_db
def test_update_draft_keeps_the_editors_mark_for_a_changed_tip(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    _update(draft, editor, _tip_inputs(draft, {2: ("Nieuwe tekst.", Tip.Change.EDITORIAL)}))

    tip = draft.tips.get(number=2)
    assert (tip.text, tip.change) == ("Nieuwe tekst.", Tip.Change.EDITORIAL)


@pytest.mark.django_db
def test_update_draft_marks_a_tip_without_lineage_new(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    tips = [*_tip_inputs(draft), services.TipInput(text="Een twaalfde tip.")]

    _update(draft, editor, tips)

    assert draft.tips.get(number=12).change == Tip.Change.NEW


@pytest.mark.django_db
def test_update_draft_records_who_changed_it_last(version_one, editor, other_editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    _update(draft, other_editor, _tip_inputs(draft))

    draft.refresh_from_db()
    assert draft.last_edited_by == other_editor


@pytest.mark.django_db
def test_four_eyes_refuses_the_editor_who_changed_the_draft_last(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    _update(draft, editor, _tip_inputs(draft))

    blockers = services.publish_blockers(draft=draft, actor=editor)
    with pytest.raises(ValidationError):
        services.publish_version(draft=draft, actor=editor)

    assert any("Another editor" in reason for reason in blockers)
    assert GuidelineVersion.objects.get(pk=draft.pk).status == GuidelineVersion.Status.DRAFT


@pytest.mark.django_db
def test_another_editor_can_publish_the_draft(version_one, editor, other_editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    _update(draft, editor, _tip_inputs(draft))

    published = services.publish_version(draft=draft, actor=other_editor)

    assert published.status == GuidelineVersion.Status.PUBLISHED
    assert published.published_by == other_editor
    assert len(published.content_hash) == 64


@pytest.mark.django_db
def test_four_eyes_setting_off_lets_the_same_editor_publish(version_one, editor, settings):
    settings.HANDBOOK_FOUR_EYES = False
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    _update(draft, editor, _tip_inputs(draft))

    published = services.publish_version(draft=draft, actor=editor)

    assert published.status == GuidelineVersion.Status.PUBLISHED


@pytest.mark.django_db
def test_publishing_needs_an_effective_date(version_one, editor, other_editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    _update(draft, editor, _tip_inputs(draft), effective_date=None)

    assert "Fill in the effective date first." in services.publish_blockers(
        draft=draft, actor=other_editor
    )


@pytest.mark.django_db
def test_an_employee_may_not_publish(version_one, editor, employee):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    assert "You may not publish versions." in services.publish_blockers(draft=draft, actor=employee)


@pytest.mark.django_db
def test_a_version_with_a_future_effective_date_is_not_current_before_that_date(db):
    first = published_version(number=1, effective_date=datetime.date(2026, 1, 1))
    second = published_version(
        first.guideline, number=2, effective_date=datetime.date(2026, 6, 1), based_on=first
    )

    assert current_version(guideline=first.guideline, today=datetime.date(2026, 5, 31)) == first
    assert current_version(guideline=first.guideline, today=datetime.date(2026, 6, 1)) == second


@pytest.mark.django_db
def test_discarding_a_draft_deletes_it_and_logs_it(version_one, editor):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    services.discard_draft(draft=draft, actor=editor)

    assert not GuidelineVersion.objects.filter(pk=draft.pk).exists()
    assert HandbookEvent.objects.filter(kind=HandbookEvent.Kind.DRAFT_DISCARDED).exists()
