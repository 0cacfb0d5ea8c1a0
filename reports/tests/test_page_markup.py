"""The report pages in NL Design System markup (issue 22): where a reader is, dates that
stay on one line, and tables that scroll inside their own box, never the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse, select
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def report():
    requested = services.request_report(
        version=quiz_version(tips=2), format=Report.Format.CSV, enqueue=False
    )
    return generation.generate(report_id=requested.pk)


@pytest.fixture
def hr(client):
    client.force_login(EmployeeFactory(hr=True))
    return client


def test_the_breadcrumb_marks_the_current_page_as_a_link_to_itself(hr, report):
    url = reverse("reports:detail", args=[report.pk])

    page = parse(hr.get(url))

    current = select(page, "nav.utrecht-breadcrumb-nav a[aria-current=page]")
    assert [link.attributes["href"] for link in current] == [url]
    assert "utrecht-breadcrumb-nav__link--current" in current[0].attributes["class"].split()


def test_every_report_table_sits_in_a_scroll_container(hr, report):
    for url in (
        reverse("reports:list"),
        reverse("reports:log"),
        reverse("reports:detail", args=[report.pk]),
    ):
        page = parse(hr.get(url))

        tables = select(page, "main table")
        assert tables, url
        assert len(select(page, "main .utrecht-table-container > table.utrecht-table")) == len(
            tables
        ), url


def test_the_dates_in_the_report_tables_do_not_wrap(hr, report):
    listing = parse(hr.get(reverse("reports:list")))
    log = parse(hr.get(reverse("reports:log")))

    requested_at = select(listing, f"#report-{report.pk} td")[4]
    assert "portal-nowrap" in requested_at.attributes["class"].split()
    assert all(
        "portal-nowrap" in select(row, "td")[0].attributes["class"].split()
        for row in select(log, "tr.report-event")
    )


def test_a_reports_state_is_a_status_badge_not_a_coloured_word(hr, report):
    page = parse(hr.get(reverse("reports:detail", args=[report.pk])))

    assert attribute(page, "#status-line .utrecht-status-badge", "class") == (
        "utrecht-status-badge utrecht-status-badge--success"
    )
