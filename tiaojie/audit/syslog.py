"""Forwarding audit events to an external syslog server (RFC 5424), so that a copy of the
trail and of the chain's hashes lives outside the database (issue 16, 安全审计 c).

``TIAOJIE_SYSLOG`` names the receiver: ``udp://host:514`` or ``tcp://host:601`` (TCP frames
by octet counting, RFC 6587); empty turns forwarding off. Each event is sent after its
transaction commits (a rolled-back change sends nothing), as facility local0, severity
notice for security events (1xx, 3xx) and informational for the rest, with the chain's
sequence number and hash as structured data and the event as JSON in the message.

What is sent is what the audit administrator reads, less ``before``/``after`` values (only
their keys): the receiver is outside the system's access control. Forwarding is best effort:
a receiver that is down costs a warning in the log, never the user's change; the trail in
the database stays complete, and ``seq`` shows the receiver which events it missed.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    from tiaojie.audit.models import AuditEvent

logger = logging.getLogger(__name__)

FACILITY_LOCAL0 = 16
SEVERITY_NOTICE = 5
SEVERITY_INFO = 6
APP_NAME = "tiaojie"
# The SD-ID's private enterprise number is the one RFC 5612 reserves for documentation:
# installations that register their own may change it; receivers match on "tiaojie@".
SD_ID = "tiaojie@32473"
TIMEOUT_SECONDS = 2.0
BOM = "\ufeff"

_lock = threading.Lock()
_tcp: dict[tuple[str, int], socket.socket] = {}


def _param(value: object) -> str:
    """An SD-PARAM value with ``"``, ``\\`` and ``]`` escaped (RFC 5424 §6.3.3)."""
    text = str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _header_token(value: str) -> str:
    """A header field: printable US-ASCII without spaces, or the nil value."""
    cleaned = "".join(ch for ch in value if 33 <= ord(ch) <= 126)
    return cleaned or "-"


def format_event(event: AuditEvent) -> bytes:
    """One RFC 5424 message for ``event``."""
    security = event.event_type // 100 in (1, 3)
    pri = FACILITY_LOCAL0 * 8 + (SEVERITY_NOTICE if security else SEVERITY_INFO)
    timestamp = event.occurred_at.isoformat(timespec="microseconds")
    hostname = _header_token(socket.gethostname())[:255]
    sd = (
        f'[{SD_ID} seq="{_param(event.seq or "")}" hash="{_param(event.chain_hash)}" '
        f'prev="{_param(event.prev_hash)}"]'
    )
    body = {
        "seq": event.seq,
        "time": timestamp,
        "event": event.event_type,
        "label": event.get_event_type_display(),
        "actor": event.actor_username,
        "role": event.actor_role,
        "organisation": event.organisation_path,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.object_repr,
        "reason": event.reason,
        "request_id": event.request_id,
        "ip": event.ip,
        "changed": sorted(set(event.before or {}) | set(event.after or {})),
    }
    msg = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    line = f"<{pri}>1 {timestamp} {hostname} {APP_NAME} - {event.event_type} {sd} {BOM}{msg}"
    return line.encode("utf-8")


def _target() -> tuple[str, str, int] | None:
    url = getattr(settings, "TIAOJIE_SYSLOG", "")
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    default_port = 601 if scheme == "tcp" else 514
    return scheme, parts.hostname or "127.0.0.1", parts.port or default_port


def _send_tcp(host: str, port: int, messages: list[bytes]) -> None:
    framed = b"".join(str(len(m)).encode("ascii") + b" " + m for m in messages)
    with _lock:
        for attempt in (1, 2):
            sock = _tcp.get((host, port))
            try:
                if sock is None:
                    sock = socket.create_connection((host, port), timeout=TIMEOUT_SECONDS)
                    _tcp[(host, port)] = sock
                sock.sendall(framed)
                return
            except OSError:
                # A connection the receiver closed is only noticed now: reconnect once.
                _tcp.pop((host, port), None)
                if sock is not None:
                    sock.close()
                if attempt == 2:
                    raise


def send(messages: list[bytes]) -> None:
    """Send formatted messages to the configured receiver; failures are logged, not raised."""
    target = _target()
    if target is None or not messages:
        return
    scheme, host, port = target
    try:
        if scheme == "tcp":
            _send_tcp(host, port, messages)
        else:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                for message in messages:
                    sock.sendto(message, (host, port))
    except OSError as exc:
        logger.warning("audit events not forwarded to syslog %s:%s: %s", host, port, exc)


def enabled() -> bool:
    """Whether events are forwarded (``TIAOJIE_SYSLOG`` is set): a bulk writer keeps its
    events for the copy only then."""
    return _target() is not None


def forward(events: Iterable[AuditEvent]) -> None:
    """Send ``events`` once the current transaction commits (at once outside one)."""
    if _target() is None:
        return
    messages = [format_event(event) for event in events]
    transaction.on_commit(partial(send, messages))


def reset_connections() -> None:
    """Close kept TCP connections (tests, and after the setting changes)."""
    with _lock:
        for sock in _tcp.values():
            sock.close()
        _tcp.clear()
