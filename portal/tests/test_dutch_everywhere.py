"""Dutch everywhere in the Dutch interface.

Every page of the portal is asked for in Dutch by every role that may open it (the rows
and the world of test_access_matrix.py), and every message looked up while it is made
(the portal's, Django's, allauth's; in templates, views, forms, CSV and PDF downloads)
must have a Dutch translation (portal.testing.translations). Its text must not write a
date the English way ("7 Dec 2026", "December 7, 2026", "12/07/2026"), nor hold a part
marked as English (lang="en") but the language switch's "English", nor name a setting
(CAMPAIGN_ONBOARDING_DAYS).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings

from portal.testing.translations import (
    english_dates,
    english_parts,
    page_text,
    setting_names,
    untranslated_messages,
)
from portal.tests.test_access_matrix import GET_ROWS, ROLES, _build_world, reverse_in

# A page that answers 403 or 404 is asked for once (the error page in Dutch); pages
# that answer 200 by every role that may see them (each role sees its own parts).
SHOWN = 200
ERRORS = (403, 404)


def _visits():
    for row in GET_ROWS:
        roles = [
            role for role, expected in zip(ROLES, row.expected, strict=True) if expected == SHOWN
        ]
        if not roles:
            errors = [
                role
                for role, expected in zip(ROLES, row.expected, strict=True)
                if expected in ERRORS
            ]
            roles = errors[:1]
        if roles:
            yield pytest.param(row, roles, id=row.id)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The users and objects of test_access_matrix.py, made once for the module."""
    media_root = tmp_path_factory.mktemp("dutch-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        built = _build_world()
        built["media_root"] = media_root
        _change_the_draft(built)
        yield built
        transaction.set_rollback(True)


def _change_the_draft(world: dict) -> None:
    """The draft's first tip gets words of its own, so that the pages comparing it with
    the version in force show an insertion and a deletion."""
    from handbook.models import Tip

    tip = Tip.objects.get(
        version__guideline__slug=world["guideline"], version__number=world["v2"], number=1
    )
    Tip.objects.filter(pk=tip.pk).update(text=f"Nieuw begin. {tip.text.split(' ', 1)[-1]}")


@pytest.fixture(autouse=True)
def _world_files(_media_root, settings, world, db):
    settings.MEDIA_ROOT = world["media_root"]


def _client(role: str, world: dict) -> Client:
    from people.tests.factories import login_with_second_factor

    client = Client(headers={"accept-language": "nl"})
    user = world["users"][role]
    if user is not None:
        login_with_second_factor(client, user)
    return client


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(("row", "roles"), list(_visits()))
def test_every_page_is_wholly_dutch(world, row, roles):
    url = reverse_in(world, row.name, row.kwargs)
    english = {}
    with untranslated_messages("nl") as missing:
        for role in roles:
            missing.where = f"GET {url} as {role}"
            response = _client(role, world).get(url)
            body = _body(response)
            if response.get("Content-Type", "").startswith("text/html"):
                html = body.decode()
                text = page_text(html)
                found = english_dates(text) + english_parts(html) + setting_names(text)
                if found:
                    english[missing.where] = found

    assert not missing, missing.report()
    assert not english, f"English dates, parts in English or setting names: {english}"
