"""manage.py import_acknowledgements: records from an earlier system, all or nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from acknowledgements.models import Acknowledgement
from acknowledgements.selectors.verification import verify_chain
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def version():
    return quiz_version(tips=2)


@pytest.fixture
def staff():
    return [EmployeeFactory(employee_number=n) for n in ("1001", "1002")]


def _import(tmp_path, text: str, *, encoding="utf-8", **options) -> str:
    path = tmp_path / "oud.csv"
    path.write_bytes(text.encode(encoding))
    out = io.StringIO()
    call_command("import_acknowledgements", str(path), stdout=out, **options)
    return out.getvalue()


def test_rows_are_recorded_as_imported_and_the_chain_verifies(tmp_path, version, staff):
    output = _import(
        tmp_path,
        f"\ufeffPersoneelsnummer;Versie;Datum\n1001;{version.number};15-03-2024\n"
        f"1002;{version.number};2024-03-16\n",
    )

    records = Acknowledgement.objects.order_by("employee__employee_number")
    assert [r.method for r in records] == ["imported", "imported"]
    assert [r.signed_at.date().isoformat() for r in records] == ["2024-03-15", "2024-03-16"]
    assert "2 acknowledgements recorded" in output
    assert verify_chain().ok


def test_a_comma_separated_windows_file_with_english_headers_is_read(tmp_path, version, staff):
    _import(
        tmp_path,
        f"employee_number,version,signed_on\n1001,{version.number},01-02-2024\n",
        encoding="cp1252",
    )

    assert Acknowledgement.objects.count() == 1


def test_a_file_with_one_bad_row_is_refused_whole_with_lines_and_reasons(tmp_path, version, staff):
    text = (
        "personeelsnummer;versie;datum\n"
        f"1001;{version.number};15-03-2024\n"
        f"9999;{version.number};15-03-2024\n"
        "1002;42;31-02-2024\n"
    )

    with pytest.raises(CommandError) as refused:
        _import(tmp_path, text)

    message = str(refused.value)
    assert "line 3: No employee has number 9999." in message
    assert "line 4: There is no published version 42." in message
    assert "line 4: “31-02-2024” is not a date" in message
    assert not Acknowledgement.objects.exists()


def test_a_future_date_and_a_duplicate_row_are_refused(tmp_path, version, staff):
    text = (
        "personeelsnummer;versie;datum\n"
        f"1001;{version.number};01-01-2099\n"
        f"1002;{version.number};01-01-2024\n"
        f"1002;{version.number};02-01-2024\n"
    )

    with pytest.raises(CommandError) as refused:
        _import(tmp_path, text)

    assert "line 2: The date 2099-01-01 lies in the future." in str(refused.value)
    assert "line 4: This employee and version appear twice" in str(refused.value)
    assert not Acknowledgement.objects.exists()


def test_a_missing_column_is_named(tmp_path, version, staff):
    with pytest.raises(CommandError, match="“datum” is missing"):
        _import(tmp_path, "personeelsnummer;versie\n1001;1\n")


def test_importing_the_same_file_twice_records_nothing_the_second_time(tmp_path, version, staff):
    text = f"personeelsnummer;versie;datum\n1001;{version.number};15-03-2024\n"
    _import(tmp_path, text)

    output = _import(tmp_path, text)

    assert Acknowledgement.objects.count() == 1
    assert "0 acknowledgements recorded, 1 were already in the ledger" in output


def test_a_dry_run_records_nothing(tmp_path, version, staff):
    text = f"personeelsnummer;versie;datum\n1001;{version.number};15-03-2024\n"

    output = _import(tmp_path, text, dry_run=True)

    assert "1 rows are correct" in output
    assert not Acknowledgement.objects.exists()
