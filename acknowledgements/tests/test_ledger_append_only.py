"""The database refuses to change or remove ledger entries and their content."""

import pytest
from django.db import IntegrityError, connection, transaction

from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.services import corrections
from acknowledgements.tests.factories import signed
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError as error:
        return "append-only" in str(error)
    return False


def _sql(statement: str, params: list):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run


def test_an_entry_cannot_be_updated_by_sql():
    record = signed()

    assert _refused(
        _sql(
            "UPDATE acknowledgements_ledgerentry SET content_digest = %s WHERE id = %s",
            ["0" * 64, record.pk],
        )
    )


def test_an_entry_cannot_be_updated_through_a_queryset():
    record = signed()

    assert _refused(lambda: LedgerEntry.objects.filter(pk=record.pk).update(kind="erasure"))


def test_an_entry_cannot_be_deleted_by_sql():
    record = signed()

    assert _refused(_sql("DELETE FROM acknowledgements_ledgerentry WHERE id = %s", [record.pk]))


def test_an_entry_cannot_be_deleted_through_a_queryset():
    signed()

    assert _refused(lambda: LedgerEntry.objects.all()._raw_delete(connection.alias))


def test_content_cannot_be_updated_by_sql():
    record = signed()

    assert _refused(
        _sql(
            "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
            ["Iemand", record.pk],
        )
    )


def test_content_cannot_be_updated_through_a_queryset():
    record = signed()

    assert _refused(lambda: Acknowledgement.objects.filter(pk=record.pk).update(reason="Achteraf"))


def test_content_cannot_be_deleted_by_sql():
    record = signed()

    assert _refused(
        _sql("DELETE FROM acknowledgements_acknowledgement WHERE entry_id = %s", [record.pk])
    )


def test_content_cannot_be_deleted_through_a_queryset():
    record = signed()

    assert _refused(lambda: Acknowledgement.objects.filter(pk=record.pk).delete())


def test_content_can_be_deleted_once_an_erasure_entry_refers_to_it():
    record = signed()
    hr = EmployeeFactory(hr=True)
    # erase_personal_data appends the erasure entry and then deletes: the database lets it.
    corrections.erase_personal_data(entry=record.entry, recorded_by=hr, reason="AVG")

    assert not Acknowledgement.objects.filter(pk=record.pk).exists()
