"""Uploaded staff files kept between the preview and applying them:
MEDIA_ROOT/imports/<sha256>.csv (never served). Applying reads the file back and checks
its hash, so exactly the previewed bytes are imported; the file is removed afterwards,
and files nobody applied are removed a day later."""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from pathlib import Path

from django.conf import settings

DIRECTORY = "imports"
KEEP_SECONDS = 24 * 60 * 60
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / DIRECTORY


def _path(sha256: str) -> Path:
    if not _SHA256.match(sha256 or ""):
        raise ValueError("Not a SHA-256 hex digest.")
    return _directory() / f"{sha256}.csv"


def store(data: bytes) -> str:
    """Keep the bytes; returns their SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale()
    _path(sha256).write_bytes(data)
    return sha256


def load(sha256: str) -> bytes | None:
    """The stored bytes, or None when they are gone or no longer match the hash."""
    try:
        data = _path(sha256).read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return data


def remove(sha256: str) -> None:
    with contextlib.suppress(ValueError):
        _path(sha256).unlink(missing_ok=True)


def remove_stale(now: float | None = None) -> None:
    cutoff = (now or time.time()) - KEEP_SECONDS
    for path in _directory().glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
