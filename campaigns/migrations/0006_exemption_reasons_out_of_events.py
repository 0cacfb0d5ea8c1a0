"""Exemptions get a row of their own (Exemption) that keeps the reason, and the audit
trail keeps only its id: CampaignEvent holds no free text about a person, so that it can
stay append-only (0007_append_only_events, which therefore comes after this one) while
an erasure clears the reasons.

The data move: each "exempted" event's reason and each "exemption_lifted" event's
previous reason go to an Exemption row (who and when from the events), the events refer
to it; an exemption in force without an event gets a row too. A failed mail's error text
(which can name the recipient's address) in "reminder_retried" events becomes the
error's kind. Reversible: the reasons go back into the events (the error kind stays a
kind: the text it came from is gone).
"""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

EXEMPTED = "exempted"
LIFTED = "exemption_lifted"
RETRIED = "reminder_retried"
ERROR_KIND = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,63}):")


def _error_kind(text):
    match = ERROR_KIND.match(text or "")
    return match.group(1) if match else "other"


def move_reasons_out(apps, schema_editor):
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    Exemption = apps.get_model("campaigns", "Exemption")
    Assignment = apps.get_model("campaigns", "Assignment")
    in_force = {}
    events = CampaignEvent.objects.filter(kind__in=[EXEMPTED, LIFTED]).order_by("at", "pk")
    for event in events.iterator():
        details = dict(event.details or {})
        if event.kind == EXEMPTED:
            reason = details.pop("reason", "")
        else:
            reason = details.pop("previous_reason", "")
        if event.assignment_id is not None:
            exemption = in_force.pop(event.assignment_id, None)
            if exemption is None:
                exemption = Exemption.objects.create(
                    assignment_id=event.assignment_id,
                    reason=reason or "",
                    exempted_by_id=event.actor_id if event.kind == EXEMPTED else None,
                    exempted_at=event.at,
                )
            if event.kind == EXEMPTED:
                in_force[event.assignment_id] = exemption
            else:
                Exemption.objects.filter(pk=exemption.pk).update(
                    lifted_by_id=event.actor_id, lifted_at=event.at
                )
            details["exemption"] = exemption.pk
        CampaignEvent.objects.filter(pk=event.pk).update(details=details)
    without_event = Assignment.objects.filter(exempted_at__isnull=False).exclude(
        pk__in=list(in_force)
    )
    for assignment in without_event.iterator():
        Exemption.objects.create(
            assignment_id=assignment.pk,
            reason=assignment.exempt_reason,
            exempted_by_id=assignment.exempted_by_id,
            exempted_at=assignment.exempted_at,
        )
    for event in CampaignEvent.objects.filter(kind=RETRIED).iterator():
        details = dict(event.details or {})
        if "previous_error" in details:
            details["previous_error_kind"] = _error_kind(details.pop("previous_error"))
            CampaignEvent.objects.filter(pk=event.pk).update(details=details)


def move_reasons_back(apps, schema_editor):
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    Exemption = apps.get_model("campaigns", "Exemption")
    reasons = dict(Exemption.objects.values_list("pk", "reason"))
    for event in CampaignEvent.objects.filter(kind__in=[EXEMPTED, LIFTED]).iterator():
        details = dict(event.details or {})
        if "exemption" not in details:
            continue
        reason = reasons.get(details.pop("exemption"), "")
        details["reason" if event.kind == EXEMPTED else "previous_reason"] = reason
        CampaignEvent.objects.filter(pk=event.pk).update(details=details)
    for event in CampaignEvent.objects.filter(kind=RETRIED).iterator():
        details = dict(event.details or {})
        if "previous_error_kind" in details:
            details["previous_error"] = details.pop("previous_error_kind")
            CampaignEvent.objects.filter(pk=event.pk).update(details=details)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_assignment_fillfactor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Exemption",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason for exemption")),
                ("exempted_at", models.DateTimeField(verbose_name="exempted at")),
                (
                    "lifted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="lifted at"),
                ),
                (
                    "reason_erased_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reason erased at"),
                ),
                (
                    "assignment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exemptions",
                        to="campaigns.assignment",
                        verbose_name="assignment",
                    ),
                ),
                (
                    "exempted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="exempted by",
                    ),
                ),
                (
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="lifted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "exemption",
                "verbose_name_plural": "exemptions",
                "ordering": ["-exempted_at", "-pk"],
            },
        ),
        migrations.RunPython(move_reasons_out, move_reasons_back, elidable=False),
    ]
