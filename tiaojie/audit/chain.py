"""The tamper-evident audit trail: every event carries a sequence number and a hash chained
to the previous event's (SM3 by default where OpenSSL has it, else SHA-256;
``TIAOJIE_AUDIT_HASH``). ``manage.py verify_audit`` recomputes the chain and reports any
changed, missing or added event.

Appending takes a row lock on the chain's head (``AuditChainHead``), held until the writing
transaction commits: audit writes are serialised, which is what makes the sequence gap-free.
On SQLite the whole database is locked by a writer anyway. The chain detects changes made
behind the application's back (in the database); it cannot stop someone who can rewrite the
database *and* recompute every later hash — forwarding events to an external log, or keeping
a copy of the head's hash outside, closes that (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.transaction import TransactionManagementError
from django.utils import timezone

if TYPE_CHECKING:
    from tiaojie.audit.models import AuditEvent

GENESIS = "0" * 64


def algorithm() -> str:
    wanted = str(getattr(settings, "TIAOJIE_AUDIT_HASH", "") or "sm3").lower()
    return wanted if wanted in hashlib.algorithms_available else "sha256"


def tail(event: AuditEvent) -> bytes:
    """What an event's link hashes after its sequence number and the hash before it: its own
    fields, serialised once. A bulk writer computes it before it takes the chain's head
    (``audit.prepare_many``); ``occurred_at`` must be set by then."""
    return tail_of(
        [
            event.event_type,
            event.occurred_at,
            event.actor_id,
            event.actor_username,
            event.actor_name,
            event.actor_role,
            event.organisation_id,
            event.organisation_path,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.request_id,
            event.ip,
            event.reason,
            event.before,
            event.after,
        ]
    )


def tail_of(fields: list[Any]) -> bytes:
    """``tail`` of an event given as its values, in ``tail``'s order (the event's type, then
    its time, then the rest): what a bulk writer that builds events as plain rows hashes
    (``audit.TrailRows``). The time is replaced by its ISO form in UTC here."""
    fields[1] = fields[1].astimezone(dt.UTC).isoformat()
    dumped = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return dumped[1:].encode()  # without the list's "[": the link's head goes there


def _payload(seq: int | None, prev: str, tail: bytes) -> bytes:
    # The JSON list [seq, prev, *fields], as one ``json.dumps`` of it would write it.
    return b"".join((b"[", json.dumps(seq).encode(), b",", json.dumps(prev).encode(), b",", tail))


def digest(event: AuditEvent, prev: str, name: str) -> str:
    return hashlib.new(name, _payload(event.seq, prev, tail(event))).hexdigest()


HEAD_FIELDS = ["id", "seq", "last_hash", "algorithm"]
HEAD_SQL = "SELECT id, seq, last_hash, algorithm FROM {head} WHERE id = 1{lock}"
MOVE_HEAD_SQL = "UPDATE {head} SET seq = %s, last_hash = %s WHERE id = %s"


def head() -> Any:
    """The chain's head (``AuditChainHead``), locked until the writing transaction ends: every
    other audit write now waits. Call inside that transaction. Plain SQL: every audited write
    reads it, and through the ORM building the statement cost more than running it (ADR 0062);
    the ORM creates the row the first time."""
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    if lock and connection.get_autocommit():
        # As the ORM refuses it: a head locked outside a transaction is let go at once, and two
        # writers would fork the chain.
        raise TransactionManagementError("The audit chain's head is locked in a transaction only.")
    with connection.cursor() as cursor:
        # The table name from the model's meta; no value in the statement.
        cursor.execute(HEAD_SQL.format(head=table, lock=lock))
        row = cursor.fetchone()
    if row is not None:
        return AuditChainHead.from_db(connection.alias, HEAD_FIELDS, row)
    found, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"algorithm": algorithm()}
    )
    return found


def _move_head(locked: Any, seq: int, last_hash: str) -> None:
    """Save the head's new sequence number and hash (plain SQL, as ``head`` reads it)."""
    locked.seq, locked.last_hash = seq, last_hash
    table = connection.ops.quote_name(type(locked)._meta.db_table)
    with connection.cursor() as cursor:
        # The table name from the model's meta, every value a parameter.
        cursor.execute(MOVE_HEAD_SQL.format(head=table), [seq, last_hash, locked.pk])


def link_tails(locked: Any, tails: Iterable[bytes]) -> list[str]:
    """The chain hashes of events whose ``tail`` is given, in order, appended after the
    ``locked`` head (``head()``): the first gets the head's sequence number plus one, and so
    on. The head moves on to the last of them and is saved."""
    seq, prev, name = locked.seq, locked.last_hash, locked.algorithm
    hashes: list[str] = []
    for event_tail in tails:
        seq += 1
        prev = hashlib.new(name, _payload(seq, prev, event_tail)).hexdigest()
        hashes.append(prev)
    _move_head(locked, seq, prev)
    return hashes


def link(events: Iterable[AuditEvent]) -> None:
    """Give ``events`` (unsaved, in order) their place in the chain; call inside the writing
    transaction, just before inserting them."""
    events = list(events)
    for event in events:
        if event.occurred_at is None:
            event.occurred_at = timezone.now()
    locked = head()
    prev, seq = locked.last_hash, locked.seq
    hashes = link_tails(locked, [tail(event) for event in events])
    for event, chain_hash in zip(events, hashes, strict=True):
        seq += 1
        event.seq, event.prev_hash, event.chain_hash = seq, prev, chain_hash
        prev = chain_hash


@dataclass(frozen=True)
class Problem:
    seq: int | None
    what: str


def verify() -> Iterator[Problem]:
    """Every break in the chain: a changed event, a missing one, an extra one, a cut tail."""
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return
    expected, prev = 1, GENESIS
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(2000):
        if event.seq != expected:
            if event.seq is not None and event.seq > expected:
                yield Problem(expected, f"events {expected}–{event.seq - 1} are missing")
            else:
                yield Problem(event.seq, "sequence number repeated")
            expected = event.seq or expected
        if event.prev_hash != prev:
            yield Problem(event.seq, "does not follow the event before it")
        if digest(event, event.prev_hash, head.algorithm) != event.chain_hash:
            yield Problem(event.seq, "was changed after it was written")
        prev = event.chain_hash
        expected += 1
    if expected - 1 != head.seq:
        yield Problem(head.seq, f"the chain ends at {expected - 1} but its head says {head.seq}")
    elif prev != head.last_hash:
        yield Problem(head.seq, "the last event does not match the chain's head")
