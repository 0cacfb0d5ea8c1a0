"""The handbook's audit trail holds no free text about a person, so that it can stay
append-only (0005_refuse_truncate_and_replace, which therefore comes after this one):
a retirement's reason stays on its RetirementRequest, which the events name by id, and
a review reminder names its recipient by id, not by e-mail address. Data only;
reversible (the reasons and addresses are read back from the rows).
"""

from django.conf import settings
from django.db import migrations

RETIREMENT = ["retirement_requested", "retired"]
REVIEW = "review_reminder_sent"


def _update(model, event, details):
    model.objects.filter(pk=event.pk).update(details=details)


def move_text_out(apps, schema_editor):
    HandbookEvent = apps.get_model("handbook", "HandbookEvent")
    Employee = apps.get_model(settings.AUTH_USER_MODEL)
    for event in HandbookEvent.objects.filter(kind__in=RETIREMENT).iterator():
        details = dict(event.details or {})
        if "reason" in details:
            del details["reason"]
            _update(HandbookEvent, event, details)
    for event in HandbookEvent.objects.filter(kind=REVIEW).iterator():
        details = dict(event.details or {})
        recipient = details.get("recipient")
        if isinstance(recipient, str):
            owner = Employee.objects.filter(email__iexact=recipient).order_by("pk").first()
            details["recipient"] = owner.pk if owner is not None else None
            _update(HandbookEvent, event, details)


def move_text_back(apps, schema_editor):
    HandbookEvent = apps.get_model("handbook", "HandbookEvent")
    RetirementRequest = apps.get_model("handbook", "RetirementRequest")
    Employee = apps.get_model(settings.AUTH_USER_MODEL)
    for event in HandbookEvent.objects.filter(kind__in=RETIREMENT).iterator():
        details = dict(event.details or {})
        request = RetirementRequest.objects.filter(pk=details.get("request")).first()
        if request is not None and "reason" not in details:
            details["reason"] = request.reason
            _update(HandbookEvent, event, details)
    for event in HandbookEvent.objects.filter(kind=REVIEW).iterator():
        details = dict(event.details or {})
        recipient = details.get("recipient")
        if isinstance(recipient, int):
            owner = Employee.objects.filter(pk=recipient).first()
            details["recipient"] = owner.email if owner is not None else ""
            _update(HandbookEvent, event, details)


class Migration(migrations.Migration):
    dependencies = [
        ("handbook", "0003_retirement_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_text_out, move_text_back, elidable=False),
    ]
