"""Issue 16, 安全审计: the trail is hash-chained and ``verify_audit`` finds a change or a gap."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

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


def test_a_link_hashes_what_it_always_hashed() -> None:
    """Trails written before the chain's hashing was split in two (each event's own fields
    serialised ahead, its link's head at append: ADR 0048) still verify: the same event and
    the same hash before it give the same hash as then."""
    event = AuditEvent(
        seq=7,
        event_type=400,
        occurred_at=dt.datetime(2024, 5, 1, 1, 2, 3, tzinfo=dt.UTC),
        actor_id=3,
        actor_username="demo_director",
        actor_name="王秀兰",
        actor_role="director",
        organisation_id=5,
        organisation_path="0001.0002.",
        object_type="cases.case",
        object_id="42",
        object_repr="（2024）东湖调字第1号",
        request_id="",
        ip="10.0.0.1",
        reason="据历史台账补录",
        before={"status": "registered"},
        after={"b": [1, "二"], "a": {"z": None, "y": True}},
    )
    # Computed by the code before the split (main at d9a2fba).
    assert chain.digest(event, "f" * 64, "sha256") == (
        "0949bd04e43f46a4f93f983c2f0815a5568288e2aee4db3c6b485c09dfdce092"
    )
    if "sm3" in hashlib.algorithms_available:
        assert chain.digest(event, "f" * 64, "sm3") == (
            "36c6c37408853a53a191ed3eca301bb0b5d496c42fa14ec219f02bf3319e1e52"
        )


def test_a_ledger_imported_in_bulk_keeps_the_chain_whole(world: World) -> None:
    """The ledger import serialises its audit events before it takes the chain's head and only
    links and sends them under it: the trail still verifies, with events recorded one by one
    before and after it, every imported case has its events, in the order the services would
    record them, and ids follow the chain."""
    from tiaojie.cases.ledger_import import ledger_import
    from tiaojie.cases.tests.ledger_files import many_rows, table

    director = world.user("demo_director")
    accounts.token_issue(user=world.user("demo_mediator"))
    before = AuditEvent.objects.filter(seq__isnull=False).count()
    created = ledger_import(actor=director, rows=table(many_rows(12)), file_name="台账.xlsx")
    accounts.token_issue(user=world.user("demo_mediator"))
    assert list(chain.verify()) == []
    assert "verifies" in _verify()
    trail = list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq"))
    assert len(trail) > before + 2 * len(created)  # two events per case at least
    imported = [e for e in trail[before:] if e.object_type == "cases.case"]
    assert {int(e.object_id) for e in imported} == {case.pk for case in created}
    for case in created:
        mine = [e.event_type for e in imported if e.object_id == str(case.pk)]
        assert mine[0] == EventType.CASE_REGISTERED
    ids = [e.pk for e in trail]
    assert ids == sorted(ids)
    assert AuditChainHead.objects.get().seq == trail[-1].seq


@pytest.mark.django_db
def test_an_event_built_as_a_plain_row_hashes_as_its_model_instance(world: World) -> None:
    """A bulk writer's events, built as plain rows (``TrailRows``, ADR 0048 "Events as plain
    rows"), hold the values ``build`` gives an ``AuditEvent`` column by column, so their links
    hash the same bytes."""
    director = world.user("demo_director")
    case = AuditChainHead(pk=99)  # any saved-looking object: its label, id and repr
    when = dt.datetime(2024, 5, 1, 1, 2, 3, tzinfo=dt.UTC)
    arguments: dict[str, Any] = {
        "obj": case,
        "reason": "据历史台账补录 13812345678",
        "before": {"status": "registered", "on": dt.date(2024, 5, 1)},
        "after": {"status": "accepted", "filters": {"q": "王建华"}},
    }
    event = audit_services.build(
        EventType.CASE_MOVED, actor=director, organisation=director.organisation, **arguments
    )
    event.occurred_at = when
    rows = audit_services.TrailRows(actor=director, organisation=director.organisation)
    rows.add(EventType.CASE_MOVED, **arguments)
    [row] = rows.take()
    row[0] = when
    names = [
        f.name for f in AuditEvent._meta.concrete_fields if f.name not in audit_services.CHAINED
    ]
    assert list(audit_services.ROW) == names
    rebuilt = audit_services.as_event(row)
    for name in names:
        assert getattr(rebuilt, name) == getattr(event, name), name
    assert chain.tail_of([row[1], row[0], *row[2:]]) == chain.tail(event)
