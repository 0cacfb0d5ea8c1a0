"""The register of personal data (portal.personal_data) covers every model that links to
a person: a model with a foreign key to the user model, in our apps or a third party's,
is in a registered category or left out on purpose with the reason (AVG art. 15)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import translation

from portal import personal_data as register


def models_linking_to_a_person() -> set[str]:
    """Every concrete model (also the tables Django makes for a many-to-many) with a
    foreign key or one-to-one field to the user model."""
    user = get_user_model()
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.abstract or model._meta.proxy:
            continue
        if any(
            field.concrete and field.is_relation and field.related_model is user
            for field in model._meta.get_fields()
        ):
            found.add(model._meta.label)
    return found


def uncovered() -> set[str]:
    covered = {label for category in register.categories() for label in category.models}
    return models_linking_to_a_person() - covered - set(register.exclusions())


def test_every_model_that_links_to_a_person_is_exported_or_left_out_with_a_reason():
    assert models_linking_to_a_person() >= {"campaigns.Reminder", "mfa.Authenticator"}

    assert not uncovered(), (
        f"{sorted(uncovered())} link to a person but are in no category of the register of "
        "personal data: register them (portal.personal_data.register, in the app's "
        "AppConfig.ready()) or exclude them with the reason."
    )


def test_the_walk_fails_when_a_category_is_not_registered():
    category = register.unregister("reminders")
    try:
        assert uncovered() == {"campaigns.Reminder"}
    finally:
        register.register(category)
    assert not uncovered()


def test_the_walk_covers_the_log_in_apps_models_too():
    category = register.unregister("sign_in")
    try:
        assert uncovered() == {
            "account.EmailAddress",
            "mfa.Authenticator",
            "socialaccount.SocialAccount",
        }
    finally:
        register.register(category)


def test_every_model_the_register_names_exists():
    named = {label for category in register.categories() for label in category.models}
    named |= set(register.exclusions())

    missing = {label for label in named if not _exists(label)}

    assert not missing


def _exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def test_every_exclusion_says_why_in_dutch_too():
    with translation.override("nl"):
        dutch = register.exclusions()
    with translation.override("en"):
        english = register.exclusions()

    assert {"sessions.Session", "socialaccount.SocialToken"} <= set(dutch)
    assert all(dutch[model] and dutch[model] != english[model] for model in dutch)


def test_a_model_cannot_be_both_covered_and_excluded():
    with pytest.raises(ValueError):
        register.exclude("campaigns.Reminder", "no reason")


def test_a_second_category_with_a_key_in_use_is_refused():
    category = next(c for c in register.categories() if c.key == "reminders")
    twin = register.Category(
        key="reminders",
        label="x",
        contains="x",
        why="x",
        legal_ground="x",
        kept_for="x",
        models=(),
        collect=lambda employee: None,
    )

    with pytest.raises(ValueError):
        register.register(twin)
    assert next(c for c in register.categories() if c.key == "reminders") is category
