from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from portal.triggers import register_trigger_check
        from quizzes import triggers

        register_trigger_check(triggers, check_id="quizzes.E001")
