"""Setting up a yearly round (/campagnes/nieuw/ and the schedule page): who signs, what
is read again, the reminders after the due date, and a start no earlier than the
version is in force (the form, and the services behind it for a forged request)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from campaigns import services
from campaigns.forms.campaigns import CampaignForm, ScheduleForm
from campaigns.models import Assignment, Campaign, CampaignEvent, CampaignGuideline
from campaigns.services import CampaignError
from campaigns.tests.hr_support import at, day, draft
from handbook.tests.factories import GuidelineFactory
from portal.testing.html import error_summary, parse, select, text_of, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

URL = "/campagnes/nieuw/"
TITLE = "Handreiking gebruik sociale media"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    """Version 1, in force since 100 days ago."""
    return quiz_version(tips=2, effective_date=day(-100), guideline=GuidelineFactory(title=TITLE))


def _data(version, **overrides) -> dict:
    data = {
        "name": "Jaarronde 2026",
        "versions": [str(version.pk)],
        "signing": Campaign.Signing.AGAIN,
        "reread": Campaign.Reread.ALL,
        "audience": Campaign.Audience.ALL,
        "include_subdepartments": "on",
        "start_date": day(0).isoformat(),
        "deadline": day(30).isoformat(),
        "reminder_days": "14, 3",
        "reminder_after_days": "3, 10",
        "manager_escalation_days": "7",
        "hr_escalation_days": "14",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _errors(version, language="en", **overrides) -> dict:
    with translation.override(language):
        form = CampaignForm(_data(version, **overrides))
        form.is_valid()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


# Who signs and what is read again ----------------------------------------------------------


def test_a_new_campaign_asks_everyone_to_sign_again_by_default(version):
    form = CampaignForm()

    assert form["signing"].value() == Campaign.Signing.AGAIN
    assert form["reread"].value() == Campaign.Reread.ALL


def test_the_hint_on_who_signs_explains_both_choices_in_dutch(version):
    with translation.override("nl"):
        hint = str(CampaignForm().fields["signing"].help_text)

    assert "jaarlijkse herbevestiging" in hint
    assert "Iedereen ondertekent opnieuw" in hint
    assert "Alleen wie deze versie nog niet heeft ondertekend" in hint


def test_who_signs_and_what_is_read_again_are_radio_groups_with_a_legend(hr_client, version):
    page = parse(hr_client.get(URL))

    legends = {
        name: texts(page, f"fieldset:has(input[type=radio][name={name}]) > legend")[-1]
        for name in ("signing", "reread")
    }
    assert legends == {"signing": "Who signs", "reread": "What is read again"}
    assert len(select(page, "input[type=radio][name=signing]")) == 2


@pytest.mark.parametrize(
    ("signing", "reread"),
    [
        (Campaign.Signing.AGAIN, Campaign.Reread.WRONG),
        (Campaign.Signing.AGAIN, Campaign.Reread.ALL),
        (Campaign.Signing.MISSING, Campaign.Reread.ALL),
    ],
)
def test_setting_up_keeps_who_signs_and_what_is_read_again(hr_client, version, signing, reread):
    hr_client.post(URL, _data(version, signing=signing, reread=reread))

    campaign = Campaign.objects.get()
    assert (campaign.signing, campaign.reread) == (signing, reread)


def test_a_request_without_who_signs_asks_everyone_to_sign_every_tip_again(hr_client, version):
    hr_client.post(URL, _data(version, signing=None, reread=None))

    campaign = Campaign.objects.get()
    assert (campaign.signing, campaign.reread) == (Campaign.Signing.AGAIN, Campaign.Reread.ALL)


def test_skipping_tips_is_refused_when_only_who_has_not_signed_signs(version):
    errors = _errors(version, signing=Campaign.Signing.MISSING, reread=Campaign.Reread.WRONG)

    assert errors == {
        "reread": [
            "Only people who sign again can skip tips. Choose “Every tip again”, or choose "
            "that everyone signs again."
        ]
    }


def test_an_unknown_choice_of_who_signs_is_refused(version):
    assert list(_errors(version, signing="everybody")) == ["signing"]


# Reminders after the due date ----------------------------------------------------------


def test_a_new_campaign_reminds_3_and_10_days_after_the_due_date(version):
    assert CampaignForm().initial["reminder_after_days"] == "3, 10"


def test_reminders_after_the_due_date_are_kept_earliest_first(hr_client, version):
    hr_client.post(URL, _data(version, reminder_after_days="10; 3 10"))

    assert Campaign.objects.get().reminder_after_days == [3, 10]


def test_no_reminders_after_the_due_date_when_left_empty(hr_client, version):
    hr_client.post(URL, _data(version, reminder_after_days=""))

    assert Campaign.objects.get().reminder_after_days == []


@pytest.mark.parametrize("text", ["3, x", "0", "366", "-3", "2.5"])
def test_reminders_after_the_due_date_must_be_whole_numbers_from_1_to_365(version, text):
    errors = _errors(version, language="nl", reminder_after_days=text)

    assert list(errors) == ["reminder_after_days"]
    assert "Vul hele getallen van 1 tot en met 365 in" in errors["reminder_after_days"][0]
    assert "“3, 10”" in errors["reminder_after_days"][0]


def test_the_schedule_page_shows_the_reminders_after_the_due_date(version):
    campaign = draft(version, reminder_after_days=[10, 3])

    assert ScheduleForm(campaign=campaign).initial["reminder_after_days"] == "3, 10"


def test_saving_the_schedule_changes_the_reminders_after_the_due_date_and_logs_it(
    hr_client, version
):
    campaign = draft(version, reminder_after_days=[3])

    response = hr_client.post(
        reverse("campaigns:schedule", args=[campaign.pk]),
        {"reminder_days": "7", "reminder_after_days": "2, 9", "manager_escalation_days": "5"},
    )

    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.reminder_after_days == [2, 9]
    event = CampaignEvent.objects.filter(kind=CampaignEvent.Kind.SCHEDULE_CHANGED).get()
    assert event.details["reminder_after_days"] == [2, 9]


def test_a_bad_day_after_the_due_date_saves_no_schedule(hr_client, version):
    campaign = draft(version, reminder_after_days=[3])

    response = hr_client.post(
        reverse("campaigns:schedule", args=[campaign.pk]),
        {"reminder_days": "7", "reminder_after_days": "drie"},
    )

    campaign.refresh_from_db()
    assert response.status_code == 400
    assert (campaign.reminder_days, campaign.reminder_after_days) == ([14, 3], [3])


def test_changing_the_schedule_without_days_after_keeps_them(version):
    campaign = draft(version, reminder_after_days=[3, 10])

    services.update_schedule(
        campaign=campaign,
        reminder_days=[5],
        manager_escalation_days=None,
        hr_escalation_days=None,
        by=None,
    )

    campaign.refresh_from_db()
    assert campaign.reminder_after_days == [3, 10]


# The campaign's page -----------------------------------------------------------------------


def _detail(client, campaign):
    return parse(client.get(reverse("campaigns:detail", args=[campaign.pk])))


def test_the_campaign_page_says_who_signs_and_what_is_read_again_in_dutch(hr_user, client, version):
    hr_user.preferred_language = "nl"
    hr_user.save()
    client.force_login(hr_user)
    campaign = draft(version, signing=Campaign.Signing.AGAIN, reread=Campaign.Reread.WRONG)

    page = _detail(client, campaign)

    assert text_of(page, "#campaign-signing") == (
        "Iedereen ondertekent opnieuw, ook wie deze versie al eerder ondertekende"
    )
    assert text_of(page, "#campaign-reread") == (
        "Alleen de tips van de vragen die ze de vorige keer fout hadden"
    )


def test_the_page_of_a_campaign_for_who_has_not_signed_says_nothing_about_reading_again(
    hr_user, client, version
):
    hr_user.preferred_language = "nl"
    hr_user.save()
    client.force_login(hr_user)
    campaign = draft(version, signing=Campaign.Signing.MISSING)

    page = _detail(client, campaign)

    assert text_of(page, "#campaign-signing") == "Alleen wie deze versie nog niet heeft ondertekend"
    assert not select(page, "#campaign-reread")


# A start no earlier than the version is in force ----------------------------------------


@pytest.fixture
def recent(db):
    """Version 2 of the guideline, in force since three days ago."""
    first = quiz_version(tips=1, effective_date=day(-400), guideline=GuidelineFactory(title=TITLE))
    return quiz_version(tips=1, number=2, guideline=first.guideline, effective_date=day(-3))


def test_the_form_refuses_a_start_before_the_version_is_in_force_naming_it(recent):
    with translation.override("nl"):
        in_words = date_format(recent.effective_date, "DATE_FORMAT")  # "4 december 2026"

    errors = _errors(recent, language="nl", start_date=day(-10).isoformat())

    assert errors == {
        "start_date": [
            f"Versie 2 van “{TITLE}” geldt pas vanaf {in_words}. Kies die datum of later als "
            "startdatum."
        ]
    }


def test_a_start_on_the_day_the_version_comes_in_force_is_accepted(recent):
    assert _errors(recent, start_date=recent.effective_date.isoformat()) == {}


def test_the_form_page_refuses_an_early_start_and_saves_nothing(hr_client, recent):
    response = hr_client.post(URL, _data(recent, start_date=day(-10).isoformat()))

    assert response.status_code == 400
    assert not Campaign.objects.exists()
    assert "#id_start_date" in dict(error_summary(parse(response)))


def test_a_forged_request_for_a_version_not_in_force_yet_changes_nothing(hr_client, version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))

    response = hr_client.post(URL, _data(later, start_date=day(0).isoformat()))

    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_setting_up_a_campaign_before_its_version_is_in_force_is_refused(version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))

    with translation.override("en"), pytest.raises(CampaignError) as refused:
        draft(later, start_date=day(10), deadline=day(90))

    assert "Version 2 of “Handreiking gebruik sociale media” is in force only from" in str(
        refused.value
    )
    assert not Campaign.objects.exists()


def test_a_campaign_may_be_set_up_ahead_to_start_when_its_version_comes_in_force(version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))

    campaign = draft(later, start_date=day(60), deadline=day(90))

    assert campaign.start_date == later.effective_date


def _old_draft(version, *, start_date) -> Campaign:
    """A draft as one set up before the rule could have it: made directly."""
    campaign = Campaign.objects.create(
        name="Oude jaarronde",
        start_date=start_date,
        deadline=day(90),
        signing=Campaign.Signing.AGAIN,
    )
    CampaignGuideline.objects.create(
        campaign=campaign, guideline=version.guideline, version=version
    )
    return campaign


def test_launching_a_campaign_that_starts_before_its_version_is_in_force_is_refused(version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))
    campaign = _old_draft(later, start_date=day(0))

    with pytest.raises(CampaignError):
        services.launch_campaign(campaign=campaign, by=None)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Assignment.objects.exists()


def test_a_forged_launch_of_such_a_campaign_changes_nothing(hr_client, version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))
    campaign = _old_draft(later, start_date=day(0))

    response = hr_client.post(reverse("campaigns:launch", args=[campaign.pk]))

    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.status == Campaign.Status.DRAFT
    assert not Assignment.objects.exists()
    assert not CampaignEvent.objects.filter(kind=CampaignEvent.Kind.LAUNCHED).exists()


def test_a_campaign_set_up_ahead_is_launched_before_its_version_is_in_force(version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(60))
    campaign = draft(later, start_date=day(60), deadline=day(90))

    services.launch_campaign(campaign=campaign, by=None)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING


def test_a_campaign_launched_before_its_version_is_in_force_is_refused(version):
    later = quiz_version(tips=1, number=2, guideline=version.guideline, effective_date=day(0))
    campaign = _old_draft(later, start_date=day(-40))

    with pytest.raises(CampaignError):
        services.launch_campaign(campaign=campaign, by=None, now=at(-40))

    assert not Assignment.objects.exists()


def test_the_service_lets_a_start_date_in_the_past_ask_from_the_launch(recent):
    """Nobody is asked anything before the launch, when the version is in force: only
    the form holds HR to a start date on or after the effective date."""
    campaign = draft(recent, start_date=day(-10))

    services.launch_campaign(campaign=campaign, by=None)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
