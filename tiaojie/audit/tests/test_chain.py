"""Issue 16, 安全审计: the trail is hash-chained and ``verify_audit`` finds a change or a gap."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import World
from tiaojie.accounts import services as accounts
from tiaojie.audit import chain
from tiaojie.audit import services as audit_services
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditChainHead, AuditEvent


def _events(world: World) -> list[AuditEvent]:
    mediator = world.user("demo_mediator")
    for _ in range(3):
        accounts.token_issue(user=mediator)
    return list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq"))


def _raw(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger (migration 0002) would refuse: this test plays the
            # intruder who has the database itself.
            # Pending deferred foreign-key checks must run before the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=out)
    return out.getvalue()


def test_an_untouched_trail_verifies(world: World) -> None:
    events = _events(world)
    assert len(events) >= 3
    assert all(e.chain_hash and len(e.chain_hash) == 64 for e in events)
    assert "verifies" in _verify()
    assert AuditChainHead.objects.get().algorithm in ("sm3", "sha256")


def test_a_changed_event_is_found(world: World) -> None:
    events = _events(world)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改过", events[-2].pk])
    with pytest.raises(CommandError):
        _verify()


def test_a_deleted_event_is_found(world: World) -> None:
    events = _events(world)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-2].pk])
    with pytest.raises(CommandError) as failed:
        _verify()
    assert "does not verify" in str(failed.value)


@pytest.mark.django_db(transaction=True)
def test_an_event_recorded_outside_any_transaction_is_chained() -> None:
    # A failed login records its event outside a transaction; on PostgreSQL the chain head's
    # row lock then needs one of its own (it answered 500 to every wrong password before).
    event = audit_services.record(EventType.LOGIN_FAILED, actor=None, after={"username": "unknown"})
    assert event.seq is not None and event.chain_hash
    assert list(chain.verify()) == []
