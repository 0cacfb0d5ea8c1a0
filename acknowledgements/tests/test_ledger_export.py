"""The auditor's kit: the ledger's export (command and download) and the verifier
``scripts/verify-ledger-export.py``, which checks it without the portal.

The verifier runs as an auditor would: a separate Python started with ``-I -S``
(isolated, without site-packages), so neither Django nor any part of the portal can be
imported by it, in a folder of its own.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from acknowledgements import ledger
from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.export import export_lines
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services import corrections
from acknowledgements.tests.factories import behind_the_portals_back, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify-ledger-export.py"
URL = "/grootboek/exporteren/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _ledger() -> dict:
    """Two versions, signatures in Dutch and English, an erasure (entry 3 erases 2) and
    a correction (entry 6 corrects 5)."""
    hr = EmployeeFactory(hr=True)
    anna, bram, cor = EmployeeFactory(), EmployeeFactory(), EmployeeFactory()
    first = quiz_version()
    signed(anna, ready_to_sign(anna, first))
    erased = signed(bram, ready_to_sign(bram, first), language="en")
    corrections.erase_personal_data(entry=erased.entry, recorded_by=hr, reason="AVG-verzoek")
    second = quiz_version(number=2)  # in force from today, after the first
    signed(anna, ready_to_sign(anna, second), language="en")
    corrected = signed(cor, ready_to_sign(cor, second))
    corrections.correct(
        entry=corrected.entry, recorded_by=hr, reason="Typfout", typed_name="C. Jansen"
    )
    return {"hr": hr, "erased": erased.entry.sequence, "corrected": corrected.entry.sequence}


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "grootboek.jsonl"
    call_command("export_ledger", output=path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _verify(path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "-I", "-S", str(SCRIPT), str(path), *options],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=60,
        check=False,
    )


def _entry_line(lines: list[str], sequence: int) -> int:
    """The index in ``lines`` of entry ``sequence``."""
    for index, line in enumerate(lines):
        data = json.loads(line)
        if data["type"] == "entry" and data["sequence"] == sequence:
            return index
    raise AssertionError(f"no entry {sequence}")


def _rehash_from(lines: list[str], index: int) -> None:
    """Recompute every entry's hash from ``index`` on and the header's head, as whoever
    rewrites the file can: the chain alone cannot show it."""
    data = [json.loads(line) for line in lines]
    previous = data[index - 1]["record_hash"] if data[index - 1]["type"] == "entry" else "0" * 64
    for item in data[index:]:
        fields = {key: item[key] for key in ledger.ENTRY_KEYS}
        item["previous_hash"] = previous
        item["record_hash"] = previous = ledger.entry_hash(previous, fields)
    entries = [item for item in data if item["type"] == "entry"]
    data[0]["head"] = {"sequence": entries[-1]["sequence"], "record_hash": previous}
    lines[:] = [json.dumps(item, ensure_ascii=False) for item in data]


# --- the export ------------------------------------------------------------------------


def test_the_verifier_agrees_with_verify_chain_on_a_real_export(tmp_path):
    _ledger()
    result = verify_chain()

    run = _verify(_export(tmp_path))

    assert result.ok
    assert run.returncode == 0, run.stderr
    assert f"Intact: {result.checked} entries" in run.stdout
    assert f"Head: entry {result.head_sequence}, hash {result.head_hash}." in run.stdout


def test_the_export_starts_with_a_header_carrying_the_format_version_and_the_head(tmp_path):
    _ledger()

    header = json.loads(_lines(_export(tmp_path))[0])

    head = LedgerEntry.objects.order_by("sequence").last()
    assert header["type"] == "header"
    assert header["format_version"] == 1
    assert header["head"] == {"sequence": head.sequence, "record_hash": head.record_hash}
    assert header["exported_at"].endswith("+00:00")


def test_the_export_holds_each_signed_versions_text_in_dutch_and_english(tmp_path):
    _ledger()

    versions = [json.loads(line) for line in _lines(_export(tmp_path))[1:3]]

    assert [v["type"] for v in versions] == ["version", "version"]
    for version in versions:
        for language in ("nl", "en"):
            text = version["texts"][language]
            assert text["text_hash"] == hashlib.sha256(text["text"].encode()).hexdigest()
        assert "Tip 1: doe het goed." in version["texts"]["nl"]["text"]
        assert version["texts"]["nl"]["text"] != version["texts"]["en"]["text"]


def test_entries_follow_in_sequence_order_each_with_its_own_format_version(tmp_path):
    _ledger()

    entries = [json.loads(line) for line in _lines(_export(tmp_path))[3:]]

    assert [e["sequence"] for e in entries] == list(range(1, 7))
    assert {e["format_version"] for e in entries} == {ledger.FORMAT_VERSION}
    assert [e["kind"] for e in entries] == [
        "acknowledgement",
        "acknowledgement",
        "erasure",
        "acknowledgement",
        "acknowledgement",
        "correction",
    ]


def test_an_erased_entry_is_exported_without_its_content(tmp_path):
    facts = _ledger()

    lines = _lines(_export(tmp_path))

    erased = json.loads(lines[_entry_line(lines, facts["erased"])])
    assert erased["content"] is None
    assert erased["content_digest"] == LedgerEntry.objects.get(sequence=2).content_digest


def test_a_corrections_content_names_the_entry_it_corrects(tmp_path):
    facts = _ledger()

    lines = _lines(_export(tmp_path))

    correction = json.loads(lines[_entry_line(lines, 6)])
    assert correction["refers_to_sequence"] == facts["corrected"]
    assert correction["content"]["corrects_sequence"] == facts["corrected"]
    assert correction["content"]["typed_name"] == "C. Jansen"


def test_an_empty_ledger_exports_a_header_that_verifies(tmp_path):
    path = _export(tmp_path)

    run = _verify(path)

    assert _lines(path) == [_lines(path)[0]]
    assert json.loads(_lines(path)[0])["head"] == {"sequence": 0, "record_hash": "0" * 64}
    assert run.returncode == 0, run.stderr


def test_the_export_reads_a_fixed_number_of_queries_per_chunk(django_assert_num_queries):
    _ledger()
    lines = export_lines(chunk_size=2)

    # the head, the versions and their tips, then per chunk of two entries: the entries
    # (the entry each refers to joined in) and their contents.
    with django_assert_num_queries(3 + 2 * 3):
        assert len(list(lines)) == 1 + 2 + 6


def test_the_export_is_read_while_it_is_written(django_assert_num_queries):
    _ledger()
    lines = export_lines(chunk_size=2)

    with django_assert_num_queries(3 + 2):
        for _ in range(1 + 2 + 2):  # header, versions, the first chunk
            next(lines)


def test_the_command_records_the_export_in_the_security_log(tmp_path):
    _ledger()

    _export(tmp_path)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert event.details == {
        "action": "ledger_export",
        "via": "command",
        "format": "jsonl",
        "head_sequence": 6,
    }


def test_the_command_leaves_the_file_readable_by_its_owner_only(tmp_path):
    path = _export(tmp_path)

    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["grootboek.jsonl"]


# --- the verifier catches changes --------------------------------------------------------


def test_a_changed_content_field_is_named_by_its_line(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 1)
    lines[index] = lines[index].replace('"signed_at":"', '"signed_at":"1', 1)

    run = _verify(_write(tmp_path / "changed.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 1: its content does not match its digest" in run.stderr


def test_a_changed_entry_field_is_named_by_its_line(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 3)
    data = json.loads(lines[index])
    data["recorded_at"] = data["recorded_at"].replace("T", "T0", 1)[:-1]
    lines[index] = json.dumps(data)

    run = _verify(_write(tmp_path / "changed.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 3: its hash does not match its fields" in run.stderr


def test_a_reworded_version_text_is_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    lines[1] = lines[1].replace("doe het goed.", "doe het maar.", 1)

    run = _verify(_write(tmp_path / "changed.jsonl", lines))

    assert run.returncode == 1
    assert "line 2: version" in run.stderr
    assert "text does not match its text_hash" in run.stderr


def test_a_content_pointing_to_another_text_is_found_even_with_every_hash_recomputed(
    tmp_path,
):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 1)
    data = json.loads(lines[index])
    data["content"]["text_hash"] = "ab" * 32
    data["content_digest"] = hashlib.sha256(ledger.canonical_json(data["content"])).hexdigest()
    lines[index] = json.dumps(data)
    _rehash_from(lines, index)

    run = _verify(_write(tmp_path / "changed.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 1: the text hash is not that of version" in run.stderr


def test_a_removed_entry_line_is_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 3)
    del lines[index]

    run = _verify(_write(tmp_path / "removed.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 4 where entry 3 was expected" in run.stderr


def test_a_removed_version_line_is_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    del lines[1]

    run = _verify(_write(tmp_path / "removed.jsonl", lines))

    assert run.returncode == 1
    assert "is not in the export" in run.stderr


def test_reordered_lines_are_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 2)
    lines[index], lines[index + 1] = lines[index + 1], lines[index]

    run = _verify(_write(tmp_path / "reordered.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 3 where entry 2 was expected" in run.stderr


def test_a_cut_tail_is_found_when_the_header_still_names_the_head(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))[:-2]

    run = _verify(_write(tmp_path / "cut.jsonl", lines))

    assert run.returncode == 1
    assert f"line {len(lines) + 1}: the file ends after entry 4" in run.stderr


def test_without_an_anchor_a_cut_tail_with_a_matching_header_is_undetectable(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))[:-2]
    last = json.loads(lines[-1])
    lines[0] = json.dumps(
        {
            **json.loads(lines[0]),
            "head": {"sequence": last["sequence"], "record_hash": last["record_hash"]},
        }
    )

    run = _verify(_write(tmp_path / "cut.jsonl", lines))

    assert run.returncode == 0, run.stderr
    assert "Intact: 4 entries" in run.stdout


def test_with_an_anchor_a_cut_tail_with_a_matching_header_is_found(tmp_path):
    _ledger()
    head = LedgerEntry.objects.order_by("sequence").last()
    lines = _lines(_export(tmp_path))[:-2]
    last = json.loads(lines[-1])
    lines[0] = json.dumps(
        {
            **json.loads(lines[0]),
            "head": {"sequence": last["sequence"], "record_hash": last["record_hash"]},
        }
    )

    run = _verify(
        _write(tmp_path / "cut.jsonl", lines), "--anchor", f"{head.sequence}:{head.record_hash}"
    )

    assert run.returncode == 1
    assert f"the anchor's entry {head.sequence} is not in the export" in run.stderr


def test_an_anchor_in_the_export_confirms_it(tmp_path):
    _ledger()
    entry = LedgerEntry.objects.get(sequence=3)

    run = _verify(_export(tmp_path), "--anchor", f"3:{entry.record_hash}")

    assert run.returncode == 0, run.stderr
    assert f"Anchor: entry 3 has hash {entry.record_hash}." in run.stdout


def test_an_anchor_whose_entry_has_another_hash_is_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))

    run = _verify(_export(tmp_path), "--anchor", "3:" + "ab" * 32)

    assert run.returncode == 1
    assert f"line {_entry_line(lines, 3) + 1}: entry 3 has hash" in run.stderr


def test_a_malformed_line_is_named(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    lines[4] = lines[4][:-10]

    run = _verify(_write(tmp_path / "malformed.jsonl", lines))

    assert run.returncode == 1
    assert "line 5: not valid JSON" in run.stderr


@pytest.mark.parametrize(
    "content", [[], "x", {"kind": "acknowledgement"}], ids=["list", "text", "too few fields"]
)
def test_a_content_of_the_wrong_shape_is_a_bad_line_not_a_crash(tmp_path, content):
    _ledger()
    lines = _lines(_export(tmp_path))
    data = json.loads(lines[3])
    data["content"] = content
    lines[3] = json.dumps(data)

    run = _verify(_write(tmp_path / "shape.jsonl", lines))

    assert run.returncode == 1
    assert "line 4: entry 1: content fields differ" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_content_removed_without_an_erasure_is_found(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 1)
    data = json.loads(lines[index])
    data["content"] = None
    lines[index] = json.dumps(data)

    run = _verify(_write(tmp_path / "missing.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 1: content missing, and no erasure names it" in run.stderr


def test_a_second_copy_of_a_key_in_a_line_is_malformed(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    lines[3] = lines[3].replace('{"type":"entry",', '{"type":"entry","sequence":9,', 1)

    run = _verify(_write(tmp_path / "twice.jsonl", lines))

    assert run.returncode == 1
    assert "line 4: not valid JSON (a key appears twice)" in run.stderr


def test_an_unknown_entry_format_version_is_refused_by_name(tmp_path):
    _ledger()
    lines = _lines(_export(tmp_path))
    lines[3] = lines[3].replace('"format_version":2', '"format_version":3', 1)

    run = _verify(_write(tmp_path / "future.jsonl", lines))

    assert run.returncode == 1
    assert "line 4: entry format version 3 is unknown to this verifier" in run.stderr


def test_a_missing_file_is_not_intact(tmp_path):
    run = _verify(tmp_path / "nothing.jsonl")

    assert run.returncode == 1
    assert "Cannot read" in run.stderr


def test_the_verifier_imports_nothing_but_the_standard_library():
    source = SCRIPT.read_text(encoding="utf-8")
    imports = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }

    assert imports <= set(sys.stdlib_module_names) | {"__future__"}


# --- the download ------------------------------------------------------------------------


def test_the_download_lives_under_the_ledger():
    assert reverse("ledger:export") == URL


def test_an_employee_may_not_download_the_export(client):
    _ledger()
    client.force_login(EmployeeFactory())

    response = client.get(URL)

    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


@pytest.mark.parametrize("role", ["hr", "auditor"])
def test_hr_and_auditors_download_the_export_streamed_and_logged(client, tmp_path, role):
    _ledger()
    person = EmployeeFactory(**{role: True})
    client.force_login(person)

    response = client.get(URL, REMOTE_ADDR="192.0.2.30")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="grootboek-')
    assert response["Content-Disposition"].endswith('.jsonl"')
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert (event.actor, event.ip_address) == (person, "192.0.2.30")
    assert event.details == {
        "action": "download",
        "what": "ledger",
        "view": "ledger:export",
        "format": "jsonl",
    }
    path = tmp_path / "download.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    assert _verify(path).returncode == 0


def test_the_download_holds_the_same_lines_as_the_command(client, tmp_path):
    _ledger()
    client.force_login(EmployeeFactory(hr=True))

    downloaded = b"".join(client.get(URL).streaming_content).decode().splitlines()

    exported = _lines(_export(tmp_path))
    assert downloaded[1:] == exported[1:]


def test_the_ledger_page_links_to_the_download(client):
    client.force_login(EmployeeFactory(auditor=True))

    with translation.override("en"):
        response = client.get("/grootboek/")

    assert f'href="{URL}"' in response.content.decode()


def test_a_dutch_reader_sees_the_download_in_dutch(client):
    client.force_login(EmployeeFactory(hr=True))

    with translation.override("nl"):
        response = client.get("/grootboek/", HTTP_ACCEPT_LANGUAGE="nl")

    assert "Grootboek downloaden (JSON Lines)" in response.content.decode()


# --- agreement on a tampered ledger ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_verifier_and_verify_chain_name_the_same_changed_entry(tmp_path):
    _ledger()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", LedgerEntry.objects.get(sequence=4).pk],
    )
    result = verify_chain()
    lines_path = _export(tmp_path)

    run = _verify(lines_path)

    assert result.first_problem[0] == 4
    assert run.returncode == 1
    index = _entry_line(_lines(lines_path), 4)
    assert f"line {index + 1}: entry 4: its content does not match its digest" in run.stderr


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_erasure_and_a_signature_during_an_export_do_not_tear_it(tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads each chunk as it is then (its transactions lock writers)")
    facts = _ledger()
    hr = facts["hr"]
    lines = export_lines(chunk_size=2)
    started = [next(lines)]  # the header: the snapshot is taken

    def meanwhile():
        try:
            first = LedgerEntry.objects.get(sequence=1)
            corrections.erase_personal_data(entry=first, recorded_by=hr, reason="AVG-verzoek")
            late = EmployeeFactory()
            signed(late, ready_to_sign(late, quiz_version(number=3)))
        finally:
            connection.close()

    import threading

    thread = threading.Thread(target=meanwhile)
    thread.start()
    thread.join()
    path = tmp_path / "during.jsonl"
    path.write_bytes(b"".join([*started, *lines]))

    run = _verify(path)

    assert LedgerEntry.objects.count() == 8
    assert run.returncode == 0, run.stderr
    assert "Intact: 6 entries" in run.stdout
    assert json.loads(_lines(path)[3])["content"] is not None  # entry 1, as it was


# --- the format's description ------------------------------------------------------------


def test_the_worked_example_in_the_format_description_is_what_the_portal_computes():
    import datetime

    from handbook.selectors.canonical import canonical_text, text_hash

    doc = (Path(settings.BASE_DIR) / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    parts = {"title": "Sociale media", "introduction": "Wees zorgvuldig.  \r\nOok privé."}
    tips = [(1, "Deel geen\tvertrouwelijke informatie. "), (2, "Meld incidenten.")]
    amsterdam = datetime.timezone(datetime.timedelta(hours=1))
    content = {
        "kind": "acknowledgement",
        "employee_id": 42,
        "employee_number": "100042",
        "employee_name": "Anna de Vries",
        "version_id": 7,
        "version_number": 2,
        "language": "nl",
        "text_hash": text_hash(**parts, tips=tips),
        "statement": "Ik heb de handreiking gelezen en begrepen.",
        "typed_name": "Anna de Vries",
        "signed_at": datetime.datetime(2026, 11, 25, 13, 31, 49, 123456, tzinfo=amsterdam),
        "quiz_attempt_id": 314,
        "method": "self",
        "recorded_by_id": None,
        "reason": "",
        "paper_form_hash": "",
        "ip_address": "2001:0db8:0000:0000:0000:0000:0000:0001",
        "user_agent": "Mozilla/5.0",
        "corrects_sequence": None,
    }
    digest = ledger.content_digest(content, format_version=1)
    entry = {
        "sequence": 1,
        "kind": "acknowledgement",
        "version_id": 7,
        "refers_to_sequence": None,
        "recorded_at": datetime.datetime(2026, 11, 25, 12, 31, 49, 234567, tzinfo=datetime.UTC),
        "verification_code": "ABCD-EFGH-JKMN",
        "content_digest": digest,
    }
    first = ledger.entry_hash(ledger.GENESIS_HASH, entry)
    erasure = ledger.erasure_digest(erased_sequence=1, erased_digest=digest)
    second = ledger.entry_hash(
        first,
        {
            "sequence": 2,
            "kind": "erasure",
            "version_id": 7,
            "refers_to_sequence": 1,
            "recorded_at": datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC),
            "verification_code": None,
            "content_digest": erasure,
        },
    )

    shown_text = canonical_text(**parts, tips=tips).replace("\n", "\\n").replace("\t", "\\t")
    assert shown_text in doc
    canonical_content = {**content, "ip_address": "2001:db8::1"}
    assert ledger.canonical_json(canonical_content).decode() in doc
    assert ledger.canonical_json(entry).decode() in doc
    for value in (content["text_hash"], digest, first, erasure, second):
        assert f"`{value}`" in doc


# --- entry formats 1 and 2 -------------------------------------------------------------


def _mixed_ledger() -> dict:
    """Entry 1 recorded by the code before format 2; entry 2 signed for a campaign."""
    from acknowledgements.tests.factories import signed_in_format_1
    from campaigns.tests.factories import launched_campaign

    anna, bram = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(anna)
    signed_in_format_1(anna, version)
    campaign = launched_campaign(version, audience="employees", employees=[bram])
    signed(bram, ready_to_sign(bram, version))
    return {"campaign": campaign}


def test_each_entry_line_carries_its_own_format_with_that_format_s_content_keys(tmp_path):
    facts = _mixed_ledger()

    lines = _lines(_export(tmp_path))
    old, new = (json.loads(lines[_entry_line(lines, sequence)]) for sequence in (1, 2))

    assert (old["format_version"], new["format_version"]) == (1, 2)
    assert set(old["content"]) == set(ledger.CONTENT_KEYS_BY_FORMAT[1])
    assert set(new["content"]) == set(ledger.CONTENT_KEYS_BY_FORMAT[2])
    assert new["content"]["campaign_id"] == facts["campaign"].pk


def test_the_verifier_checks_an_export_of_both_formats(tmp_path):
    _mixed_ledger()

    run = _verify(_export(tmp_path))

    assert run.returncode == 0, run.stderr
    assert "Intact: 2 entries" in run.stdout


def test_a_changed_campaign_in_the_export_is_found_by_the_verifier(tmp_path):
    facts = _mixed_ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 2)
    campaign = facts["campaign"].pk
    lines[index] = lines[index].replace(
        f'"campaign_id":{campaign}', f'"campaign_id":{campaign + 1}', 1
    )

    run = _verify(_write(tmp_path / "changed.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 2: its content does not match its digest" in run.stderr


def test_a_campaign_added_to_a_format_1_line_is_refused_by_the_verifier(tmp_path):
    _mixed_ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 1)
    lines[index] = lines[index].replace('"content":{', '"content":{"campaign_id":7,', 1)

    run = _verify(_write(tmp_path / "added.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 1: content fields differ: ['campaign_id']" in run.stderr


def test_a_campaign_that_is_no_id_is_refused_even_with_every_hash_recomputed(tmp_path):
    _mixed_ledger()
    lines = _lines(_export(tmp_path))
    index = _entry_line(lines, 2)
    data = json.loads(lines[index])
    data["content"]["campaign_id"] = "jaarronde"
    data["content_digest"] = hashlib.sha256(ledger.canonical_json(data["content"])).hexdigest()
    lines[index] = json.dumps(data, ensure_ascii=False)
    _rehash_from(lines, index)

    run = _verify(_write(tmp_path / "not-an-id.jsonl", lines))

    assert run.returncode == 1
    assert f"line {index + 1}: entry 2: the campaign is not an id" in run.stderr


@pytest.mark.django_db(transaction=True)
def test_a_campaign_put_on_a_format_1_entry_in_the_database_shows_in_the_export(tmp_path):
    """Its digest does not cover it: the export writes it, so the verifier refuses it."""
    from acknowledgements.tests.factories import signed_in_format_1

    old = signed_in_format_1()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET campaign_id = %s WHERE entry_id = %s",
        [42, old.pk],
    )

    run = _verify(_export(tmp_path))

    assert run.returncode == 1
    assert "entry 1: content fields differ: ['campaign_id']" in run.stderr


def test_the_format_2_example_in_the_format_description_is_what_the_portal_computes():
    import datetime

    from handbook.selectors.canonical import text_hash

    doc = (Path(settings.BASE_DIR) / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    parts = {"title": "Sociale media", "introduction": "Wees zorgvuldig.  \r\nOok privé."}
    tips = [(1, "Deel geen\tvertrouwelijke informatie. "), (2, "Meld incidenten.")]
    amsterdam = datetime.timezone(datetime.timedelta(hours=1))
    content = {
        "kind": "acknowledgement",
        "employee_id": 42,
        "employee_number": "100042",
        "employee_name": "Anna de Vries",
        "version_id": 7,
        "version_number": 2,
        "language": "nl",
        "text_hash": text_hash(**parts, tips=tips),
        "statement": "Ik heb de handreiking gelezen en begrepen.",
        "typed_name": "Anna de Vries",
        "signed_at": datetime.datetime(2026, 11, 25, 13, 31, 49, 123456, tzinfo=amsterdam),
        "quiz_attempt_id": 314,
        "method": "self",
        "recorded_by_id": None,
        "reason": "",
        "paper_form_hash": "",
        "ip_address": "2001:db8::1",
        "user_agent": "Mozilla/5.0",
        "corrects_sequence": None,
        "campaign_id": 12,
    }

    assert ledger.canonical_json(content).decode() in doc
    assert f"`{ledger.content_digest(content, format_version=2)}`" in doc


def test_the_auditors_script_knows_the_same_key_lists_as_the_portal():
    """The script keeps its own copy of the canonical key lists (it runs without the
    portal): a format added to one and not the other would fail every export."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("verify_ledger_export", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    assert {
        number: tuple(keys) for number, keys in ledger.CONTENT_KEYS_BY_FORMAT.items()
    } == script.CONTENT_KEYS
    assert set(script.ENTRY_KEYS) == set(ledger.CONTENT_KEYS_BY_FORMAT)
    assert all(tuple(keys) == tuple(ledger.ENTRY_KEYS) for keys in script.ENTRY_KEYS.values())
