"""The scheduled staff import: the newest file an HR system drops in a folder, taken by
one run at a time, checked and applied by :func:`people.services.import_staff` (the
very checks and writes of the import page), moved out of the way and reported to HR by
e-mail. ``manage.py import_staff_from_folder`` runs it from cron or a systemd timer.

The folder: every regular file in it is an export, except hidden ones (``.name``) and
ones still being uploaded (``*.part``, ``*.tmp``). Only the newest counts (each export is
the whole staff list); it is taken once it has been left unchanged
``STAFF_IMPORT_SETTLE_SECONDS``, so a file the HR system is still writing is not read
half-way. Afterwards it is moved to ``verwerkt/`` (applied) or ``geweigerd/`` (refused:
nothing changed), older files to ``overgeslagen/``, each with the time in front of its
name, so the next run does not take it again. Links and other entries that are not
regular files are never opened (a link could point at a file of the portal's own).

An organisation-unit file (the department tree, people.staff_import.tree), when the HR
system exports one, is recognised by its name (``units_pattern``, e.g. ``organisatie*``):
the newest goes with the newest staff file, into the same subfolder; older ones are
skipped, and one without a staff file waits for it.

The lock (one run at a time, also on two machines): people.services.import_lock.
"""

from __future__ import annotations

import contextlib
import datetime
import fnmatch
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from people import staff_import
from people.models import Employee, StaffImport
from people.roles import Role
from people.services import StaffImportOutcome, import_staff
from people.services.import_lock import import_lock
from portal.mail import templated_email

PROCESSED = "verwerkt"
REFUSED = "geweigerd"
SKIPPED = "overgeslagen"
SUBFOLDERS = (PROCESSED, REFUSED, SKIPPED)
PARTIAL_SUFFIXES = (".part", ".tmp")

# What happened to one file.
APPLIED = "applied"
REFUSED_FILE = "refused"
DRY_RUN = "dry_run"
SKIPPED_FILE = "skipped"
IGNORED = "ignored"

# What the run as a whole came to.
DONE = "done"  # a file was taken (applied, refused or tried)
NOTHING = "nothing"  # no file in the folder
WAITING = "waiting"  # the newest file is still being written
BUSY = "busy"  # another run holds the lock


class FolderMissing(Exception):
    """The folder is not set, does not exist or is not a folder."""


@dataclass
class FileOutcome:
    """One file of the folder and what the run did with it."""

    kind: str
    name: str
    moved_to: str = ""  # relative to the folder; empty: left where it was
    log: StaffImport | None = None
    counts: dict[str, int] = field(default_factory=dict)
    full_export: bool = False
    # Refused: every problem (the log keeps the first ones), in the portal's language;
    # ``unreadable``: why the file could not be read at all (no log then).
    problems: list[staff_import.Problem] = field(default_factory=list)
    unreadable: str = ""
    data: bytes = field(default=b"", repr=False)  # what was read, to word the mail's problems
    units_name: str = ""  # the organisation-unit file taken with it, if any
    units_moved_to: str = ""
    units_data: bytes | None = field(default=None, repr=False)
    unit_counts: dict[str, int] = field(default_factory=dict)  # the tree's changes

    @property
    def unit_changes(self) -> int:
        return sum(self.unit_counts.values())


@dataclass
class ScheduledImport:
    status: str
    folder: Path
    files: list[FileOutcome] = field(default_factory=list)
    dry_run: bool = False
    mailed_to: list[str] = field(default_factory=list)

    @property
    def taken(self) -> FileOutcome | None:
        """The newest file, the one this run checked (None: none was taken)."""
        return next((f for f in self.files if f.kind in (APPLIED, REFUSED_FILE, DRY_RUN)), None)

    @property
    def refused(self) -> bool:
        taken = self.taken
        return taken is not None and (
            taken.kind == REFUSED_FILE or bool(taken.problems) or bool(taken.unreadable)
        )


@dataclass
class _Entry:
    path: Path
    mtime: float
    regular: bool


# The folder ----------------------------------------------------------------------------


def _entries(folder: Path) -> list[_Entry]:
    entries = []
    for path in folder.iterdir():
        name = path.name
        if name.startswith(".") or name.endswith(PARTIAL_SUFFIXES) or name in SUBFOLDERS:
            continue
        try:
            status = path.lstat()  # a link is not followed
        except FileNotFoundError:
            continue  # gone meanwhile
        entries.append(_Entry(path, status.st_mtime, stat.S_ISREG(status.st_mode)))
    return entries


def _read(path: Path) -> bytes:
    """At most one byte more than the import accepts (it refuses a bigger file by its
    size), never through a link, never blocking on a pipe that looks like a file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError("not a regular file")
        return file.read(settings.STAFF_IMPORT_MAX_BYTES + 1)


def _move(path: Path, subfolder: str, moment: datetime.datetime) -> str:
    """Move the file into the subfolder with the time in front of its name (never over
    another file); returns its new path relative to the folder."""
    target_folder = path.parent / subfolder
    target_folder.mkdir(exist_ok=True)
    stem = f"{timezone.localtime(moment):%Y%m%d-%H%M%S}-{path.name}"
    target = target_folder / stem
    number = 1
    while target.exists() or target.is_symlink():
        number += 1
        target = target_folder / f"{stem}.{number}"
    path.rename(target)
    return f"{subfolder}/{target.name}"


# The run -------------------------------------------------------------------------------


def configured_folder() -> Path:
    """``settings.STAFF_IMPORT_FOLDER``; refused (FolderMissing) when it is not set."""
    if not settings.STAFF_IMPORT_FOLDER:
        raise FolderMissing(
            "No folder: set PORTAL_STAFF_IMPORT_FOLDER or pass --folder. Nothing was imported."
        )
    return Path(settings.STAFF_IMPORT_FOLDER)


def run_scheduled_import(
    *,
    folder: Path,
    full_export: bool = False,
    dry_run: bool = False,
    settle_seconds: float | None = None,
    wait_seconds: float = 0,
    mail: bool = True,
    units_pattern: str = "",
) -> ScheduledImport:
    """Take the newest file in the folder and import it, under the lock; move it and the
    older files aside (not in a dry run) and mail HR the result (not in a dry run).
    ``units_pattern``: the names of organisation-unit files (shell pattern, any case)."""
    if not folder.is_dir():
        raise FolderMissing(f"{folder} is not a folder. Nothing was imported.")
    settle = settings.STAFF_IMPORT_SETTLE_SECONDS if settle_seconds is None else settle_seconds
    with import_lock(wait_seconds=wait_seconds) as held:
        if not held:
            return ScheduledImport(status=BUSY, folder=folder, dry_run=dry_run)
        run = _run_locked(
            folder,
            full_export=full_export,
            dry_run=dry_run,
            settle=settle,
            units_pattern=units_pattern,
        )
    if mail and not dry_run and run.taken is not None:
        run.mailed_to = send_result_mails(run=run)
    return run


def _is_units(name: str, pattern: str) -> bool:
    return bool(pattern) and fnmatch.fnmatchcase(name.casefold(), pattern.casefold())


def _run_locked(
    folder: Path, *, full_export: bool, dry_run: bool, settle: float, units_pattern: str
) -> ScheduledImport:
    run = ScheduledImport(status=NOTHING, folder=folder, dry_run=dry_run)
    entries = _entries(folder)
    run.files += [FileOutcome(IGNORED, e.path.name) for e in entries if not e.regular]
    regular = sorted((e for e in entries if e.regular), key=lambda e: (e.mtime, e.path.name))
    exports = [e for e in regular if not _is_units(e.path.name, units_pattern)]
    unit_files = [e for e in regular if _is_units(e.path.name, units_pattern)]
    if not exports:
        return run  # unit files wait for their staff file
    newest, older = exports[-1], exports[:-1]
    units = unit_files[-1] if unit_files else None
    still_written = [e for e in (newest, units) if e is not None and time.time() - e.mtime < settle]
    if still_written:
        run.status = WAITING
        run.files += [FileOutcome(WAITING, e.path.name) for e in still_written]
        return run
    run.status = DONE
    moment = timezone.now()
    for entry in older + unit_files[:-1]:
        moved = "" if dry_run else _move(entry.path, SKIPPED, moment)
        run.files.append(FileOutcome(SKIPPED_FILE, entry.path.name, moved_to=moved))
    run.files.append(
        _take(
            newest.path,
            units.path if units else None,
            full_export=full_export,
            dry_run=dry_run,
            moment=moment,
        )
    )
    return run


def _take(
    path: Path,
    units_path: Path | None,
    *,
    full_export: bool,
    dry_run: bool,
    moment: datetime.datetime,
) -> FileOutcome:
    units_name = units_path.name if units_path else ""
    try:
        data = _read(path)
        units = _read(units_path) if units_path else None
    except OSError as error:
        unreadable = error.strerror or str(error)
        if error.filename and units_path and Path(error.filename) == units_path:
            unreadable = f"{units_name}: {unreadable}"
        outcome = FileOutcome(
            REFUSED_FILE,
            path.name,
            full_export=full_export,
            unreadable=unreadable,
            units_name=units_name,
        )
        if not dry_run:
            with contextlib.suppress(OSError):  # a file that cannot be moved stays
                outcome.moved_to = _move(path, REFUSED, moment)
                if units_path:
                    outcome.units_moved_to = _move(units_path, REFUSED, moment)
        return outcome
    # The log (read by HR on the web) in the portal's language, as the page would.
    with translation.override(settings.LANGUAGE_CODE):
        imported: StaffImportOutcome = import_staff(
            data=data,
            filename=path.name,
            by=None,
            full_export=full_export,
            dry_run=dry_run,
            units=units,
            units_filename=units_name,
        )
    plan = imported.plan
    kind = DRY_RUN if dry_run else (APPLIED if imported.applied else REFUSED_FILE)
    outcome = FileOutcome(
        kind,
        path.name,
        log=imported.log,
        counts=plan.counts,
        full_export=full_export,
        problems=list(plan.problems),
        data=data,
        units_name=units_name,
        units_data=units,
        unit_counts=plan.tree.counts if plan.tree is not None and plan.tree.complete else {},
    )
    if not dry_run:
        subfolder = PROCESSED if kind == APPLIED else REFUSED
        outcome.moved_to = _move(path, subfolder, moment)
        if units_path:
            outcome.units_moved_to = _move(units_path, subfolder, moment)
    return outcome


# The mails -----------------------------------------------------------------------------


def recipients() -> list[tuple[str, str]]:
    """(address, language): ``settings.STAFF_IMPORT_EMAIL`` in the portal's language, or
    else everyone active with the (central) HR role, each in their own language. HR
    advisers of a part of the organisation do not import staff and get nothing."""
    if settings.STAFF_IMPORT_EMAIL:
        return [(address, settings.LANGUAGE_CODE) for address in settings.STAFF_IMPORT_EMAIL]
    people = (
        Employee.objects.filter(is_active=True, groups__name=Role.HR)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    return [
        (person.email, person.preferred_language or settings.LANGUAGE_CODE) for person in people
    ]


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _problems_in(outcome: FileOutcome, language: str) -> list[str]:
    """Every problem of the refused file as "line 4: reason", worded in ``language``:
    the file is checked again in that language when the import ran in another one."""
    if outcome.unreadable:
        return [_("The file could not be read: %(reason)s.") % {"reason": outcome.unreadable}]
    problems = outcome.problems
    if language != settings.LANGUAGE_CODE:
        problems = staff_import.build_plan(
            outcome.data,
            full=outcome.full_export,
            today=timezone.localdate(),
            units=outcome.units_data,
        ).problems
    return [str(problem) for problem in problems]


def _message(run: ScheduledImport, address: str, language: str) -> EmailMultiAlternatives:
    taken = run.taken
    assert taken is not None  # only a run that took a file is mailed (run_scheduled_import)
    with translation.override(language):
        log_url = _absolute(
            reverse("people:staff_import_detail", args=[taken.log.pk])
            if taken.log is not None
            else reverse("people:staff_import_log")
        )
        context = {
            "file": taken,
            "folder": str(run.folder),
            "log": taken.log,
            "log_url": log_url,
            "skipped": [f for f in run.files if f.kind == SKIPPED_FILE],
            "problems": _problems_in(taken, language) if run.refused else [],
            "counts": taken.counts,
        }
        template = (
            "people/email/scheduled_import_refused"
            if run.refused
            else "people/email/scheduled_import_result"
        )
        return templated_email(template, context, to=[address], language=language)


def send_result_mails(*, run: ScheduledImport) -> list[str]:
    """Mail the result (or the refusal, with every problem) to HR; returns the addresses.
    A mail server error is raised: the import itself stands (it is committed and logged)."""
    messages = [_message(run, address, language) for address, language in recipients()]
    if messages:
        with mailers.default as mail_connection:
            mail_connection.send_messages(messages)
    return [address for message in messages for address in message.to]
