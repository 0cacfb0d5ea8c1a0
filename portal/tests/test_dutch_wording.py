"""What the walk of test_dutch_everywhere.py found, each held on its own; one word per
thing ("uiterste datum", never "deadline"); no setting names; singular and plural right
("De laatste gebeurtenis", not "De laatste 1 gebeurtenis").

Kept apart from the walk: its world (a module's data) would be in the way here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.testing.html import parse, text_of
from portal.testing.translations import page_text, setting_names

# What the walk above found, each held on its own -----------------------------------------


def test_the_diff_tells_screen_readers_where_an_insertion_starts_and_ends_in_dutch():
    from django.utils import translation

    from handbook.selectors.diff import INSERT, Segment, render_segments

    with translation.override("nl"):
        html = render_segments(segments=[Segment(INSERT, "nieuw")])

    assert "[begin van toevoeging]" in html and "[einde van toevoeging]" in html


def test_the_diff_tells_screen_readers_where_a_deletion_starts_and_ends_in_dutch():
    from django.utils import translation

    from handbook.selectors.diff import DELETE, Segment, render_segments

    with translation.override("nl"):
        html = render_segments(segments=[Segment(DELETE, "oud")])

    assert "[begin van verwijdering]" in html and "[einde van verwijdering]" in html


def test_the_charts_axis_writes_its_dates_the_dutch_way():
    import datetime

    from django.utils import translation

    from campaigns.selectors.dashboard import DayFigure, Timeline
    from campaigns.views import chart

    start = datetime.date(2026, 3, 1)
    timeline = Timeline(
        start=start,
        end=datetime.date(2026, 5, 31),
        deadline=datetime.date(2026, 5, 31),
        today=start,
        days=[DayFigure(day=start, signed=0, in_scope=4)],
    )

    with translation.override("nl"):
        labels = [label["label"] for label in chart.geometry(timeline).x_labels]

    assert labels == ["1 mrt 2026", "31 mei 2026"]


# One word per thing --------------------------------------------------------------------

DUTCH_CATALOG = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _dutch_translations() -> list[str]:
    """Every msgstr of the portal's Dutch catalog, its lines joined."""
    text = DUTCH_CATALOG.read_text()
    found = []
    for block in re.split(r"\n\n+", text):
        for match in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M):
            found.append("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    return found


def test_the_dutch_interface_calls_a_deadline_uiterste_datum_never_deadline():
    # Placeholders such as %(deadline)s are names in the code, not words for the reader.
    said = [
        text
        for text in _dutch_translations()
        if re.search(r"deadline", re.sub(r"%\(\w+\)s", "", text), re.IGNORECASE)
    ]

    assert not said, said


# No setting names ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_onboarding_page_names_no_setting(client):
    from people.tests.factories import EmployeeFactory, login_with_second_factor

    login_with_second_factor(client, EmployeeFactory(hr=True, totp=True, department=None))

    text = page_text(client.get(reverse("campaigns:onboarding")).content.decode())

    assert "instelling van het portaal" in text
    assert not setting_names(text)


# Singular and plural -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_campaign_with_one_event_says_the_latest_event_not_the_latest_1_events(client):
    from campaigns.tests.factories import draft_campaign
    from people.tests.factories import EmployeeFactory, login_with_second_factor
    from quizzes.tests.factories import quiz_version

    hr = EmployeeFactory(hr=True, totp=True, department=None)
    campaign = draft_campaign(quiz_version(tips=2), by=hr)
    login_with_second_factor(client, hr)

    page = parse(client.get(reverse("campaigns:detail", args=[campaign.pk])))

    assert text_of(page, "#events caption") == "De laatste gebeurtenis in deze campagne"


@pytest.mark.django_db
def test_a_bank_of_one_question_says_1_vraag(client):
    from people.tests.factories import EmployeeFactory, login_with_second_factor
    from quizzes.models import Question
    from quizzes.tests.factories import quiz_version

    version = quiz_version(tips=2)
    Question.objects.filter(pk__in=Question.objects.all().values("pk")[1:]).delete()
    editor = EmployeeFactory(editor=True, totp=True)
    login_with_second_factor(client, editor)
    url = reverse("quiz_editor:bank", kwargs={"guideline": version.guideline.slug})

    text = page_text(client.get(url).content.decode())

    assert "1 vraag, waarvan 1 actief." in text


@pytest.mark.django_db
def test_a_schedule_with_one_reminder_a_day_before_says_1_dag(client):
    from campaigns.tests.factories import draft_campaign
    from people.tests.factories import EmployeeFactory, login_with_second_factor
    from quizzes.tests.factories import quiz_version

    hr = EmployeeFactory(hr=True, totp=True, department=None)
    campaign = draft_campaign(
        quiz_version(tips=2), by=hr, reminder_days=[1], reminder_after_days=[1]
    )
    login_with_second_factor(client, hr)

    page = parse(client.get(reverse("campaigns:detail", args=[campaign.pk])))

    summary = text_of(page, "#schedule-summary")
    assert "1 dag vóór de uiterste datum" in summary
    assert "1 dag na de uiterste datum" in summary
    assert "dagen" not in summary.replace("7 dagen", "").replace("14 dagen", "")


@pytest.mark.django_db
def test_one_attempt_a_day_used_is_said_in_the_singular():
    from django.utils import translation

    from people.tests.factories import EmployeeFactory
    from quizzes.services.attempts import DailyLimitReached, start_attempt
    from quizzes.tests.factories import quiz_version, submitted_attempt

    version = quiz_version(tips=2, attempts_per_day=1)
    employee = EmployeeFactory()
    submitted_attempt(employee=employee, version=version)

    with translation.override("nl"), pytest.raises(DailyLimitReached) as refused:
        start_attempt(employee=employee, version=version)

    assert str(refused.value.args[0]) == (
        "Je hebt je poging van vandaag gebruikt. Morgen kun je het opnieuw proberen."
    )


@pytest.mark.django_db
def test_a_destruction_list_says_one_thing_of_a_kind_in_the_singular(settings):
    from django.utils import translation

    from acknowledgements.models import Notification
    from acknowledgements.services.retention import due_for_destruction
    from acknowledgements.tests.factories import ready_to_sign
    from acknowledgements.tests.test_destruction import TODAY, _left
    from people.models import Invitation, StaffImport
    from people.tests.factories import EmployeeFactory
    from quizzes.tests.factories import quiz_version

    person = EmployeeFactory(employee_number="P-4711")
    version = quiz_version(tips=2)
    ready_to_sign(person, version)
    Notification.objects.create(
        employee=person,
        version=version,
        kind=Notification.Kind.REACKNOWLEDGEMENT,
        sent_at=timezone.now(),
    )
    log = StaffImport.objects.create(
        filename="hr.csv",
        file_sha256="0" * 64,
        mode=StaffImport.Mode.APPLIED,
        changes={"new": [{"number": "P-4711", "name": "Zwaantje Quispel", "line": 2}]},
    )
    Invitation.objects.create(employee=person, staff_import=log)
    _left(person, 11)

    with translation.override("nl"):
        said = [item.description for item in due_for_destruction(today=TODAY).items]

    assert "1 e-mail met het verzoek opnieuw te ondertekenen" in " ".join(said)
    assert "1 uitnodiging voor het portaal: verwijderd" in said
    assert "Genoemd in 1 logboek van de personeelsimport: naam en nummer verwijderd" in said
