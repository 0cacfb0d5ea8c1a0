from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcknowledgementsConfig(AppConfig):
    name = "acknowledgements"
    verbose_name = _("Acknowledgements")

    def ready(self):
        from acknowledgements.selectors.reacknowledgement import changes_quiz_tip_ids
        from acknowledgements.selectors.rounds import quiz_counts_from
        from acknowledgements.services.reading import tip_viewed_receiver
        from handbook.signals import tip_viewed
        from quizzes.hooks import register_changes_quiz_rule, register_counts_from_rule

        tip_viewed.connect(tip_viewed_receiver, dispatch_uid="acknowledgements.record_tip_read")
        # Who may take the quiz on the changes is who must sign again: one rule, the
        # ledger's, which quizzes (below this app) may not import.
        register_changes_quiz_rule(changes_quiz_tip_ids)
        register_counts_from_rule(quiz_counts_from)

        from acknowledgements import triggers
        from portal.triggers import register_trigger_check, register_trigger_set

        register_trigger_check(triggers, check_id="acknowledgements.E001")
        register_trigger_set(triggers.EVIDENCE, check_id="acknowledgements.E001")

        # What the portal keeps about a person (AVG art. 15): the categories of this app
        # and of the apps below it; the apps above register theirs (portal.personal_data).
        from acknowledgements.selectors.personal_data import register_categories

        register_categories()
