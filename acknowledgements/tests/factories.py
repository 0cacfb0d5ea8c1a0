"""Helpers for ledger tests: a version an employee may sign, and signed records.

employee = EmployeeFactory(first_name="Jan", last_name="Jansen")
version = ready_to_sign(employee)        published, every tip read, quiz passed
ack = signed(employee, version)          through services.sign_version
read_all_tips(employee, version)         TipRead rows, directly
"""

from __future__ import annotations

from acknowledgements import services
from acknowledgements.models import Acknowledgement, TipRead
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt


def read_all_tips(employee, version, *, except_numbers=()) -> None:
    TipRead.objects.bulk_create(
        TipRead(employee=employee, tip=tip)
        for tip in version.tips.order_by("number")
        if tip.number not in except_numbers
    )


def ready_to_sign(
    employee, version=None, *, read=True, passed=True, tips: int = 3, **quiz_settings
):
    """A published version with a question bank; the employee read every tip (``read``)
    and passed the quiz (``passed``; False: one failed attempt)."""
    version = version or quiz_version(tips=tips, **quiz_settings)
    if read:
        read_all_tips(employee, version)
    if passed is not None:
        submitted_attempt(employee=employee, version=version, right=bool(passed))
    return version


def signed(employee=None, version=None, *, language: str = "nl", **kwargs) -> Acknowledgement:
    """An acknowledgement made by signing, as the employee would."""
    employee = employee or EmployeeFactory()
    if version is None:
        version = ready_to_sign(employee)
    return services.sign_version(
        employee=employee,
        version=version,
        language=language,
        typed_name=employee.full_name,
        confirmed=True,
        **kwargs,
    )


def behind_the_portals_back(sql: str, params: list) -> None:
    """Run ``sql`` with the ledger's append-only triggers set aside, as someone with
    direct database access would (transactional tests only: DDL around it)."""
    from django.db import connection

    from acknowledgements import triggers

    with connection.schema_editor() as editor:
        triggers.uninstall(None, editor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    with connection.schema_editor() as editor:
        triggers.install(None, editor)


def move_head_behind_the_portals_back(**fields) -> None:
    """Set the ledger head's ``fields`` as someone with direct database access would:
    the trigger that lets the head only move forward (acknowledgements.triggers) is set
    aside for the one statement. Plain SQL: also inside a test's transaction."""
    from django.db import connection

    from acknowledgements import triggers
    from acknowledgements.models import LedgerHead

    (forward,) = [
        trigger
        for trigger in triggers.evidence_triggers(connection.vendor, triggers.tables())
        if trigger.name == "ledger_head_forward"
    ]
    with connection.cursor() as cursor:
        for statement in forward.drop:
            cursor.execute(statement)
        LedgerHead.objects.update(**fields)
        for statement in forward.create:
            cursor.execute(statement)


def signed_in_format_1(employee=None, version=None, **kwargs) -> Acknowledgement:
    """A signature as the code before entry format 2 recorded it (acknowledgements.ledger):
    its content hashed with format 1's 19 keys, no campaign, its entry marked format 1
    (what migration 0009 gives every earlier entry). The bytes of format 1 are pinned by
    the worked example in docs/ledger-format.md (test_ledger_export)."""
    from unittest import mock

    from acknowledgements import ledger

    with mock.patch.object(ledger, "FORMAT_VERSION", 1):
        record = signed(employee, version, **kwargs)
    assert record.entry.format_version == 1  # noqa: S101
    assert record.campaign_id is None  # noqa: S101 (format 1 cannot hold one)
    return record
