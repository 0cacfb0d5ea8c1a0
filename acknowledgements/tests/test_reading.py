"""Reading is recorded once per employee and tip, when the tip's page is opened."""

import pytest
from django.test import Client
from django.urls import reverse

from acknowledgements.models import TipRead
from acknowledgements.services.reading import record_tip_read
from handbook.models import Tip
from handbook.tests.factories import GuidelineVersionFactory, published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse, select

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return published_version(tips=["Eerste tip.", "Tweede tip.", "Derde tip."])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_opening_a_tip_page_records_one_read_however_often(version):
    employee = EmployeeFactory()
    client = _client(employee)
    url = reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2})

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert (
        client.get(
            reverse("handbook:tip", kwargs={"guideline": "sociale-media", "number": 1, "tip": 2})
        ).status_code
        == 200
    )

    reads = TipRead.objects.filter(employee=employee)
    assert [read.tip.number for read in reads] == [2]


def test_reads_are_per_employee(version):
    reader, other = EmployeeFactory(), EmployeeFactory()
    _client(reader).get(
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1})
    )

    assert TipRead.objects.filter(employee=reader).count() == 1
    assert not TipRead.objects.filter(employee=other).exists()


def test_anonymous_visitor_records_nothing(version):
    response = Client().get(
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1})
    )

    assert response.status_code == 302
    assert not TipRead.objects.exists()


def test_the_version_page_records_no_read(version):
    employee = EmployeeFactory()
    _client(employee).get(reverse("handbook:current", kwargs={"guideline": "sociale-media"}))

    assert not TipRead.objects.exists()


def test_unknown_tip_records_nothing(version):
    response = _client(EmployeeFactory()).get(
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 9})
    )

    assert response.status_code == 404
    assert not TipRead.objects.exists()


def test_record_tip_read_is_idempotent(version):
    employee = EmployeeFactory()
    tip = version.tips.get(number=1)

    first = record_tip_read(employee=employee, tip=tip)
    second = record_tip_read(employee=employee, tip=tip)

    assert first.pk == second.pk
    assert TipRead.objects.count() == 1


def test_a_draft_tip_is_not_counted_as_read(db):
    draft = GuidelineVersionFactory()
    tip = Tip.objects.create(version=draft, number=1, text="Concept.")

    assert record_tip_read(employee=EmployeeFactory(), tip=tip) is None
    assert not TipRead.objects.exists()


def test_current_version_page_shows_which_tips_were_read_in_text(version):
    employee = EmployeeFactory()
    client = _client(employee)
    client.get(reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}))

    page = parse(client.get(reverse("handbook:current", kwargs={"guideline": "sociale-media"})))

    marks = {
        mark.parent.parent.id: mark.attributes["data-read"]
        for mark in select(page, "section.tip .tip-read-status")
    }
    assert marks == {"tip-1": "false", "tip-2": "true", "tip-3": "false"}


def test_a_tips_read_status_is_a_small_badge_beside_its_heading_not_inside_it(version):
    employee = EmployeeFactory()
    client = _client(employee)
    client.get(reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}))

    page = parse(client.get(reverse("handbook:current", kwargs={"guideline": "sociale-media"})))

    assert len(select(page, "#tip-2 h3 + .tip-read-status")) == 1
    assert select(page, "section.tip h3 .tip-read-status, section.tip a .tip-read-status") == []
    assert attribute(page, "#tip-2 .tip-read-status", "class").split() == [
        "utrecht-status-badge",
        "utrecht-status-badge--success",
        "tip-read-status",
    ]


def test_another_version_page_shows_no_read_marks(version):
    client = _client(EmployeeFactory())

    html = client.get(
        reverse("handbook:version", kwargs={"guideline": "sociale-media", "number": 1})
    ).content.decode()

    assert "tip-read-status" not in html
