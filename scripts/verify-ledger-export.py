#!/usr/bin/env python3
"""Check a ledger export of the guideline portal without the portal.

    python3 verify-ledger-export.py grootboek-20261207-1455.jsonl [--anchor SEQ:HASH]

Python's standard library only, one file, no part of the portal: an auditor can read
all of it. It recomputes, from the file alone, the hash of every version's text, the
digest of every content, every entry's hash and the chain that links them, as
docs/ledger-format.md defines them. Exit 0 when the export is intact (a short summary
is printed), 1 naming the first bad line and why, 2 for a wrong command line.

What an export cannot show by itself: whoever can rewrite the file can recompute
every hash, and a file cut short with its header changed to match is a shorter chain
that verifies. Pass an anchor (an entry's sequence number and hash written down
earlier, from a signed report, the ledger page or the nightly check's mail) and the
export must contain that entry with that hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys

GENESIS_HASH = "0" * 64
FORMAT_VERSIONS = {1}
VERSION_FORMAT_VERSIONS = {1}
# The hashed fields per entry format version (docs/ledger-format.md). A later format
# adds fields for new entries; entries written under an older one keep its fields.
# Format 2 adds the campaign (round) a signature answers to the content; its entry has
# format 1's keys.
_ENTRY_KEYS_1 = (
    "sequence",
    "kind",
    "version_id",
    "refers_to_sequence",
    "recorded_at",
    "verification_code",
    "content_digest",
)
ENTRY_KEYS = {1: _ENTRY_KEYS_1, 2: _ENTRY_KEYS_1}
_CONTENT_KEYS_1 = (
    "kind",
    "employee_id",
    "employee_number",
    "employee_name",
    "version_id",
    "version_number",
    "language",
    "text_hash",
    "statement",
    "typed_name",
    "signed_at",
    "quiz_attempt_id",
    "method",
    "recorded_by_id",
    "reason",
    "paper_form_hash",
    "ip_address",
    "user_agent",
    "corrects_sequence",
)
CONTENT_KEYS = {1: _CONTENT_KEYS_1, 2: (*_CONTENT_KEYS_1, "campaign_id")}
ENTRY_LINE_KEYS = {"type", "format_version", "previous_hash", "record_hash", "content"}
KINDS = ("acknowledgement", "correction", "erasure")
LANGUAGES = ("nl", "en")
HASH = re.compile(r"[0-9a-f]{64}")
ANCHOR = re.compile(r"([0-9]+):([0-9a-f]{64})")


class Problem(Exception):
    """What is wrong, at which line (1-based)."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def canonical_json(data: dict) -> bytes:
    """Sorted keys, no whitespace, UTF-8 with non-ASCII as is (docs/ledger-format.md)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def known(value, versions) -> bool:
    """Whether a format version is a number this verifier knows."""
    return is_int(value) and value in versions


def no_duplicate_keys(pairs: list) -> dict:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


def is_hash(value) -> bool:
    return isinstance(value, str) and HASH.fullmatch(value) is not None


def parse_anchor(text: str) -> tuple[int, str]:
    match = ANCHOR.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(
            "an anchor is SEQUENCE:HASH, e.g. 1234:" + "ab" * 32 + " (64 hex digits)"
        )
    return int(match.group(1)), match.group(2)


class Verifier:
    def __init__(self, anchor: tuple[int, str] | None = None):
        self.anchor = anchor
        self.anchor_seen = False
        self.header: dict | None = None
        self.versions: dict[int, dict] = {}
        self.entries_started = False
        self.expected_sequence = 1
        self.previous_hash = GENESIS_HASH
        # The content digest of every entry so far (index: sequence - 1): erasures name
        # the entry they erased and its digest.
        self.digests: list[str] = []
        # Entries whose content is missing, until an erasure entry names them:
        # sequence -> line number.
        self.missing: dict[int, int] = {}

    # --- lines ---------------------------------------------------------------------

    def line(self, number: int, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(number, "not UTF-8") from None
        if not text.strip():
            raise Problem(number, "an empty line")
        try:
            data = json.loads(text, object_pairs_hook=no_duplicate_keys)
        except ValueError as error:
            raise Problem(number, f"not valid JSON ({getattr(error, 'msg', error)})") from None
        if not isinstance(data, dict):
            raise Problem(number, "not a JSON object")
        kind = data.get("type")
        if self.header is None:
            if kind != "header":
                raise Problem(number, "the first line must be the header")
            self.read_header(number, data)
        elif kind == "version":
            if self.entries_started:
                raise Problem(number, "a version line after the first entry line")
            self.read_version(number, data)
        elif kind == "entry":
            self.entries_started = True
            self.read_entry(number, data)
        elif kind == "header":
            raise Problem(number, "a second header")
        else:
            raise Problem(number, f"unknown line type {kind!r}")

    def read_header(self, number: int, data: dict) -> None:
        if not known(data.get("format_version"), FORMAT_VERSIONS):
            raise Problem(
                number,
                f"format version {data.get('format_version')!r} is unknown to this verifier "
                f"(it knows {sorted(FORMAT_VERSIONS)})",
            )
        head = data.get("head")
        if (
            not isinstance(head, dict)
            or not is_int(head.get("sequence"))
            or head["sequence"] < 0
            or not is_hash(head.get("record_hash"))
        ):
            raise Problem(number, "the header has no valid head (sequence and record_hash)")
        self.header = data

    def read_version(self, number: int, data: dict) -> None:
        if not known(data.get("format_version"), VERSION_FORMAT_VERSIONS):
            raise Problem(number, f"unknown version format {data.get('format_version')!r}")
        version_id = data.get("version_id")
        if not is_int(version_id) or not is_int(data.get("number")):
            raise Problem(number, "a version line needs a version_id and a number")
        if version_id in self.versions:
            raise Problem(number, f"version {version_id} appears twice")
        texts = data.get("texts")
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
            raise Problem(number, f"version {version_id} needs its texts in nl and en")
        for language in LANGUAGES:
            item = texts[language]
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("text"), str)
                or not is_hash(item.get("text_hash"))
            ):
                raise Problem(number, f"version {version_id}: malformed {language} text")
            if sha256(item["text"].encode("utf-8")) != item["text_hash"]:
                raise Problem(
                    number,
                    f"version {version_id}: the {language} text does not match its text_hash",
                )
        self.versions[version_id] = data

    def read_entry(self, number: int, data: dict) -> None:
        entry_format = data.get("format_version")
        if not known(entry_format, ENTRY_KEYS):
            raise Problem(
                number,
                f"entry format version {entry_format!r} is unknown to this verifier "
                f"(it knows {sorted(ENTRY_KEYS)})",
            )
        entry_keys = ENTRY_KEYS[entry_format]
        expected_keys = set(entry_keys) | ENTRY_LINE_KEYS
        if set(data) != expected_keys:
            raise Problem(number, f"entry fields differ: {sorted(set(data) ^ expected_keys)}")
        sequence = data["sequence"]
        if not is_int(sequence):
            raise Problem(number, "the sequence is not a number")
        if sequence != self.expected_sequence:
            raise Problem(
                number,
                f"entry {sequence} where entry {self.expected_sequence} was expected "
                "(a line removed, added or moved)",
            )
        if sequence > self.header["head"]["sequence"]:
            raise Problem(
                number,
                f"entry {sequence} is past the head in the header "
                f"({self.header['head']['sequence']})",
            )
        if data["previous_hash"] != self.previous_hash:
            raise Problem(
                number, f"entry {sequence}: previous_hash is not the hash of the entry before it"
            )
        kind = data["kind"]
        if not isinstance(kind, str) or kind not in KINDS:
            raise Problem(number, f"entry {sequence}: unknown kind {kind!r}")
        refers_to = data["refers_to_sequence"]
        if refers_to is not None and (not is_int(refers_to) or not 1 <= refers_to < sequence):
            raise Problem(number, f"entry {sequence} refers to no entry before it")
        if not is_hash(data["content_digest"]):
            raise Problem(number, f"entry {sequence}: content_digest is not a SHA-256")
        fields = {key: data[key] for key in entry_keys}
        if (
            sha256(self.previous_hash.encode("ascii") + canonical_json(fields))
            != data["record_hash"]
        ):
            raise Problem(number, f"entry {sequence}: its hash does not match its fields")
        if kind == "erasure":
            self.check_erasure(number, data)
        else:
            self.check_content(number, data, entry_format)
        if self.anchor and self.anchor[0] == sequence:
            if data["record_hash"] != self.anchor[1]:
                raise Problem(
                    number,
                    f"entry {sequence} has hash {data['record_hash']}, "
                    f"not the anchor's {self.anchor[1]}",
                )
            self.anchor_seen = True
        self.digests.append(data["content_digest"])
        self.previous_hash = data["record_hash"]
        self.expected_sequence += 1

    def check_erasure(self, number: int, data: dict) -> None:
        sequence, erased = data["sequence"], data["refers_to_sequence"]
        if erased is None:
            raise Problem(number, f"erasure {sequence} names no entry")
        if data["content"] is not None:
            raise Problem(number, f"erasure {sequence} has a content")
        expected = sha256(
            canonical_json(
                {
                    "kind": "erasure",
                    "erases_sequence": erased,
                    "erased_digest": self.digests[erased - 1],
                }
            )
        )
        if data["content_digest"] != expected:
            raise Problem(number, f"erasure {sequence} does not match the entry it erased")
        self.missing.pop(erased, None)

    def check_content(self, number: int, data: dict, entry_format: int) -> None:
        sequence, content = data["sequence"], data["content"]
        if content is None:  # erased, if a later erasure entry says so
            self.missing[sequence] = number
            return
        if not isinstance(content, dict) or set(content) != set(CONTENT_KEYS[entry_format]):
            keys = set(content) if isinstance(content, dict) else set()
            raise Problem(
                number,
                f"entry {sequence}: content fields differ: "
                f"{sorted(keys ^ set(CONTENT_KEYS[entry_format]))}",
            )
        if sha256(canonical_json(content)) != data["content_digest"]:
            raise Problem(number, f"entry {sequence}: its content does not match its digest")
        if content["kind"] != data["kind"]:
            raise Problem(number, f"entry {sequence}: its content is of another kind")
        campaign = content.get("campaign_id")  # format 2 on: the round it answers
        if campaign is not None and (not is_int(campaign) or campaign < 1):
            raise Problem(number, f"entry {sequence}: the campaign is not an id")
        corrects = data["refers_to_sequence"] if data["kind"] == "correction" else None
        if content["corrects_sequence"] != corrects:
            raise Problem(number, f"entry {sequence}: its content corrects another entry")
        version_id = content["version_id"]
        version = self.versions.get(version_id) if is_int(version_id) else None
        if version is None:
            raise Problem(
                number, f"entry {sequence}: version {content['version_id']} is not in the export"
            )
        if content["version_number"] != version["number"]:
            raise Problem(number, f"entry {sequence}: the version's number does not match")
        language = content["language"]
        if not isinstance(language, str) or language not in LANGUAGES:
            raise Problem(number, f"entry {sequence}: unknown language {language!r}")
        if content["text_hash"] != version["texts"][language]["text_hash"]:
            raise Problem(
                number,
                f"entry {sequence}: the text hash is not that of version "
                f"{content['version_id']}'s {language} text",
            )

    # --- the end -----------------------------------------------------------------

    def finish(self, lines: int) -> None:
        end = lines + 1  # the line that is not there
        if self.header is None:
            raise Problem(end, "the file is empty: no header")
        # A cut tail first (the erasures naming missing contents may be in it).
        head = self.header["head"]
        last = self.expected_sequence - 1
        if last != head["sequence"]:
            raise Problem(
                end,
                f"the file ends after entry {last}, but the header's head is entry "
                f"{head['sequence']} (entries cut off or removed)",
            )
        if self.previous_hash != head["record_hash"]:
            raise Problem(end, "the last entry's hash is not the head's hash in the header")
        if self.anchor and not self.anchor_seen:
            raise Problem(
                end,
                f"the anchor's entry {self.anchor[0]} is not in the export "
                f"(it ends at entry {last}): the ledger was cut short or rebuilt",
            )
        if self.missing:
            sequence, number = min(self.missing.items())
            raise Problem(number, f"entry {sequence}: content missing, and no erasure names it")


def verify(path: str, anchor: tuple[int, str] | None = None) -> Verifier:
    verifier = Verifier(anchor)
    count = 0
    with open(path, "rb") as handle:
        for count, raw in enumerate(handle, start=1):  # noqa: B007 (count used after)
            try:
                verifier.line(count, raw.rstrip(b"\n").rstrip(b"\r"))
            except Problem:
                raise
            except Exception as error:  # a shape no check above foresaw: still a bad line
                raise Problem(count, f"malformed ({type(error).__name__}: {error})") from None
    verifier.finish(count)
    return verifier


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a ledger export of the guideline portal, without the portal."
    )
    parser.add_argument("path", help="the export (JSON Lines)")
    parser.add_argument(
        "--anchor",
        type=parse_anchor,
        metavar="SEQ:HASH",
        help="an entry's sequence number and hash noted earlier: the export must hold it",
    )
    arguments = parser.parse_args(argv)
    try:
        verifier = verify(arguments.path, arguments.anchor)
    except Problem as problem:
        print(f"NOT INTACT: line {problem.line}: {problem.reason}.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Cannot read {arguments.path}: {error.strerror}.", file=sys.stderr)
        return 1
    head = verifier.header["head"]
    print(
        f"Intact: {head['sequence']} entries, {len(verifier.versions)} versions. "
        f"Head: entry {head['sequence']}, hash {head['record_hash']}."
    )
    if arguments.anchor:
        print(f"Anchor: entry {arguments.anchor[0]} has hash {arguments.anchor[1]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
