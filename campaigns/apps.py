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

        from acknowledgements.hooks import register_retained_items
        from acknowledgements.signals import retention_ended
        from campaigns.services import retention

        # A leaver's reminders go on the destruction list and, once it is approved and
        # carried out, are removed (the contract: acknowledgements.signals).
        register_retained_items("campaigns", retention.retained_items)
        retention_ended.connect(
            _remove_retained, dispatch_uid="campaigns.remove_retained_on_retention"
        )

        from acknowledgements.hooks import register_signing_round
        from campaigns.selectors.signing_round import open_rounds, round_names, signing_round

        # Every ledger entry names the round it answers: a rule of the campaigns, which
        # the ledger (below this app) may not import.
        register_signing_round(signing_round, names=round_names, open_rounds=open_rounds)

        from campaigns.selectors.personal_data import register_categories

        # What campaigns keep about a person, for the export of one's own data (AVG
        # art. 15), which the ledger (below this app) gathers from the register.
        register_categories()

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


def _remove_retained(sender, *, employee_ids, now, **kwargs):
    """A carried-out destruction list removes the leavers' reminders and mail log, in
    its transaction (the contract: acknowledgements.signals)."""
    from campaigns.services.retention import remove_retained

    remove_retained(employee_ids=employee_ids, now=now)
