import pytest
from django.urls import reverse

from handbook import services
from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.tests.factories import HandbookEventFactory
from handbook.tests.utils import nl
from portal.testing.html import attribute, error_summary, links, parse, select


def _text(response) -> str:
    return response.content.decode()


def _draft(version_one, editor) -> GuidelineVersion:
    return services.create_draft(guideline=version_one.guideline, actor=editor)


def _form_data(draft, *, tips=None, **fields) -> dict:
    """What the edit form posts when nothing is touched; override fields and tips."""
    data = {
        "title": draft.title,
        "title_en": draft.title_en,
        "introduction": draft.introduction,
        "introduction_en": draft.introduction_en,
        "change_summary": "Kleine aanpassing.",
        "change_summary_en": "Small change.",
        "effective_date": "2099-03-01",
        "save": "1",
    }
    if tips is None:
        tips = [
            {
                "lineage": str(t.lineage),
                "text": t.text,
                "text_en": t.text_en,
                "change": t.change,
                "ORDER": str(t.number),
            }
            for t in draft.tips.order_by("number")
        ]
    data["tips-TOTAL_FORMS"] = str(len(tips))
    data["tips-INITIAL_FORMS"] = str(len(tips))
    data["tips-MIN_NUM_FORMS"] = "0"
    data["tips-MAX_NUM_FORMS"] = "200"
    for index, tip in enumerate(tips):
        for key, value in tip.items():
            data[f"tips-{index}-{key}"] = value
    data.update(fields)
    return data


def _tips(draft) -> list[dict]:
    return [
        {
            "lineage": str(t.lineage),
            "text": t.text,
            "text_en": t.text_en,
            "change": t.change,
            "ORDER": str(t.number),
        }
        for t in draft.tips.order_by("number")
    ]


# Permissions -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("editor", {}),
        ("edit", {"number": 2}),
        ("publish", {"number": 2}),
        ("discard", {"number": 2}),
        ("retire", {"number": 1}),
    ],
)
def test_an_employee_gets_403_on_editor_pages(employee_client, version_one, editor, name, kwargs):
    _draft(version_one, editor)

    response = employee_client.get(
        reverse(f"handbook:{name}", kwargs={"guideline": "sociale-media", **kwargs})
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_an_employee_cannot_create_a_draft(employee_client, version_one):
    response = employee_client.post(
        reverse("handbook:create_draft", kwargs={"guideline": "sociale-media"})
    )

    assert response.status_code == 403
    assert not GuidelineVersion.objects.filter(status="draft").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("editor", {}),
        ("edit", {"number": 2}),
        ("publish", {"number": 2}),
        ("discard", {"number": 2}),
        ("retire", {"number": 1}),
        ("version", {"number": 2}),
    ],
)
def test_an_editor_can_open_editor_pages(editor_client, version_one, editor, name, kwargs):
    _draft(version_one, editor)

    response = editor_client.get(
        reverse(f"handbook:{name}", kwargs={"guideline": "sociale-media", **kwargs})
    )

    assert response.status_code == 200


@pytest.mark.django_db
def test_editor_pages_send_anonymous_visitors_to_the_login(client, version_one):
    response = client.get(reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))

    assert response.status_code == 302


@pytest.mark.django_db
def test_editing_a_published_version_is_not_found(editor_client, version_one):
    response = editor_client.get(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 1})
    )

    assert response.status_code == 404


# Dashboard ---------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_offers_a_new_draft_when_there_is_none(editor_client, version_one):
    html = _text(
        editor_client.get(reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
    )

    assert 'id="create-draft"' in html
    assert 'id="edit-draft"' not in html


@pytest.mark.django_db
def test_dashboard_shows_the_open_draft(editor_client, version_one, editor):
    _draft(version_one, editor)

    html = _text(
        editor_client.get(reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
    )

    assert 'id="edit-draft"' in html and 'id="publish-draft"' in html
    assert 'id="create-draft"' not in html


@pytest.mark.django_db
def test_dashboard_lists_the_audit_events_paginated(editor_client, version_one):
    HandbookEventFactory.create_batch(30, guideline=version_one.guideline)

    first = parse(
        editor_client.get(reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
    )
    second = parse(
        editor_client.get(
            reverse("handbook:editor", kwargs={"guideline": "sociale-media"}) + "?pagina=2"
        )
    )

    assert len(select(first, "#events-table tbody tr")) == 25
    assert len(select(second, "#events-table tbody tr")) == 31 - 25
    assert "?pagina=2" in links(first)


# Creating and editing a draft --------------------------------------------------


@pytest.mark.django_db
def test_creating_a_draft_leads_to_its_edit_page(editor_client, version_one):
    response = editor_client.post(
        reverse("handbook:create_draft", kwargs={"guideline": "sociale-media"})
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}
    )
    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.DRAFT


@pytest.mark.django_db
def test_creating_a_second_draft_shows_a_message(editor_client, version_one, editor):
    _draft(version_one, editor)

    response = editor_client.post(
        reverse("handbook:create_draft", kwargs={"guideline": "sociale-media"}), follow=True
    )

    assert nl("There is already a draft. Continue with that one.") in _text(response)
    assert GuidelineVersion.objects.filter(status="draft").count() == 1


@pytest.mark.django_db
def test_edit_form_labels_every_field_and_groups_radios_in_a_fieldset(
    editor_client, version_one, editor
):
    _draft(version_one, editor)

    page = parse(
        editor_client.get(
            reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2})
        )
    )

    for field in ("title", "title_en", "introduction", "effective_date", "tips-0-text"):
        assert select(page, f"label[for=id_{field}]") and select(page, f"#id_{field}"), field
    assert select(page, "label[for=id_tips-0-change_1]")
    assert attribute(page, "#id_tips-0-change_1", "type") == "radio"
    assert select(page, "#tip-form-0 fieldset:has(#id_tips-0-change_1) > legend")
    assert len(select(page, "fieldset.tip-form")) == 11


@pytest.mark.django_db
def test_saving_an_unchanged_draft_keeps_every_tip_unchanged(editor_client, version_one, editor):
    draft = _draft(version_one, editor)

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "handbook:version", kwargs={"guideline": "sociale-media", "number": 2}
    )
    assert set(draft.tips.values_list("change", flat=True)) == {Tip.Change.UNCHANGED}


@pytest.mark.django_db
def test_textarea_line_endings_do_not_count_as_a_change(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft, introduction=draft.introduction.replace("\n", "\r\n"))
    data["tips-0-text"] = data["tips-0-text"] + "\r\n"

    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert draft.tips.get(number=1).change == Tip.Change.UNCHANGED


@pytest.mark.django_db
def test_saving_a_changed_tip_with_a_mark_stores_it(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-1-text"] = "Alles wat je plaatst blijft lang zichtbaar."
    data["tips-1-change"] = "material"

    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    tip = draft.tips.get(number=2)
    assert (tip.text, tip.change) == ("Alles wat je plaatst blijft lang zichtbaar.", "material")
    draft.refresh_from_db()
    assert draft.change_summary == "Kleine aanpassing."
    assert str(draft.effective_date) == "2099-03-01"


@pytest.mark.django_db
def test_a_changed_tip_without_a_mark_shows_an_error_summary_and_changes_nothing(
    editor_client, version_one, editor
):
    draft = _draft(version_one, editor)
    data = _form_data(draft, title="Nieuwe titel")
    data["tips-1-text"] = "Alles wat je plaatst blijft lang zichtbaar."
    data["tips-1-change"] = "unchanged"

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    html = _text(response)
    assert response.status_code == 200
    assert "#id_tips-1-change_0" in dict(error_summary(parse(response)))
    assert nl("The text changed: mark it as an editorial change or a change in meaning.") in html
    draft.refresh_from_db()
    assert draft.title == "Handreiking gebruik sociale media"
    assert draft.tips.get(number=2).text.startswith("Bedenk dat alles")


@pytest.mark.django_db
def test_a_missing_title_is_reported_with_a_link_to_the_field(editor_client, version_one, editor):
    draft = _draft(version_one, editor)

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft, title=""),
    )

    assert "#id_title" in dict(error_summary(parse(response)))
    draft.refresh_from_db()
    assert draft.title == "Handreiking gebruik sociale media"


@pytest.mark.django_db
def test_an_empty_tip_text_is_reported(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-4-text"] = "   "

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert "#id_tips-4-text" in dict(error_summary(parse(response)))


@pytest.mark.django_db
def test_add_a_tip_shows_one_more_empty_tip_without_saving(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft, title="Nog niet opgeslagen")
    del data["save"]
    data["add_tip"] = "1"

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    page = parse(response)
    assert response.status_code == 200
    assert len(select(page, "fieldset.tip-form")) == 12
    assert select(page, "#tip-form-11 [name=tips-11-text]")
    assert attribute(page, "input[name=tips-TOTAL_FORMS]", "value") == "12"
    assert attribute(page, "#id_title", "value") == "Nog niet opgeslagen"
    draft.refresh_from_db()
    assert draft.title == "Handreiking gebruik sociale media"


@pytest.mark.django_db
def test_a_new_tip_is_saved_as_new(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    tips = [
        *_tips(draft),
        {"lineage": "", "text": "Deel geen wachtwoorden.", "text_en": "", "ORDER": "12"},
    ]

    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft, tips=tips),
    )

    tip = draft.tips.get(number=12)
    assert (tip.text, tip.change) == ("Deel geen wachtwoorden.", Tip.Change.NEW)


@pytest.mark.django_db
def test_removing_a_tip_renumbers_the_rest(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-0-DELETE"] = "on"

    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert draft.tips.count() == 10
    assert draft.tips.get(number=1).text.startswith("Bedenk dat alles")


@pytest.mark.django_db
def test_reordering_tips_follows_the_positions(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-10-ORDER"] = "0"

    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert draft.tips.get(number=1).text.startswith("Gebruik geen logo")
    assert draft.tips.get(number=2).text.startswith("Je bent zelf")


@pytest.mark.django_db
def test_removing_every_tip_is_refused(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    for index in range(11):
        data[f"tips-{index}-DELETE"] = "on"

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert 'id="error-summary"' in _text(response)
    assert draft.tips.count() == 11


@pytest.mark.django_db
def test_a_forged_lineage_is_refused(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-0-lineage"] = "00000000-0000-0000-0000-000000000000"

    response = editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    assert 'id="error-summary"' in _text(response)


# Publishing, retiring, discarding ------------------------------------------------


@pytest.mark.django_db
def test_publish_page_shows_the_four_eyes_blocker_to_the_last_editor(
    editor_client, version_one, editor
):
    draft = _draft(version_one, editor)
    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft),
    )

    html = _text(
        editor_client.get(
            reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
        )
    )

    assert 'id="publish-blockers"' in html
    assert 'id="publish-button"' not in html


@pytest.mark.django_db
def test_publishing_as_the_last_editor_is_refused(editor_client, version_one, editor):
    draft = _draft(version_one, editor)
    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft),
    )

    response = editor_client.post(
        reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert response.status_code == 400
    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.DRAFT


@pytest.mark.django_db
def test_another_editor_sees_the_diff_and_publishes(
    editor_client, other_editor_client, version_one, editor
):
    draft = _draft(version_one, editor)
    data = _form_data(draft)
    data["tips-1-text"] = "Alles wat je plaatst blijft lang zichtbaar."
    data["tips-1-change"] = "material"
    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}), data
    )

    page = parse(
        other_editor_client.get(
            reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
        )
    )
    response = other_editor_client.post(
        reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert select(page, "#publish-button")
    assert attribute(page, "section#diff-tip-2", "data-status") == "material"
    assert response.status_code == 302
    version = GuidelineVersion.objects.get(number=2)
    assert version.status == GuidelineVersion.Status.PUBLISHED
    assert len(version.content_hash) == 64


@pytest.mark.django_db
def test_the_four_eyes_setting_lets_the_last_editor_publish(
    editor_client, version_one, editor, settings
):
    settings.HANDBOOK_FOUR_EYES = False
    draft = _draft(version_one, editor)
    editor_client.post(
        reverse("handbook:edit", kwargs={"guideline": "sociale-media", "number": 2}),
        _form_data(draft),
    )

    editor_client.post(
        reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.PUBLISHED


@pytest.mark.django_db
def test_publishing_needs_a_post(other_editor_client, version_one, editor):
    _draft(version_one, editor)

    other_editor_client.get(
        reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.DRAFT


@pytest.mark.django_db
def test_retiring_a_version_after_confirmation_by_another_editor(
    editor_client, other_editor_client, version_one
):
    """Four eyes, and a successor in force (handbook/tests/test_retirement.py has more)."""
    from handbook.tests.factories import published_version

    published_version(version_one.guideline, number=2, effective_date=version_one.effective_date)
    page = editor_client.get(
        reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": 1})
    )
    asked = editor_client.post(
        reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": 1}),
        {"reason": "Oud."},
    )
    request = version_one.retirement_requests.get()
    response = other_editor_client.post(
        reverse("handbook:confirm_retirement", kwargs={"guideline": "sociale-media", "number": 1}),
        {"request": request.pk},
    )

    assert 'id="retire-button"' in _text(page)
    assert (asked.status_code, response.status_code) == (302, 302)
    assert GuidelineVersion.objects.get(number=1).status == GuidelineVersion.Status.RETIRED
    assert HandbookEvent.objects.filter(kind=HandbookEvent.Kind.RETIRED).exists()


@pytest.mark.django_db
def test_discarding_a_draft_after_confirmation(editor_client, version_one, editor):
    _draft(version_one, editor)

    page = editor_client.get(
        reverse("handbook:discard", kwargs={"guideline": "sociale-media", "number": 2})
    )
    response = editor_client.post(
        reverse("handbook:discard", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert 'id="discard-button"' in _text(page)
    assert response.status_code == 302
    assert not GuidelineVersion.objects.filter(number=2).exists()


@pytest.mark.django_db
def test_an_employee_cannot_publish_by_posting(employee_client, version_one, editor):
    _draft(version_one, editor)

    response = employee_client.post(
        reverse("handbook:publish", kwargs={"guideline": "sociale-media", "number": 2})
    )

    assert response.status_code == 403
    assert GuidelineVersion.objects.get(number=2).status == GuidelineVersion.Status.DRAFT
