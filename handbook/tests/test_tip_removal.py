"""Removing a tip is a change in meaning unless the editor marks it otherwise: the
draft's marks (GuidelineVersion.editorial_removals), written by update_draft and the edit
page, shown in the diff, and frozen with the version once it is published."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from handbook import services
from handbook.models import GuidelineVersion
from handbook.selectors.diff import TipStatus, diff_versions
from handbook.tests.utils import nl
from portal.testing.html import error_summary, parse, select, text

NOTE = "Samengevoegd met tip 4."


def _tips(draft, *, leave_out=()) -> list[services.TipInput]:
    return [
        services.TipInput(text=t.text, text_en=t.text_en, lineage=t.lineage)
        for t in draft.tips.order_by("number")
        if t.number not in leave_out
    ]


def _update(draft, editor, *, leave_out=(), **kwargs) -> GuidelineVersion:
    services.update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary="",
        change_summary_en="",
        effective_date=timezone.localdate() + datetime.timedelta(days=30),
        requires_reacknowledgement=False,
        tips=_tips(draft, leave_out=leave_out),
        **kwargs,
    )
    return GuidelineVersion.objects.get(pk=draft.pk)


@pytest.fixture
def draft(version_one, editor):
    return services.create_draft(guideline=version_one.guideline, actor=editor)


def _lineage(version, number):
    return version.tips.get(number=number).lineage


def _diff(old, new):
    old = GuidelineVersion.objects.prefetch_related("tips").get(pk=old.pk)
    new = GuidelineVersion.objects.prefetch_related("tips").get(pk=new.pk)
    return diff_versions(old=old, new=new)


def _removed(diff):
    return [tip for tip in diff.tips if tip.status == TipStatus.REMOVED]


@pytest.mark.django_db
def test_a_removed_tip_is_a_change_in_meaning_by_default(version_one, draft, editor):
    draft = _update(draft, editor, leave_out=[3])

    assert draft.removal_is_material(_lineage(version_one, 3)) is True
    [removed] = _removed(_diff(version_one, draft))
    assert removed.removal_material is True
    assert removed.label == nl("Removed: a change in meaning")


@pytest.mark.django_db
def test_the_editor_marks_a_removal_as_not_a_change_in_meaning_with_a_note(
    version_one, draft, editor
):
    lineage = _lineage(version_one, 3)

    draft = _update(draft, editor, leave_out=[3], editorial_removals={lineage: f"  {NOTE} "})

    assert draft.removal_is_material(lineage) is False
    [removed] = _removed(_diff(version_one, draft))
    assert removed.label == nl("Removed, not a change in meaning: %(note)s", note=NOTE)


@pytest.mark.django_db
def test_saving_again_without_marks_keeps_the_marks_of_tips_still_left_out(
    version_one, draft, editor
):
    lineage = _lineage(version_one, 3)
    draft = _update(draft, editor, leave_out=[3], editorial_removals={lineage: NOTE})

    draft = _update(draft, editor)  # None: keep

    assert draft.editorial_removals == {str(lineage): NOTE}


@pytest.mark.django_db
def test_a_kept_tip_cannot_be_marked_as_removed(version_one, draft, editor):
    with pytest.raises(ValidationError):
        _update(draft, editor, editorial_removals={_lineage(version_one, 3): NOTE})

    assert GuidelineVersion.objects.get(pk=draft.pk).editorial_removals == {}


@pytest.mark.django_db
def test_a_lineage_that_was_never_a_tip_cannot_be_marked_as_removed(draft, editor):
    import uuid

    with pytest.raises(ValidationError):
        _update(draft, editor, leave_out=[3], editorial_removals={uuid.uuid4(): NOTE})


@pytest.mark.django_db
def test_a_published_versions_marks_are_frozen_in_the_database(
    version_one, draft, editor, other_editor
):
    draft = _update(draft, editor, leave_out=[3])
    services.publish_version(draft=draft, actor=other_editor)
    forged = f'{{"{_lineage(version_one, 3)}": "niets aan de hand"}}'

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handbook_guidelineversion SET editorial_removals = %s WHERE id = %s",
            [forged, draft.pk],
        )

    assert GuidelineVersion.objects.get(pk=draft.pk).editorial_removals == {}


@pytest.mark.django_db
def test_retiring_cannot_change_a_published_versions_marks_on_the_way(
    version_one, draft, editor, other_editor
):
    """Retiring may change the status and who retired it when; the marks stay."""
    draft = _update(draft, editor, leave_out=[3])
    services.publish_version(draft=draft, actor=other_editor)
    forged = f'{{"{_lineage(version_one, 3)}": "niets aan de hand"}}'

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handbook_guidelineversion "
            "SET status = 'retired', editorial_removals = %s WHERE id = %s",
            [forged, draft.pk],
        )

    assert GuidelineVersion.objects.get(pk=draft.pk).status == "published"


# The edit page -------------------------------------------------------------------------


def _post_data(draft, *, removals=None) -> dict:
    tips = list(draft.tips.order_by("number"))
    data = {
        "title": draft.title,
        "introduction": draft.introduction,
        "effective_date": "2099-03-01",
        "save": "1",
        "tips-TOTAL_FORMS": str(len(tips)),
        "tips-INITIAL_FORMS": str(len(tips)),
        "tips-MIN_NUM_FORMS": "0",
        "tips-MAX_NUM_FORMS": "200",
    }
    for index, tip in enumerate(tips):
        data[f"tips-{index}-lineage"] = str(tip.lineage)
        data[f"tips-{index}-text"] = tip.text
        data[f"tips-{index}-text_en"] = tip.text_en
        data[f"tips-{index}-ORDER"] = str(tip.number)
    if removals is not None:
        data["removed-TOTAL_FORMS"] = str(len(removals))
        data["removed-INITIAL_FORMS"] = str(len(removals))
        data["removed-MIN_NUM_FORMS"] = "0"
        data["removed-MAX_NUM_FORMS"] = "200"
        for index, (lineage, note) in enumerate(removals):
            data[f"removed-{index}-lineage"] = str(lineage)
            if note is not None:
                data[f"removed-{index}-not_material"] = "on"
                data[f"removed-{index}-note"] = note
    return data


def _edit_url(draft):
    return reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": draft.number})


@pytest.mark.django_db
def test_the_edit_page_lists_the_removed_tips_with_their_mark(
    version_one, draft, editor, editor_client
):
    _update(draft, editor, leave_out=[3])

    page = parse(editor_client.get(_edit_url(draft)))

    [section] = select(page, "#removed-tips")
    assert version_one.tips.get(number=3).text[:40] in text(section)
    assert select(section, "input[name='removed-0-not_material']")


@pytest.mark.django_db
def test_marking_a_removal_on_the_edit_page_stores_the_mark(
    version_one, draft, editor, editor_client
):
    draft = _update(draft, editor, leave_out=[3])
    lineage = _lineage(version_one, 3)

    response = editor_client.post(_edit_url(draft), _post_data(draft, removals=[(lineage, NOTE)]))

    assert response.status_code == 302
    assert GuidelineVersion.objects.get(pk=draft.pk).editorial_removals == {str(lineage): NOTE}


@pytest.mark.django_db
def test_unticking_the_mark_makes_the_removal_a_change_in_meaning_again(
    version_one, draft, editor, editor_client
):
    lineage = _lineage(version_one, 3)
    draft = _update(draft, editor, leave_out=[3], editorial_removals={lineage: NOTE})

    editor_client.post(_edit_url(draft), _post_data(draft, removals=[(lineage, None)]))

    assert GuidelineVersion.objects.get(pk=draft.pk).removal_is_material(lineage) is True


@pytest.mark.django_db
def test_a_forged_post_marking_a_kept_tip_as_removed_changes_nothing(
    version_one, draft, editor, editor_client
):
    kept = _lineage(version_one, 2)

    response = editor_client.post(_edit_url(draft), _post_data(draft, removals=[(kept, NOTE)]))

    assert response.status_code == 200
    assert error_summary(parse(response))
    stored = GuidelineVersion.objects.get(pk=draft.pk)
    assert stored.editorial_removals == {}
    assert stored.effective_date is None


@pytest.mark.django_db
def test_the_diff_page_shows_the_removal_and_its_note(
    version_one, draft, editor, other_editor, employee_client
):
    lineage = _lineage(version_one, 3)
    draft = _update(draft, editor, leave_out=[3], editorial_removals={lineage: NOTE})
    services.publish_version(draft=draft, actor=other_editor)

    page = parse(
        employee_client.get(
            reverse("handbook:diff", kwargs={"guideline": "sociale-media"}) + "?van=1&naar=2"
        )
    )

    [removed] = select(page, "#diff-removed-tip-3")
    assert nl("Removed, not a change in meaning: %(note)s", note=NOTE) in text(removed)
