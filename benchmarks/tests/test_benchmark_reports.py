"""manage.py benchmark_reports measures in a throwaway database of its own, or in one
that is filled already: small runs prove the tool works (the figures themselves are for
docs, not for tests)."""

import io
import json
import subprocess
import sys

from django.core.management import call_command

from benchmarks.management.commands.benchmark_reports import PSS_EVERY, TreeSampler
from people.models import Employee


def test_the_benchmark_fills_its_own_database_and_prints_a_table(db):
    out = io.StringIO()

    call_command("benchmark_reports", employees=12, formats="csv", stdout=out)

    table = out.getvalue()
    assert "| Format | Employees | Time | Peak memory | File size |" in table
    assert "| CSV | 12 |" in table
    assert not Employee.objects.exists()  # the test database was not touched


def test_a_filled_database_is_measured_as_it_is_the_pdf_in_parts_with_its_workers(db, tmp_path):
    url = f"sqlite:///{tmp_path}/filled.sqlite3"
    first, second = io.StringIO(), io.StringIO()

    call_command("benchmark_reports", employees=12, formats="csv", database_url=url, stdout=first)
    call_command(
        "benchmark_reports",
        employees=99,
        formats="pdf-parts",
        database_url=url,
        json=str(tmp_path / "figures.json"),
        stdout=second,
    )

    assert "Filling a database with 12 employees" in first.getvalue()
    assert "Filling" not in second.getvalue()
    assert "Measuring the running campaign" in second.getvalue()
    assert "| PDF, in parts | 12 |" in second.getvalue()
    [result] = json.loads((tmp_path / "figures.json").read_text())["results"]
    assert result["format"] == "pdf-parts"
    assert result["rows"] == 12
    assert result["peak_processes"] >= 2  # the command and the PDF workers' fork server
    # Not compared with each other: Linux keeps a process's peak across fork and exec, so
    # in a long test run the command's own peak starts at pytest's size (hundreds of MiB).
    assert result["peak_tree_rss_mib"] > 0
    assert result["parent_maxrss_mib"] > 0


def test_the_sampler_reads_the_cheap_resident_size_often_and_the_proportional_size_seldom():
    # A child that holds 64 MiB for a second: both sizes see it.
    child = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import time; b = bytearray(64 << 20); time.sleep(1.2)"]
    )
    sampler = TreeSampler(child.pid)
    child.wait(timeout=30)
    peaks = sampler.stop()

    assert sampler.samples > PSS_EVERY  # ten a second
    assert peaks["rss"] > 64 << 20
    assert peaks["pss"] > 64 << 20
