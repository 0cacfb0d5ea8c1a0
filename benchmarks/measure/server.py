"""What the signing benchmark runs against: a scratch copy of the PostgreSQL database,
sessions made directly in it, and a real gunicorn on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connections

BENCHMARK_SETTINGS = "config.settings.benchmark"


class ServerError(Exception):
    pass


# --------------------------------------------------------------------------- database


def _connect_kwargs(settings_dict: dict, dbname: str) -> dict:
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    found = {name: settings_dict.get(key) for key, name in keys.items()}
    return {name: value for name, value in found.items() if value} | {"dbname": dbname}


def database_url(settings_dict: dict, name: str) -> str:
    """A postgres:// URL for another database on the same server."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def current_database_url() -> str | None:
    """The URL of the PostgreSQL database this process uses (for the processes it
    starts: in a test run that is the test database); None for another database."""
    if connections["default"].vendor != "postgresql":
        return None
    settings_dict = connections["default"].settings_dict
    return database_url(settings_dict, settings_dict["NAME"])


class ScratchDatabase:
    """A copy of the default database (CREATE DATABASE ... TEMPLATE), dropped on exit.

    Django's own connections are closed first: PostgreSQL copies only a database that
    nobody is connected to.
    """

    def __init__(self, alias: str = "default"):
        self.settings_dict = connections[alias].settings_dict
        if connections[alias].vendor != "postgresql":
            raise ServerError("The signing benchmark needs PostgreSQL (DATABASE_URL).")
        self.source = self.settings_dict["NAME"]
        self.name = f"{self.source}_signing_{os.getpid()}"
        self.url = database_url(self.settings_dict, self.name)
        self.seconds = 0.0
        self._admin = None

    def connect(self, dbname: str | None = None):
        import psycopg

        kwargs = _connect_kwargs(self.settings_dict, dbname or self.name)
        return psycopg.connect(**kwargs, autocommit=True)

    def __enter__(self) -> ScratchDatabase:
        import psycopg
        from psycopg import sql

        connections.close_all()
        self._admin = self.connect("postgres")
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY = FILE_COPY").format(
            sql.Identifier(self.name), sql.Identifier(self.source)
        )
        started = time.perf_counter()
        for attempt in range(20):
            try:
                self._admin.execute(statement)
                break
            except psycopg.errors.ObjectInUse:
                # An autovacuum worker (or a connection closing) may hold the source.
                if attempt == 19:
                    raise
                time.sleep(0.5)
        self.seconds = time.perf_counter() - started
        return self

    def __exit__(self, *exc_info) -> None:
        from psycopg import sql

        try:
            self._admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
        finally:
            self._admin.close()


# --------------------------------------------------------------------------- sessions


def session_data(employee, *, now: float) -> dict:
    """What a log-in puts in the session (django.contrib.auth and portal.middleware)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.middleware import LAST_ACTIVITY_KEY, STARTED_KEY

    return {
        SESSION_KEY: employee._meta.pk.value_to_string(employee),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: employee.get_session_auth_hash(),
        STARTED_KEY: now,
        LAST_ACTIVITY_KEY: now,
    }


def new_session_key() -> str:
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.utils.crypto import get_random_string

    return get_random_string(32, VALID_KEY_CHARS)


def new_csrf_secret() -> str:
    """A CSRF cookie value; Django also takes the secret itself as the form's token."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    return get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)


def sign_request_line(session_key: str, csrf: str, typed_name: str) -> str:
    """A line for scripts/wrk/sign.lua: the Cookie header, a tab, the sign form's body."""
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "language": "nl",
            "typed_name": typed_name,
            "confirmed": "on",
        }
    )
    return f"{cookie}\t{body}"


def make_sessions(employees: Iterable) -> tuple[list[tuple[str, str, object]], list[str]]:
    """Session rows (key, encoded data, expiry) and wrk lines for these employees."""
    import datetime

    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from portal.middleware import now as session_clock

    store = SessionStore()
    expiry = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    moment = session_clock()
    rows, lines = [], []
    for employee in employees:
        key = new_session_key()
        rows.append((key, store.encode(session_data(employee, now=moment)), expiry))
        lines.append(sign_request_line(key, new_csrf_secret(), employee.full_name))
    return rows, lines


def insert_sessions(connection, rows: list[tuple[str, str, object]]) -> None:
    """COPY the rows into django_session over a psycopg connection (autocommit), and
    analyse the table: else autovacuum would do it during the rounds (tens of
    thousands of new rows in a table of a few), taking a core from them."""
    from django.contrib.sessions.models import Session

    table = Session._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.copy(f'COPY "{table}" (session_key, session_data, expire_date) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)
    connection.execute(f'VACUUM (ANALYZE) "{table}"')


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command() -> list[str]:
    beside = Path(sys.executable).with_name("gunicorn")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gunicorn")
    if found:
        return [found]
    return [sys.executable, "-m", "gunicorn"]


class Gunicorn:
    """gunicorn config.wsgi with the benchmark settings, in a process group of its own
    (so that it and its workers are stopped together, also after an error)."""

    def __init__(self, *, database_url: str, workers: int, log_path: Path, timeout: float = 60):
        self.database_url = database_url
        self.workers = workers
        self.log_path = log_path
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = dict(os.environ)
        env.update(DJANGO_SETTINGS_MODULE=BENCHMARK_SETTINGS, DATABASE_URL=self.database_url)
        command = [
            *gunicorn_command(),
            "config.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--no-control-socket",
            "--chdir",
            str(settings.BASE_DIR),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn ended (status {self.process.returncode}):\n{self.log()}"
                )
            try:
                status = self._status("/benchmark/trivial/")
            except OSError:
                time.sleep(0.2)
                continue
            if status != 302:  # anonymous: sent to the log-in page
                raise ServerError(
                    f"gunicorn answered /benchmark/trivial/ with {status}, not 302: are the "
                    f"benchmark settings ({BENCHMARK_SETTINGS}) in use?\n{self.log()}"
                )
            return
        raise ServerError(f"gunicorn did not answer within {self.timeout:.0f} s:\n{self.log()}")

    def _status(self, path: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse().status
        finally:
            connection.close()

    def log(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """TERM to the group (gunicorn stops its workers), KILL if it takes too long;
        then KILL to whatever of the group is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
