"""portal.mail.templated_email: the one way the portal builds an e-mail."""

from portal.mail import templated_email


def test_the_mail_has_text_html_a_one_line_subject_and_its_headers(settings):
    settings.DEFAULT_FROM_EMAIL = "portal@voorbeeldstad.nl"

    message = templated_email(
        "handbook/email/review_reminder",
        {"guideline": None, "owner": None, "review_date": None, "days_left": 3},
        to=["eigenaar@voorbeeldstad.nl"],
        language="en",
        headers={"Message-ID": "<x@voorbeeldstad.nl>"},
    )

    assert "\n" not in message.subject and message.subject
    assert message.to == ["eigenaar@voorbeeldstad.nl"]
    assert message.from_email == "portal@voorbeeldstad.nl"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "<html" in html
    assert message.extra_headers == {"Message-ID": "<x@voorbeeldstad.nl>"}


def test_the_mail_is_written_in_the_language_asked_for(settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Gemeente Testdorp"
    context = {"guideline": None, "owner": None, "review_date": None, "days_left": 3}

    dutch = templated_email("handbook/email/review_reminder", context, to=["a@b.nl"], language="nl")
    english = templated_email(
        "handbook/email/review_reminder", context, to=["a@b.nl"], language="en"
    )

    assert dutch.body != english.body
    assert "Gemeente Testdorp" in english.body
