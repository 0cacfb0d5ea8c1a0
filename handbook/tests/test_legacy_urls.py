"""The addresses from when the portal held one guideline (/handreiking/...) keep working:
each redirects (302, query string kept) to the same page of the default guideline."""

import pytest
from django.urls import reverse

from handbook.tests.factories import GuidelineFactory, published_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "name", "kwargs"),
    [
        ("/handreiking/", "current", {}),
        ("/handreiking/tips/3/", "current_tip", {"tip": 3}),
        ("/handreiking/versies/", "history", {}),
        ("/handreiking/versies/1/", "version", {"number": 1}),
        ("/handreiking/versies/1/tips/2/", "tip", {"number": 1, "tip": 2}),
        ("/handreiking/versies/1/afdrukken/", "print", {"number": 1}),
        ("/handreiking/versies/1/pdf/", "pdf", {"number": 1}),
        ("/handreiking/vergelijken/", "diff", {}),
        ("/handreiking/redactie/", "editor", {}),
        ("/handreiking/versies/2/bewerken/", "edit", {"number": 2}),
        ("/handreiking/versies/2/publiceren/", "publish", {"number": 2}),
        ("/handreiking/versies/1/intrekken/", "retire", {"number": 1}),
        ("/handreiking/versies/2/weggooien/", "discard", {"number": 2}),
    ],
)
def test_an_old_address_redirects_to_the_same_page_of_the_default_guideline(
    client, version_one, old, name, kwargs
):
    GuidelineFactory(slug="aaa-eerst", title="Aaa eerst op naam")  # not the default

    response = client.get(old)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        f"handbook:{name}", kwargs={"guideline": "sociale-media", **kwargs}
    )


def test_an_old_address_keeps_its_query_string(client, version_one):
    response = client.get("/handreiking/vergelijken/?van=1&naar=2&taal=en")

    assert response["Location"] == "/handreikingen/sociale-media/vergelijken/?van=1&naar=2&taal=en"


def test_an_old_address_leads_to_the_only_guideline_when_there_is_no_social_media_one(
    client,
):
    published_version(GuidelineFactory(slug="privacy", title="Privacy"))

    response = client.get("/handreiking/versies/")

    assert response["Location"] == "/handreikingen/privacy/versies/"


def test_an_old_address_without_any_guideline_leads_to_the_list(client, db):
    response = client.get("/handreiking/tips/1/")

    assert response["Location"] == reverse("handbook:list")


def test_an_old_address_cannot_be_turned_into_a_redirect_to_another_site(client, version_one):
    response = client.get("/handreiking//evil.example/")

    assert response["Location"] == "/handreikingen/sociale-media/evil.example/"
