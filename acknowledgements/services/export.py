"""Writing the ledger's export to a file (``manage.py export_ledger``), and logging it.

The lines come from acknowledgements.selectors.export; the download on the ledger page
streams the same lines and is logged by the security middleware like every other
attachment. An export holds personal data (names, addresses, what was signed), so the
command's export is a security event too.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acknowledgements.selectors.export import export_lines
from people.models import Employee
from security.models import SecurityEvent
from security.services import record_event


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    head_sequence: int
    head_hash: str
    versions: int
    entries: int


def write_export(*, path: Path, actor: Employee | None = None) -> ExportSummary:
    """Write the export to ``path``: into a temporary file beside it, renamed into place
    once complete, so that a crash never leaves half an export under the name asked
    for. Records an export event in the security log."""
    path = Path(path)
    header: dict[str, Any] = {}
    versions = entries = 0
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as output:
            for line in export_lines():
                if not header:
                    header = json.loads(line)
                elif line.startswith(b'{"type":"version"'):
                    versions += 1
                else:
                    entries += 1
                output.write(line)
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, 0o600)  # personal data: for its owner only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    head = header["head"]
    record_event(
        kind=SecurityEvent.Kind.EXPORT,
        actor=actor,
        details={
            "action": "ledger_export",
            "via": "command",
            "format": "jsonl",
            "head_sequence": head["sequence"],
        },
    )
    return ExportSummary(
        path=path,
        head_sequence=head["sequence"],
        head_hash=head["record_hash"],
        versions=versions,
        entries=entries,
    )
