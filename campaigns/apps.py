from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from people.signals import employees_arrived

        employees_arrived.connect(
            _put_arrivals_under_onboarding_rule, dispatch_uid="campaigns.onboarding_on_import"
        )

        from acknowledgements.signals import personal_data_erased

        personal_data_erased.connect(
            _erase_exemption_reasons, dispatch_uid="campaigns.erase_exemption_reasons"
        )

        from acknowledgements.hooks import register_signing_round
        from campaigns.selectors.signing_round import open_rounds, round_names, signing_round

        # Every ledger entry names the round it answers: a rule of the campaigns, which
        # the ledger (below this app) may not import.
        register_signing_round(signing_round, names=round_names, open_rounds=open_rounds)

        from campaigns import triggers as progress
        from portal.triggers import register_trigger_check, register_trigger_set

        register_trigger_check(progress, check_id="campaigns.E001")
        register_trigger_set(progress.EVENTS, check_id="campaigns.E001")


def _put_arrivals_under_onboarding_rule(sender, *, employees, now, **kwargs):
    """The staff import's new and returning people get their onboarding assignment, in
    the import's transaction (the contract: people.signals)."""
    from campaigns.services import apply_onboarding_rule

    apply_onboarding_rule(employees=employees, now=now)


def _erase_exemption_reasons(sender, *, employees, now, **kwargs):
    """Erasing people's personal data clears their exemptions' reasons too, in the
    erasure's transaction (the contract: acknowledgements.signals)."""
    from campaigns.services import erase_exemption_reasons

    erase_exemption_reasons(employees=employees, now=now)
