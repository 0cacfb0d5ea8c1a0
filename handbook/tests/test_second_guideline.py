"""A second guideline has everything the first one has: its own pages under
/handreikingen/<short name>/, drafts, four-eyes publishing, change marks, diffs,
history, scheduled go-live, print view and PDF; and an editor of that guideline alone
(people.ObjectRoleGrant) works on it and on nothing else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from handbook import services
from handbook.models import GuidelineVersion, Tip
from handbook.services import retirement
from handbook.tests.factories import GuidelineFactory, published_version
from handbook.tests.utils import nl
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse, select

pytestmark = pytest.mark.django_db

SLUG = "privacy"


@pytest.fixture
def privacy():
    guideline = GuidelineFactory(slug=SLUG, title="Privacyhandreiking", title_en="Privacy guide")
    published_version(
        guideline,
        title="Privacyhandreiking",
        title_en="Privacy guide",
        tips=("Deel geen dossiers.", "Vergrendel je scherm."),
        tips_en=("Do not share files.", "Lock your screen."),
    )
    return guideline


@pytest.fixture
def privacy_editor(privacy):
    """The editor of the privacy guideline alone."""
    editor = EmployeeFactory(first_name="Pim", last_name="Privacy")
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)
    return editor


@pytest.fixture
def second_privacy_editor(privacy):
    editor = EmployeeFactory(first_name="Puck", last_name="Privacy")
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)
    return editor


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, **kwargs) -> str:
    return reverse(f"handbook:{name}", kwargs={"guideline": SLUG, **kwargs})


def _edit(draft, actor, texts, changes=None):
    tips = list(draft.tips.order_by("number"))
    inputs = []
    for index, text in enumerate(texts):
        lineage = tips[index].lineage if index < len(tips) else None
        change = (changes or {}).get(index + 1, "")
        inputs.append(services.TipInput(text=text, text_en="", change=change, lineage=lineage))
    return services.update_draft(
        draft=draft,
        actor=actor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=draft.introduction,
        introduction_en=draft.introduction_en,
        change_summary="Bijgewerkt.",
        change_summary_en="Updated.",
        effective_date=timezone.localdate(),
        requires_reacknowledgement=True,
        tips=inputs,
    )


# Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("current", {}),
        ("current_tip", {"tip": 2}),
        ("history", {}),
        ("version", {"number": 1}),
        ("tip", {"number": 1, "tip": 1}),
        ("print", {"number": 1}),
        ("diff", {}),
    ],
)
def test_every_reading_page_of_a_second_guideline_shows_its_own_text(
    employee_client, version_one, privacy, name, kwargs
):
    response = employee_client.get(_url(name, **kwargs))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Privacyhandreiking" in html
    assert "sociale media" not in html.split("<main", 1)[1]


def test_the_pdf_of_a_second_guideline_is_named_after_it(employee_client, privacy):
    response = employee_client.get(_url("pdf", number=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="privacy-1-nl.pdf"' in response["Content-Disposition"]


def test_the_tip_links_of_a_second_guideline_stay_within_it(employee_client, privacy):
    page = parse(employee_client.get(_url("current")))

    tip_links = [href for href in links(page) if "/tips/" in href]

    assert tip_links
    assert all(href.startswith("/handreikingen/privacy/tips/") for href in tip_links)


def test_a_second_guidelines_history_lists_its_versions_only(employee_client, version_one, privacy):
    page = parse(employee_client.get(_url("history")))

    rows = select(page, "#history-table tbody tr")

    assert len(rows) == 1
    assert "/handreikingen/privacy/versies/1/" in links(page)


# Editing by the editor of that guideline alone -------------------------------------------


def test_the_editor_of_one_guideline_writes_a_draft_of_it(privacy, privacy_editor):
    draft = services.create_draft(guideline=privacy, actor=privacy_editor)

    _edit(
        draft,
        privacy_editor,
        ["Deel geen dossiers.", "Vergrendel altijd je scherm."],
        {2: "material"},
    )

    assert [tip.change for tip in draft.tips.order_by("number")] == [
        Tip.Change.UNCHANGED,
        Tip.Change.MATERIAL,
    ]


def test_the_editor_of_one_guideline_cannot_start_a_draft_of_another(version_one, privacy_editor):
    with pytest.raises(PermissionDenied):
        services.create_draft(guideline=version_one.guideline, actor=privacy_editor)


def test_the_editor_of_one_guideline_cannot_change_anothers_draft(
    version_one, editor, privacy_editor
):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    with pytest.raises(PermissionDenied):
        _edit(draft, privacy_editor, ["Overgenomen."])
    with pytest.raises(PermissionDenied):
        services.discard_draft(draft=draft, actor=privacy_editor)


def test_the_editor_of_one_guideline_may_not_publish_anothers_draft(
    version_one, editor, other_editor, privacy_editor
):
    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    draft = _edit(draft, editor, [t.text for t in version_one.tips.order_by("number")])

    assert services.publish_blockers(draft=draft, actor=other_editor) == []
    assert nl("You may not publish versions.") in services.publish_blockers(
        draft=draft, actor=privacy_editor
    )


def test_the_editor_of_one_guideline_sees_its_drafts_and_not_anothers(
    version_one, editor, privacy, privacy_editor
):
    services.create_draft(guideline=version_one.guideline, actor=editor)
    services.create_draft(guideline=privacy, actor=privacy_editor)
    client = _client(privacy_editor)

    assert client.get(_url("version", number=2)).status_code == 200
    assert (
        client.get(
            reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 2})
        ).status_code
        == 404
    )


def test_four_eyes_hold_for_a_second_guideline(privacy, privacy_editor, second_privacy_editor):
    draft = services.create_draft(guideline=privacy, actor=privacy_editor)
    _edit(draft, privacy_editor, ["Deel geen dossiers.", "Nieuw."], {2: "material"})

    refused = _client(privacy_editor).post(_url("publish", number=draft.number))
    published = _client(second_privacy_editor).post(_url("publish", number=draft.number))

    assert refused.status_code == 400
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == GuidelineVersion.Status.PUBLISHED
    assert draft.published_by == second_privacy_editor


def test_a_second_guidelines_version_published_ahead_goes_live_on_its_date(
    employee_client, privacy, privacy_editor, second_privacy_editor
):
    draft = services.create_draft(guideline=privacy, actor=privacy_editor)
    _edit(draft, privacy_editor, ["Deel geen dossiers.", "Later."], {2: "material"})
    GuidelineVersion.objects.filter(pk=draft.pk).update(effective_date=datetime.date(2999, 1, 1))
    services.publish_version(draft=draft, actor=second_privacy_editor)

    page = employee_client.get(_url("current")).content.decode()
    history = parse(employee_client.get(_url("history")))

    assert "Vergrendel je scherm." in page  # version 1 stays in force
    assert select(history, "#version-row-2")[0].attributes["data-state"] == "scheduled"


def test_the_diff_of_a_second_guideline_compares_its_own_versions(
    employee_client, privacy, privacy_editor, second_privacy_editor
):
    draft = services.create_draft(guideline=privacy, actor=privacy_editor)
    _edit(
        draft,
        privacy_editor,
        ["Deel geen dossiers.", "Vergrendel altijd je scherm."],
        {2: "editorial"},
    )
    services.publish_version(draft=draft, actor=second_privacy_editor)

    html = employee_client.get(_url("diff") + "?van=1&naar=2").content.decode()

    assert "altijd" in html
    assert "<ins" in html


def test_retiring_a_second_guidelines_version_needs_another_editor_of_it(
    version_one, privacy, privacy_editor, second_privacy_editor
):
    draft = services.create_draft(guideline=privacy, actor=privacy_editor)
    _edit(draft, privacy_editor, ["Deel geen dossiers.", "Nieuw."], {2: "material"})
    services.publish_version(draft=draft, actor=second_privacy_editor)
    first = privacy.versions.get(number=1)
    request = retirement.request_retirement(
        version=first, actor=privacy_editor, reason="Vervangen door versie 2."
    )

    with pytest.raises(PermissionDenied):
        retirement.request_retirement(
            version=version_one, actor=privacy_editor, reason="Niet van mij."
        )
    retirement.confirm_retirement(version=first, request_id=request.pk, actor=second_privacy_editor)
    first.refresh_from_db()
    assert first.status == GuidelineVersion.Status.RETIRED


def test_the_editors_dashboard_of_a_second_guideline_shows_its_own_trail(
    version_one, editor, privacy, privacy_editor
):
    services.create_draft(guideline=version_one.guideline, actor=editor)
    services.create_draft(guideline=privacy, actor=privacy_editor)

    page = parse(_client(privacy_editor).get(_url("editor")))

    assert len(select(page, "#events-table tbody tr")) == 2  # published, draft created
    assert "/handreikingen/privacy/versies/2/bewerken/" in links(page)
