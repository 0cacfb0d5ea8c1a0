"""The JSON lines for the municipality's SIEM: a real file and a real UDP syslog receiver,
with the handlers exactly as the settings build them (config.security_log)."""

import json
import logging
import socket
from logging.config import DictConfigurator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.security_log import add_security_log, security_log_handlers, syslog_address
from people.tests.factories import EmployeeFactory
from security.models import SecurityEvent
from security.services import record_event

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


@pytest.fixture
def attach():
    """Attach the handlers the settings would build to portal.security for one test."""
    logger = logging.getLogger("portal.security")
    attached = []

    def _attach(**destinations):
        for config in security_log_handlers(**destinations).values():
            handler = DictConfigurator({}).configure_handler(dict(config))
            logger.addHandler(handler)
            attached.append(handler)

    level = logger.level
    logger.setLevel(logging.INFO)
    yield _attach
    for handler in attached:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


def test_the_file_gets_one_parseable_json_line_per_event(
    attach, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "security.jsonl"
    attach(file=str(path))
    actor, subject = EmployeeFactory(), EmployeeFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.44")

    with django_capture_on_commit_callbacks(execute=True):
        record_event(
            kind=Kind.ROLE_GRANTED,
            request=request,
            actor=actor,
            subject=subject,
            details={"role": "hr"},
        )
        record_event(kind=Kind.LOGIN_FAILED, actor_identifier='Zoë\n{"kind": "vals"}')

    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["kind"] == "role_granted"
    assert (first["actor"], first["subject"]) == (actor.email, subject.email)
    assert first["ip"] == "192.0.2.44"
    assert first["details"] == {"role": "hr"}
    assert first["time"].endswith("Z")
    # A forged line in a name stays inside its own event's string.
    assert second["actor"] == 'Zoë\n{"kind": "vals"}'


def test_a_real_udp_syslog_receiver_gets_the_event(attach, django_capture_on_commit_callbacks):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    try:
        attach(syslog=f"127.0.0.1:{receiver.getsockname()[1]}")
        with django_capture_on_commit_callbacks(execute=True):
            event = record_event(kind=Kind.LOGIN, actor=EmployeeFactory())

        datagram = receiver.recv(65536).decode("utf-8")
    finally:
        receiver.close()

    # <priority>: facility auth (4) * 8 + informational (6) = 38
    assert datagram.startswith("<38>portal-security: ")
    line = json.loads(datagram.removeprefix("<38>portal-security: "))
    assert (line["kind"], line["id"]) == ("login", event.pk)


def test_without_a_file_or_syslog_the_events_go_to_the_console_log_only():
    config = add_security_log({"handlers": {"console": {}}, "loggers": {}})

    assert config["handlers"] == {"console": {}}
    assert config["loggers"]["portal.security"] == {
        "level": "INFO",
        "handlers": [],
        "propagate": True,
    }


@pytest.mark.parametrize("value", ["siem.example.org", "siem:poort", ":514", "host:70000"])
def test_a_syslog_address_that_is_no_address_stops_the_portal_at_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_SECURITY_LOG_SYSLOG"):
        security_log_handlers(syslog=value)


def test_syslog_addresses_are_a_socket_path_or_host_and_port():
    assert syslog_address("/dev/log") == "/dev/log"
    assert syslog_address("siem.example.org:514") == ("siem.example.org", 514)
    assert syslog_address("[::1]:514") == ("::1", 514)


def test_a_relative_log_file_stops_the_portal_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="PORTAL_SECURITY_LOG_FILE"):
        security_log_handlers(file="logs/security.jsonl")
