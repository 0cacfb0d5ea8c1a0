"""A real SMTP server for tests (aiosmtpd), listening on 127.0.0.1 at a free port.

    server = SmtpServer()            # a free port, not listening yet ("server down")
    server.start()                   # now it accepts mail
    server.refuse_data(2)            # the next 2 DATA commands get "451 4.3.0 Try again later"
    server.refuse_rcpt(1, code=550)  # the next RCPT gets "550 5.1.1 ..." (refused for good)
    server.hold_data()               # the next DATA hangs (a slow server) until release()
    server.messages                  # what arrived: Received(mail_from, rcpt_tos, message)
    server.mailers                   # a settings.MAILERS value that points Django at it

The campaigns' ``smtp_server`` fixture (campaigns/tests/conftest.py) starts one and
points Django at it; other apps can use the class in the same way.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

TEMPORARY_DATA = "451 4.3.0 Try again later"
TEMPORARY_RCPT = "451 4.3.0 Mailbox busy, try again later"
PERMANENT_RCPT = "550 5.1.1 No such mailbox here"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    peer: tuple  # the client's (host, port): one per connection

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


class RecordingHandler:
    """Keeps every message accepted; answers the next N DATA or RCPT commands with an
    error when told to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[Received] = []
        self.refused: list[tuple[str, str]] = []  # (command, address or "")
        self._data_refusals: list[str] = []
        self._rcpt_refusals: list[str] = []
        self._hold = False
        self.holding = threading.Event()  # set while a DATA command hangs
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if self._rcpt_refusals:
                self.refused.append(("RCPT", address))
                return self._rcpt_refusals.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            hold, self._hold = self._hold, False
        if hold:
            # Hang without accepting; after release() the mail is refused (never kept).
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.01)
            return TEMPORARY_DATA
        with self.lock:
            if self._data_refusals:
                self.refused.append(("DATA", ",".join(envelope.rcpt_tos)))
                return self._data_refusals.pop(0)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, session.peer)
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    @property
    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def refused(self) -> list[tuple[str, str]]:
        with self.handler.lock:
            return list(self.handler.refused)

    def refuse_data(self, times: int, reply: str = TEMPORARY_DATA) -> None:
        with self.handler.lock:
            self.handler._data_refusals.extend([reply] * times)

    def refuse_rcpt(self, times: int, reply: str = TEMPORARY_RCPT) -> None:
        with self.handler.lock:
            self.handler._rcpt_refusals.extend([reply] * times)

    def hold_data(self) -> None:
        with self.handler.lock:
            self.handler._hold = True

    def release(self) -> None:
        self.handler.released.set()

    def start(self) -> SmtpServer:
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received_by(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]
