"""Audit events forwarded to syslog (RFC 5424) over UDP and TCP, received by real sockets on
loopback; nothing sent for a rolled-back change; a receiver that is down breaks nothing."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from conftest import World
from tiaojie.audit import services as audit
from tiaojie.audit import syslog
from tiaojie.audit.events import EventType

# <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] BOM MSG
LINE = re.compile(
    r"^<(?P<pri>\d+)>1 (?P<ts>\S+) (?P<host>\S+) tiaojie - (?P<msgid>\d+) "
    r'\[tiaojie@32473 seq="(?P<seq>\d+)" hash="(?P<hash>[0-9a-f]{64})" prev="(?P<prev>[0-9a-f]*)"\] '
    r"\ufeff(?P<msg>\{.*\})$",
    re.S,
)


@pytest.fixture(autouse=True)
def _fresh_connections() -> Iterator[None]:
    syslog.reset_connections()
    yield
    syslog.reset_connections()


def _parse(raw: bytes) -> dict[str, Any]:
    match = LINE.match(raw.decode("utf-8"))
    assert match is not None, raw
    return {**match.groupdict(), "body": json.loads(match["msg"])}


def test_events_reach_a_udp_receiver_after_commit(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    port = receiver.getsockname()[1]
    with override_settings(TIAOJIE_SYSLOG=f"udp://127.0.0.1:{port}"):
        with django_capture_on_commit_callbacks(execute=True):
            event = audit.record(
                EventType.ACCOUNT_UNLOCKED,
                actor=world.user("demo_secadmin"),
                obj=world.user("demo_mediator"),
                reason="本人来电",
                after={"failed_logins": 0},
            )
        got = _parse(receiver.recv(65535))
    receiver.close()
    # local0 (16) * 8 + notice (5): an account event is a security event.
    assert got["pri"] == "133"
    assert got["msgid"] == str(EventType.ACCOUNT_UNLOCKED.value)
    assert got["seq"] == str(event.seq) and got["hash"] == event.chain_hash
    body = got["body"]
    assert body["actor"] == "demo_secadmin" and body["reason"] == "本人来电"
    assert body["label"] and body["changed"] == ["failed_logins"]
    # Values of before/after stay home; only their keys travel.
    assert "after" not in body and "before" not in body


def test_events_reach_a_tcp_receiver_framed_by_octet_count(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)
    port = server.getsockname()[1]
    received: list[bytes] = []

    def accept() -> None:
        conn, _addr = server.accept()
        conn.settimeout(5)
        data = b""
        while data.count(b"tiaojie@32473") < 2:
            chunk = conn.recv(65535)
            if not chunk:
                break
            data += chunk
        received.append(data)
        conn.close()

    thread = threading.Thread(target=accept)
    thread.start()
    with (
        override_settings(TIAOJIE_SYSLOG=f"tcp://127.0.0.1:{port}"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = audit.record(EventType.LOGGED_OUT, actor=world.user("demo_mediator"))
        second = audit.record(EventType.LOGGED_OUT, actor=world.user("demo_director"))
    thread.join(10)
    server.close()
    data = received[0]
    messages = []
    while data:
        length, _space, rest = data.partition(b" ")
        messages.append(rest[: int(length)])
        data = rest[int(length) :]
    parsed = [_parse(m) for m in messages]
    assert [p["seq"] for p in parsed] == [str(first.seq), str(second.seq)]
    # The second names the first's hash: the receiver holds the chain too.
    assert parsed[1]["prev"] == parsed[0]["hash"] == first.chain_hash


def test_a_rolled_back_change_sends_nothing(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(1)
    port = receiver.getsockname()[1]
    with override_settings(TIAOJIE_SYSLOG=f"udp://127.0.0.1:{port}"):
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    audit.record(EventType.LOGGED_OUT, actor=world.user("demo_mediator"))
                    raise RuntimeError("the change fails")
            except RuntimeError:
                pass
        with pytest.raises(TimeoutError):
            receiver.recv(65535)
    receiver.close()


def test_a_receiver_that_is_down_costs_a_warning_not_the_change(
    world: World,
    django_capture_on_commit_callbacks: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with (
        override_settings(TIAOJIE_SYSLOG=f"tcp://127.0.0.1:{port}"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = audit.record(EventType.LOGGED_OUT, actor=world.user("demo_mediator"))
    assert event.pk is not None
    assert "not forwarded to syslog" in caplog.text


@pytest.mark.parametrize("path", ["record_many", "record_prepared"])
def test_events_written_in_bulk_are_forwarded_too(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any], path: str
) -> None:
    # A ledger import and a roster import write their events through the bulk paths; the
    # external copy of the trail must not miss them.
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    port = receiver.getsockname()[1]
    actor = world.user("demo_secadmin")
    events = [
        audit.build(EventType.ACCOUNT_UNLOCKED, actor=actor, obj=world.user(name), reason="批量")
        for name in ("demo_mediator", "demo_mediator_b")
    ]
    with override_settings(TIAOJIE_SYSLOG=f"udp://127.0.0.1:{port}"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            if path == "record_many":
                audit.record_many(events)
            else:
                audit.record_prepared(audit.prepare_many(events))
        got = [_parse(receiver.recv(65535)) for _ in events]
    receiver.close()
    assert [g["seq"] for g in got] == [str(e.seq) for e in events]
    assert [g["hash"] for g in got] == [e.chain_hash for e in events]
