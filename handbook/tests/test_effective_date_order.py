"""A version whose effective date lies before that of the version in force or scheduled
would never be in force (current_version takes the newest effective date): publishing
it is refused, in the service and on the edit form. The same date is allowed: then
current_version takes the higher number, so the new version replaces the other one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from handbook import services
from handbook.models import GuidelineVersion
from handbook.selectors import current_version
from handbook.tests.factories import published_version
from handbook.tests.utils import nl
from portal.testing.html import error_summary, parse, select, text

JAN = datetime.date(2030, 1, 1)
MAR = datetime.date(2030, 3, 1)
JUN = datetime.date(2030, 6, 1)


def _draft(first, editor, *, effective_date) -> GuidelineVersion:
    """A draft of ``first``'s guideline with this date, saved through the service (as a
    script could: saving a draft with any date is allowed, publishing it is not)."""
    draft = services.create_draft(guideline=first.guideline, actor=editor)
    services.update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction or "Inleiding.",
        introduction_en="",
        change_summary="",
        change_summary_en="",
        effective_date=effective_date,
        requires_reacknowledgement=False,
        tips=[
            services.TipInput(text=t.text, text_en=t.text_en, lineage=t.lineage)
            for t in draft.tips.order_by("number")
        ],
    )
    return GuidelineVersion.objects.get(pk=draft.pk)


@pytest.fixture
def in_force(db):
    return published_version(number=1, effective_date=MAR, introduction="Inleiding.")


@pytest.mark.django_db
def test_publishing_a_version_dated_before_the_version_in_force_is_refused(
    in_force, editor, other_editor
):
    draft = _draft(in_force, editor, effective_date=JAN)

    with pytest.raises(ValidationError):
        services.publish_version(draft=draft, actor=other_editor)

    assert GuidelineVersion.objects.get(pk=draft.pk).status == GuidelineVersion.Status.DRAFT


@pytest.mark.django_db
def test_the_refusal_names_both_dates_and_what_to_do_in_dutch(in_force, editor, other_editor):
    draft = _draft(in_force, editor, effective_date=JAN)

    with translation.override("nl"):
        reasons = services.publish_blockers(draft=draft, actor=other_editor)

    assert (
        nl(
            "Version %(number)s would take effect on %(date)s. That is before the effective "
            "date of version %(latest)s: %(latest_date)s. So version %(number)s would never "
            "apply. Choose an effective date on or after %(latest_date)s.",
            number=2,
            date="1 januari 2030",
            latest=1,
            latest_date="1 maart 2030",
        )
        in reasons
    )
    assert any("Kies een ingangsdatum op of na 1 maart 2030" in reason for reason in reasons)


@pytest.mark.django_db
def test_publishing_a_version_dated_before_a_scheduled_version_is_refused(
    in_force, editor, other_editor
):
    """Between the version in force and a scheduled one: it would apply only until the
    scheduled version, an older text, took over again. Refused as well."""
    published_version(in_force.guideline, number=2, effective_date=JUN, based_on=in_force)
    draft = _draft(in_force, editor, effective_date=datetime.date(2030, 4, 1))

    reasons = services.publish_blockers(draft=draft, actor=other_editor)

    with pytest.raises(ValidationError):
        services.publish_version(draft=draft, actor=other_editor)
    assert any("op of na 1 juni 2030" in reason for reason in reasons)


@pytest.mark.django_db
def test_the_same_effective_date_as_the_version_in_force_is_allowed_and_the_newer_wins(
    in_force, editor, other_editor
):
    draft = _draft(in_force, editor, effective_date=MAR)

    published = services.publish_version(draft=draft, actor=other_editor)

    assert published.status == GuidelineVersion.Status.PUBLISHED
    assert current_version(guideline=in_force.guideline, today=MAR) == published


@pytest.mark.django_db
def test_a_later_version_still_goes_live_on_its_own_date(in_force, editor, other_editor):
    draft = _draft(in_force, editor, effective_date=JUN)

    published = services.publish_version(draft=draft, actor=other_editor)

    guideline = in_force.guideline
    assert current_version(guideline=guideline, today=JUN - datetime.timedelta(days=1)) == in_force
    assert current_version(guideline=guideline, today=JUN) == published


@pytest.mark.django_db
def test_a_retired_later_version_does_not_block_an_earlier_date(in_force, editor, other_editor):
    from handbook.tests.factories import retire_at_once

    retire_at_once(
        published_version(in_force.guideline, number=2, effective_date=JUN, based_on=in_force)
    )
    draft = _draft(in_force, editor, effective_date=datetime.date(2030, 4, 1))

    assert services.publish_version(draft=draft, actor=other_editor).status == "published"


@pytest.mark.django_db
def test_a_forged_publish_post_for_a_too_early_version_changes_nothing(
    in_force, editor, other_editor_client
):
    _draft(in_force, editor, effective_date=JAN)

    response = other_editor_client.post(
        reverse("handbook:publish", kwargs={"guideline": in_force.guideline.slug, "number": 2})
    )

    assert response.status_code == 400
    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.DRAFT
    assert not GuidelineVersion.objects.filter(
        number=2, status=GuidelineVersion.Status.PUBLISHED
    ).exists()


@pytest.mark.django_db
def test_the_publish_page_explains_why_a_too_early_version_cannot_be_published(
    in_force, editor, other_editor_client
):
    _draft(in_force, editor, effective_date=JAN)

    page = parse(
        other_editor_client.get(
            reverse("handbook:publish", kwargs={"guideline": in_force.guideline.slug, "number": 2})
        )
    )

    assert "op of na 1 maart 2030" in text(select(page, "#publish-blockers")[0])
    assert not select(page, "#publish-button")


@pytest.mark.django_db
def test_the_edit_form_refuses_an_effective_date_before_the_version_in_force(
    in_force, editor, editor_client
):
    draft = services.create_draft(guideline=in_force.guideline, actor=editor)
    data = {
        "title": draft.title,
        "introduction": "Inleiding.",
        "effective_date": "2030-01-01",
        "save": "1",
        "tips-TOTAL_FORMS": "2",
        "tips-INITIAL_FORMS": "2",
        "tips-MIN_NUM_FORMS": "0",
        "tips-MAX_NUM_FORMS": "200",
    }
    for index, tip in enumerate(draft.tips.order_by("number")):
        data[f"tips-{index}-lineage"] = str(tip.lineage)
        data[f"tips-{index}-text"] = tip.text
        data[f"tips-{index}-ORDER"] = str(tip.number)

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": in_force.guideline.slug, "number": 2}),
        data,
    )

    assert response.status_code == 200
    problems = error_summary(parse(response))
    assert any("op of na 1 maart 2030" in message for _target, message in problems)
    assert GuidelineVersion.objects.get(pk=draft.pk).effective_date is None
