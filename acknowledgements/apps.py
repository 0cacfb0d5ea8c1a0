from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcknowledgementsConfig(AppConfig):
    name = "acknowledgements"
    verbose_name = _("Acknowledgements")

    def ready(self):
        from acknowledgements.reading import tip_viewed_receiver
        from handbook.signals import tip_viewed

        tip_viewed.connect(tip_viewed_receiver, dispatch_uid="acknowledgements.record_tip_read")
