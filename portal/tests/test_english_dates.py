"""The English interface writes dates day, month, year ("7 December 2026", 07-12-2026),
never the American "Dec. 7, 2026" or 12/07/2026, and reads a typed date day first
(config/formats/en/formats.py, settings.FORMAT_MODULE_PATH)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from people.tests.factories import EmployeeFactory, login_with_second_factor
from portal.testing.html import parse, text_of

DAY = datetime.date(2026, 12, 7)


def _in_english(value, format_name: str) -> str:
    with translation.override("en"):
        return date_format(value, format_name)


def test_a_date_in_english_is_day_month_year():
    assert _in_english(DAY, "DATE_FORMAT") == "7 December 2026"


def test_a_short_date_in_english_is_day_month_year_with_dashes():
    assert _in_english(DAY, "SHORT_DATE_FORMAT") == "07-12-2026"


def test_a_moment_in_english_has_a_24_hour_clock():
    moment = datetime.datetime(2026, 12, 7, 13, 5)

    assert _in_english(moment, "DATETIME_FORMAT") == "7 December 2026 13:05"


def test_dutch_keeps_its_own_formats():
    with translation.override("nl"):
        assert date_format(DAY, "DATE_FORMAT") == "7 december 2026"


@pytest.mark.parametrize("typed", ["07-12-2026", "7-12-2026", "07/12/2026", "2026-12-07"])
def test_a_typed_date_in_english_is_read_day_first(typed):
    with translation.override("en"):
        assert forms.DateField().clean(typed) == DAY


def test_an_american_date_is_never_read_month_first():
    with translation.override("en"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("12/31/2026")  # there is no 31st month


@pytest.mark.django_db
def test_the_guideline_list_in_english_writes_the_date_day_month_year(client):
    from handbook.tests.factories import GuidelineFactory, published_version

    guideline = GuidelineFactory(slug="privacy", title="Privacy")
    published_version(guideline, number=2, title="Privacy", effective_date=DAY)
    login_with_second_factor(client, EmployeeFactory(preferred_language="en"))

    page = parse(client.get(reverse("handbook:list") + "?taal=en"))

    entry = text_of(page, "#guideline-privacy")
    assert "7 December 2026" in entry
    assert "Dec. 7, 2026" not in entry


@pytest.mark.django_db
def test_a_report_asked_for_in_english_reads_the_typed_date_day_first(settings):
    from quizzes.tests.factories import quiz_version
    from reports.models import Report

    version = quiz_version(tips=2)
    hr = EmployeeFactory(hr=True, totp=True, preferred_language="en")
    client = Client()
    login_with_second_factor(client, hr)

    response = client.post(
        reverse("reports:create"),
        {
            "basis": "version",
            "version": version.pk,
            "as_of": "01-02-2026",
            "format": "csv",
            "language": "en",
            "delimiter": ";",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().as_of == datetime.date(2026, 2, 1)
