"""acknowledgements.hooks: the rule of the round a signature answers, which campaigns
registers (campaigns.apps)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from acknowledgements import hooks
from campaigns.selectors.signing_round import signing_round


@pytest.fixture
def no_rule(monkeypatch):
    monkeypatch.setattr(hooks, "_signing_round_rule", None)
    monkeypatch.setattr(hooks, "_round_names_rule", None)
    monkeypatch.setattr(hooks, "_open_rounds_rule", None)


def test_the_campaigns_register_their_rule_when_the_portal_starts():
    assert hooks._signing_round_rule is signing_round


@pytest.mark.usefixtures("no_rule")
def test_signing_without_a_registered_rule_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="signing round"):
        hooks.signing_round(employee=None, version=None)


@pytest.mark.usefixtures("no_rule")
def test_a_registered_rule_answers_with_the_employee_and_the_version():
    asked = []
    answer = hooks.SigningRound(campaign_id=7, name="Herbevestiging")
    hooks.register_signing_round(
        lambda *, employee, version: asked.append((employee, version)) or answer,
        names=lambda *, ids: {},
        open_rounds=lambda *, employee: {},
    )

    assert hooks.signing_round(employee="anna", version="v2") == answer
    assert asked == [("anna", "v2")]
