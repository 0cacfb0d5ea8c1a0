from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from acknowledgements.models import DestructionList
from acknowledgements.services.destruction import carry_out_destruction


class Command(BaseCommand):
    help = (
        "Carry out an approved destruction list (vernietigingslijst): remove what is on "
        "it and still due, in one transaction. Refused without a recorded approval "
        "(verklaring van vernietiging), for a superseded list or one proposed more than "
        "RETENTION_DESTRUCTION_LIST_VALID_DAYS days ago. Without --list: every approved "
        "list not carried out yet. A list carried out before is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", type=int, default=None, help="The list's number.")

    def handle(self, *args, list: int | None, **options):  # noqa: A002 (the option's name)
        if list is not None:
            try:
                lists = [DestructionList.objects.get(pk=list)]
            except DestructionList.DoesNotExist as exc:
                raise CommandError(f"There is no destruction list {list}.") from exc
        else:
            lists = DestructionList.objects.filter(status=DestructionList.Status.APPROVED).order_by(
                "proposed_at", "pk"
            )
        for destruction_list in lists:
            was_done = destruction_list.status == DestructionList.Status.CARRIED_OUT
            try:
                with translation.override(settings.LANGUAGE_CODE):
                    done = carry_out_destruction(
                        destruction_list=destruction_list, carried_out_by=None
                    )
            except (PermissionDenied, ValidationError) as exc:
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                raise CommandError(
                    f"Destruction list {destruction_list.pk} was not carried out: {message}"
                ) from exc
            if was_done:
                self.stdout.write(
                    f"Destruction list {done.pk} was carried out before: nothing to do."
                )
                continue
            result = done.result
            self.stdout.write(
                f"Destruction list {done.pk} carried out: {result['employees']} employees "
                f"pseudonymised, {result['acknowledgements']} acknowledgements erased, "
                f"{result['attempts']} quiz attempts removed; list "
                f"{settings.MEDIA_ROOT}/{result['file']}."
            )
