"""Two (or more) real app-server processes on the test's database, for tests of what
must hold across servers (log-in limits, sessions ended on every server).

    def test_something(two_app_servers):
        first, second = two_app_servers          # base URLs: "http://127.0.0.1:PORT"
        ...real HTTP to both (portal.testing.http.Browser)...

Each server is its own gunicorn process (one sync worker, ``config.settings.test``) on
its own free port, in a process group of its own; both are stopped (TERM, then KILL)
when the test ends, also when it fails or is interrupted, and (on Linux) when the test
process itself is killed. Both use the test's
database: on PostgreSQL the run's test database; on SQLite, whose test database lives
in this process's memory, a copy in a file that this process also uses for the test's
length. So the test must commit for real: the fixture makes it transactional.

``running_app_servers(count=..., environment=...)`` is the same as a context manager,
for other numbers of servers or extra environment variables.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections

SERVER_SETTINGS = "config.settings.test"
START_TIMEOUT = 60.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class AppServerError(Exception):
    pass


@dataclass
class AppServer:
    """One gunicorn process; ``url`` is its base URL without a trailing slash."""

    port: int
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def start(self, environment: dict[str, str]) -> None:
        command = [
            *_gunicorn(),
            "config.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{self.port}",
            "--no-control-socket",
            f"--chdir={settings.BASE_DIR}",
            "--log-level=warning",
            "--graceful-timeout=5",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                command,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_stop_with_parent,
            )

    def wait_until_it_answers(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppServerError(
                    f"The app server on port {self.port} ended "
                    f"(status {self.process.returncode}):\n{self.log()}"
                )
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    connection.request("GET", "/")
                    connection.getresponse().read()
                    return
                finally:
                    connection.close()
            except OSError:
                time.sleep(0.1)
        raise AppServerError(f"The app server on port {self.port} did not answer:\n{self.log()}")

    def stop(self) -> None:
        """TERM to the process group, KILL if it is not gone within ten seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


def _stop_with_parent() -> None:
    """In the child before gunicorn starts (Linux): TERM when the test process dies,
    even by SIGKILL, so that no server outlives a run that was killed."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _gunicorn() -> list[str]:
    beside = Path(sys.executable).with_name("gunicorn")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gunicorn")
    return [found] if found else [sys.executable, "-m", "gunicorn"]


def _free_ports(count: int) -> list[int]:
    """Distinct free ports (the probes stay open until all are chosen)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            probe = stack.enter_context(socket.socket())
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
        return ports


def _postgres_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@contextlib.contextmanager
def _shared_database(folder: Path) -> Iterator[str]:
    """A DATABASE_URL for the servers that names the database this process uses."""
    connection = connections["default"]
    if connection.vendor == "postgresql":
        yield _postgres_url(connection.settings_dict)
        return
    if connection.vendor != "sqlite":
        raise AppServerError(f"No app servers on a {connection.vendor} database.")
    if not connection.is_in_memory_db():
        yield f"sqlite:///{connection.settings_dict['NAME']}"
        return
    # The in-memory test database (migrated, with its triggers and cache table) copied
    # to a file, and this process switched to that file until the servers stop. The
    # memory connection is kept aside: the in-memory database lives as long as it does.
    connection.ensure_connection()
    path = folder / "servers.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


@contextlib.contextmanager
def shared_database(folder: Path) -> Iterator[str]:
    """The test's database as a DATABASE_URL that other processes (a management command
    run twice at once, a process killed while it holds a lock) can open: on SQLite the
    in-memory test database copied to a file in ``folder``, which this process uses too
    until the block ends. Needs database access that commits (a transactional test)."""
    with _shared_database(folder) as database_url:
        yield database_url


@contextlib.contextmanager
def running_app_servers(
    *, count: int = 2, environment: dict[str, str] | None = None
) -> Iterator[list[AppServer]]:
    """``count`` gunicorn processes on this process's database, stopped on exit.
    Needs database access that commits (a transactional test)."""
    with (
        tempfile.TemporaryDirectory(prefix="portal-servers-") as folder,
        _shared_database(Path(folder)) as database_url,
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
            "DATABASE_URL": database_url,
            "PYTHONDONTWRITEBYTECODE": "1",
            **(environment or {}),
        }
        servers = [
            AppServer(port=port, log_path=Path(folder) / f"server-{number}.log")
            for number, port in enumerate(_free_ports(count), start=1)
        ]
        try:
            for server in servers:
                server.start(env)
            deadline = time.monotonic() + START_TIMEOUT
            for server in servers:
                server.wait_until_it_answers(deadline)
            yield servers
        finally:
            for server in servers:
                server.stop()


@pytest.fixture
def two_app_servers(transactional_db) -> Iterator[tuple[str, str]]:
    """Two app-server processes on the test's database: their base URLs."""
    with running_app_servers(count=2) as (first, second):
        yield first.url, second.url
