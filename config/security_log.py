"""The security event log for the municipality's SIEM: where the JSON lines go.

The ``portal.security`` logger (security.services) writes one JSON object per event.
It always reaches the console log (through the root logger); PORTAL_SECURITY_LOG_FILE
adds a file (a WatchedFileHandler, so logrotate may move it) and
PORTAL_SECURITY_LOG_SYSLOG a syslog destination (facility auth). A value that is not a
destination stops the portal at start-up rather than losing events unnoticed.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import PurePath

from django.core.exceptions import ImproperlyConfigured

LOGGER = "portal.security"
SYSLOG_IDENT = "portal-security: "


def syslog_address(value: str) -> str | tuple[str, int]:
    """``/dev/log`` (a local socket) or ``host:port`` (UDP), as SysLogHandler wants it."""
    if value.startswith("/"):
        return value
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")  # [::1]:514
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            "PORTAL_SECURITY_LOG_SYSLOG must be a socket path such as /dev/log or "
            f"host:port such as siem.example.org:514, not {value!r}."
        )
    return host, int(port)


def retention_days(value: int) -> int:
    """Days the events are kept in the portal: at least one (0 would empty the log)."""
    if value < 1:
        raise ImproperlyConfigured(
            f"PORTAL_SECURITY_LOG_RETENTION_DAYS must be at least 1, not {value}."
        )
    return value


def security_log_handlers(*, file: str = "", syslog: str = "") -> dict[str, dict]:
    """The logging handlers (dictConfig) for the settings; none: the console only."""
    handlers: dict[str, dict] = {}
    if file:
        if not PurePath(file).is_absolute():
            raise ImproperlyConfigured(
                f"PORTAL_SECURITY_LOG_FILE must be an absolute path, not {file!r}."
            )
        handlers["security_file"] = {"()": "config.security_log.file_handler", "path": file}
    if syslog:
        syslog_address(syslog)  # refuse a bad value at start-up
        handlers["security_syslog"] = {
            "()": "config.security_log.syslog_handler",
            "address": syslog,
        }
    return handlers


def add_security_log(logging_config: dict, *, file: str = "", syslog: str = "") -> dict:
    """Add the handlers and the ``portal.security`` logger to a LOGGING dict."""
    handlers = security_log_handlers(file=file, syslog=syslog)
    logging_config.setdefault("handlers", {}).update(handlers)
    logging_config.setdefault("loggers", {})[LOGGER] = {
        "level": "INFO",
        "handlers": list(handlers),
        "propagate": True,  # the console log as well
    }
    return logging_config


def file_handler(*, path: str) -> logging.Handler:
    """One JSON object per line, UTF-8; reopened when logrotate moves the file."""
    handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def syslog_handler(*, address: str) -> logging.Handler:
    """The JSON object as the syslog message, facility auth, tagged portal-security."""
    handler = logging.handlers.SysLogHandler(
        address=syslog_address(address), facility=logging.handlers.SysLogHandler.LOG_AUTH
    )
    handler.ident = SYSLOG_IDENT
    handler.append_nul = False
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler
