from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from handbook.signals import draft_created
        from portal.triggers import register_trigger_set
        from quizzes import triggers
        from quizzes.services.quiz_settings import copy_settings_receiver

        register_trigger_set(triggers.EVENTS, check_id="quizzes.E001")
        # A new draft keeps the quiz settings of the version it is based on.
        draft_created.connect(copy_settings_receiver, dispatch_uid="quizzes.copy_settings")
