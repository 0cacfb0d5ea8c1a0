"""Importing a guideline's text from a file into its draft (upload, preview, confirm) and
exporting a version, on the editor's pages of that guideline
(handbook.views.text_files)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from handbook import services
from handbook.models import GuidelineVersion, HandbookEvent
from handbook.tests.factories import GuidelineFactory, published_version
from handbook.tests.utils import nl
from handbook.text_io.data import MAX_TEXT_BYTES
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse, select, texts

pytestmark = pytest.mark.django_db

SLUG = "privacy"
IMPORT = reverse("handbook:import", kwargs={"guideline": SLUG})
CONFIRM = reverse("handbook:confirm_import", kwargs={"guideline": SLUG})

GOOD = """---
guideline: privacy
title:
  nl: Privacyhandreiking
  en: Privacy guide
---

# Nederlands

Zo gaan we om met persoonsgegevens.

## 1

Deel geen dossiers.

## 2

Vergrendel altijd je scherm.

## 3

Meld een datalek meteen.

# English

How we handle personal data.

## 1

Do not share files.
"""


@pytest.fixture
def privacy():
    guideline = GuidelineFactory(slug=SLUG, title="Privacyhandreiking")
    published_version(
        guideline,
        title="Privacyhandreiking",
        tips=("Deel geen dossiers.", "Vergrendel je scherm."),
        tips_en=("Do not share files.", ""),
        effective_date=datetime.date(2026, 1, 1),
    )
    return guideline


@pytest.fixture
def privacy_editor(privacy):
    editor = EmployeeFactory(first_name="Pim", last_name="Privacy")
    grant_object_role(actor=None, employee=editor, role=Role.EDITOR, target=privacy)
    return editor


@pytest.fixture
def draft(privacy, privacy_editor):
    return services.create_draft(guideline=privacy, actor=privacy_editor)


@pytest.fixture
def client(privacy_editor):
    client = Client()
    client.force_login(privacy_editor)
    return client


def _upload(client, content: str | bytes, name: str = "privacy.md"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT, {"bestand": SimpleUploadedFile(name, data)})


def _token(response) -> str:
    return attribute(parse(response), "#confirm-form input[name=upload]", "value")


def test_a_good_file_is_previewed_tip_by_tip_and_changes_nothing_yet(client, draft):
    response = _upload(client, GOOD)

    assert response.status_code == 200
    page = parse(response)
    statuses = [row.attributes["data-status"] for row in select(page, "#import-tips tbody tr")]
    assert statuses == ["unchanged", "changed", "new"]
    draft.refresh_from_db()
    assert draft.tips.count() == 2
    assert draft.introduction != "Zo gaan we om met persoonsgegevens."


def test_confirming_the_preview_imports_the_file_into_the_draft(client, draft, privacy_editor):
    token = _token(_upload(client, GOOD))

    response = client.post(CONFIRM, {"upload": token})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "handbook:edit", kwargs={"guideline": SLUG, "number": draft.number}
    )
    draft = GuidelineVersion.objects.get(pk=draft.pk)
    assert draft.introduction == "Zo gaan we om met persoonsgegevens."
    assert [(t.text, t.change) for t in draft.tips.order_by("number")] == [
        ("Deel geen dossiers.", "unchanged"),
        ("Vergrendel altijd je scherm.", "material"),
        ("Meld een datalek meteen.", "new"),
    ]
    assert HandbookEvent.objects.filter(
        guideline=draft.guideline, details__via="import", actor=privacy_editor
    ).exists()


def test_a_malformed_file_is_refused_whole_with_each_line_and_reason(client, draft):
    broken = GOOD.replace("## 2\n", "## 5\n").replace("---\n\n", "auteur: Piet\n---\n\n")

    response = _upload(client, broken)

    assert response.status_code == 400
    problems = texts(parse(response), "#file-errors li")
    assert len(problems) >= 2
    line = nl("Line %(line)s: %(reason)s", line=0, reason="").split(" ")[0]  # "Regel"
    assert all(problem.startswith(f"{line} ") for problem in problems)
    assert not select(parse(response), "#confirm-form")
    assert GuidelineVersion.objects.get(pk=draft.pk).tips.count() == 2


def test_a_file_for_another_guideline_is_refused(client, draft):
    response = _upload(client, GOOD.replace("guideline: privacy", "guideline: sociale-media"))

    assert response.status_code == 400
    assert "sociale-media" in " ".join(texts(parse(response), "#file-errors li"))


def test_a_file_over_the_size_cap_is_refused(client, draft):
    response = _upload(client, GOOD + "x" * MAX_TEXT_BYTES)

    assert response.status_code == 400
    assert not select(parse(response), "#confirm-form")


def test_a_file_of_another_kind_is_refused(client, draft):
    response = _upload(client, GOOD, name="privacy.docx")

    assert response.status_code == 400
    assert GuidelineVersion.objects.get(pk=draft.pk).tips.count() == 2


def test_a_forged_confirmation_imports_nothing(client, draft):
    token = _token(_upload(client, GOOD))
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    response = client.post(CONFIRM, {"upload": forged})

    assert response.status_code == 302
    assert response["Location"] == IMPORT
    assert GuidelineVersion.objects.get(pk=draft.pk).tips.count() == 2


def test_a_preview_made_by_another_editor_cannot_be_confirmed(client, draft, privacy):
    token = _token(_upload(client, GOOD))
    colleague = EmployeeFactory()
    grant_object_role(actor=None, employee=colleague, role=Role.EDITOR, target=privacy)
    other = Client()
    other.force_login(colleague)

    response = other.post(CONFIRM, {"upload": token})

    assert response["Location"] == IMPORT
    assert GuidelineVersion.objects.get(pk=draft.pk).tips.count() == 2


def test_a_preview_of_a_draft_changed_since_is_not_imported(client, draft, privacy_editor):
    token = _token(_upload(client, GOOD))
    services.update_draft(
        draft=draft,
        actor=privacy_editor,
        title="Privacyhandreiking",
        title_en="",
        introduction="Gewijzigd na de controle.",
        introduction_en="",
        change_summary="",
        change_summary_en="",
        effective_date=None,
        requires_reacknowledgement=False,
        tips=[services.TipInput(text=t.text, lineage=t.lineage) for t in draft.tips.all()],
    )

    response = client.post(CONFIRM, {"upload": token})

    assert response["Location"] == IMPORT
    assert GuidelineVersion.objects.get(pk=draft.pk).introduction == "Gewijzigd na de controle."


def test_a_preview_for_one_guideline_cannot_be_confirmed_on_another(version_one, client, draft):
    token = _token(_upload(client, GOOD))
    editor = EmployeeFactory(editor=True)
    services.create_draft(guideline=version_one.guideline, actor=editor)
    other = Client()
    other.force_login(editor)

    response = other.post(
        reverse("handbook:confirm_import", kwargs={"guideline": "sociale-media"}),
        {"upload": token},
    )

    assert response.status_code == 302
    assert GuidelineVersion.objects.get(guideline=version_one.guideline, number=2).tips.count() == (
        version_one.tips.count()
    )


def test_without_a_draft_the_import_page_sends_the_editor_to_start_one(client, privacy):
    response = client.get(IMPORT)

    assert response.status_code == 302
    assert response["Location"] == reverse("handbook:editor", kwargs={"guideline": SLUG})


@pytest.mark.parametrize(("format", "extension"), [("markdown", "md"), ("yaml", "yaml")])
def test_a_version_exports_as_a_file_that_imports_back_the_same(client, draft, format, extension):
    url = reverse("handbook:export", kwargs={"guideline": SLUG, "number": 1, "format": format})

    response = client.get(url)

    assert response.status_code == 200
    assert f'filename="privacy-version-1.{extension}"' in response["Content-Disposition"]
    preview = _upload(client, response.content, name=f"terug.{extension}")
    statuses = [
        row.attributes["data-status"] for row in select(parse(preview), "#import-tips tbody tr")
    ]
    assert statuses == ["unchanged", "unchanged"]


def test_an_unknown_export_format_is_not_found(client, draft):
    url = reverse("handbook:export", kwargs={"guideline": SLUG, "number": 1, "format": "docx"})

    assert client.get(url).status_code == 404
