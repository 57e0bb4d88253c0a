"""Writing the audit trail. Every service that changes data calls ``record`` in its transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, models
from django.utils import timezone

from tiaojie.audit import chain, syslog
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.audit.privacy import describe_filters, scrub_text
from tiaojie.core import bulk, context
from tiaojie.core.events import jsonable  # one JSON conversion for audit and events

__all__ = [
    "PreparedTrail",
    "TrailRows",
    "build",
    "changed",
    "jsonable",
    "prepare_many",
    "prepare_rows",
    "record",
    "record_many",
    "record_prepared",
    "snapshot",
]


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, ready for before/after (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = jsonable(getattr(obj, attname))
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, so the trail shows what changed and nothing else."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def build(
    event_type: EventType,
    *,
    actor: Any | None,
    organisation: Any | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved event, for ``record`` and for bulk writers that insert many at once.

    ``organisation`` defaults to the actor's, for scoping the trail.
    """
    ctx = context.current()
    # No personal data in the trail: searches by their kind only, numbers in reasons masked.
    if after is not None and isinstance(after.get("filters"), Mapping):
        after = {**after, "filters": describe_filters(after["filters"])}
    reason = scrub_text(reason)
    actor_user = actor if actor is not None and getattr(actor, "pk", None) else None
    org = organisation if organisation is not None else getattr(actor_user, "organisation", None)
    return AuditEvent(
        event_type=int(event_type),
        actor=actor_user,
        actor_username=getattr(actor_user, "username", "") or "",
        actor_name=getattr(actor_user, "full_name", "") or "",
        actor_role=getattr(actor_user, "role", "") or "",
        organisation=org,
        organisation_path=getattr(org, "path", "") or "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(getattr(obj, "audit_label", obj))[:200] if obj is not None else "",
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else None,
        reason=reason,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )


# An event as a plain row: the values of these fields, in the table's order (every field but
# the chain's), as ``build`` would set them on an ``AuditEvent``.
ROW = (
    "occurred_at",
    "event_type",
    "actor",
    "actor_username",
    "actor_name",
    "actor_role",
    "organisation",
    "organisation_path",
    "object_type",
    "object_id",
    "object_repr",
    "request_id",
    "ip",
    "reason",
    "before",
    "after",
)


class TrailRows:
    """Many events of one actor at one organisation, built as plain rows (``ROW``'s values)
    rather than as ``AuditEvent`` instances: what ``build`` would give, with the actor's, the
    organisation's and the request's parts worked out once for them all. For a bulk writer
    (the ledger import: six events per case), which appends them with ``prepare_rows`` and
    ``record_prepared``. ``occurred_at`` is left empty: it is set when they are prepared."""

    def __init__(self, *, actor: Any | None, organisation: Any | None = None) -> None:
        probe = build(EventType.CASE_REGISTERED, actor=actor, organisation=organisation)
        # The parts of every event that do not depend on the event: as ``build`` sets them.
        self.actor_part = (
            probe.actor_id,
            probe.actor_username,
            probe.actor_name,
            probe.actor_role,
            probe.organisation_id,
            probe.organisation_path,
        )
        self.request_part = (probe.request_id, probe.ip)
        self.rows: list[list[Any]] = []
        self._labels: dict[type[models.Model], str] = {}

    def add(
        self,
        event_type: EventType,
        *,
        obj: models.Model | None = None,
        reason: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """The event ``build(event_type, actor=…, organisation=…, obj=obj, …)`` would give."""
        if after is not None and isinstance(after.get("filters"), Mapping):
            after = {**after, "filters": describe_filters(after["filters"])}
        if obj is None:
            about: tuple[str, str, str] = ("", "", "")
        else:
            kind = type(obj)
            label = self._labels.get(kind)
            if label is None:
                label = self._labels[kind] = obj._meta.label_lower
            about = (
                label,
                str(obj.pk) if obj.pk is not None else "",
                str(getattr(obj, "audit_label", obj))[:200],
            )
        self.rows.append(
            [
                None,
                int(event_type),
                *self.actor_part,
                *about,
                *self.request_part,
                scrub_text(reason),
                jsonable(before) if before is not None else None,
                jsonable(after) if after is not None else None,
            ]
        )

    def take(self) -> list[list[Any]]:
        """The rows built so far, in order; the builder starts afresh."""
        rows, self.rows = self.rows, []
        return rows


def as_event(row: list[Any]) -> AuditEvent:
    """The unsaved ``AuditEvent`` of a plain row (``TrailRows``)."""
    return AuditEvent(**{_ATTNAMES[name]: value for name, value in zip(ROW, row, strict=True)})


def prepare_rows(rows: list[list[Any]]) -> PreparedTrail:
    """``prepare_many`` of events built as plain rows (``TrailRows``), with no model instance
    on PostgreSQL: each row's ``COPY`` line and its tail (``chain.tail_of``), the same bytes
    ``prepare_many`` makes of the events they stand for. Elsewhere, or when events are
    forwarded to syslog (which formats instances), the events are made and ``prepare_many``
    serialises them."""
    if connection.vendor != "postgresql" or syslog.enabled() or not rows:
        events = [as_event(row) for row in rows]
        return prepare_many(events) if events else PreparedTrail(events)
    # One time for the batch, as one ``build`` each would give within a few milliseconds:
    # the trail's order is the chain's (and ``-occurred_at, -id`` ties go by the chain's ids).
    now = timezone.now()
    for row in rows:
        if row[0] is None:
            row[0] = now
    prepares = _row_preparers()
    lines = bulk.copy_lines(
        [prepare(value) for prepare, value in zip(prepares, row, strict=True)] for row in rows
    )
    # ``chain.tail``'s order: the type first, then the time, then the rest as in the row.
    tails = [chain.tail_of([row[1], row[0], *row[2:]]) for row in rows]
    return PreparedTrail([], lines, tails)


def _row_preparers() -> list[Callable[[Any], Any]]:
    wrapper = connections[connection.alias]
    fields = {f.name: f for f in _unchained_fields()}
    return [bulk.value_preparer(fields[name], wrapper) for name in ROW]


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append many events built with ``build``, in order, inside the caller's transaction: the
    chain is extended once for them all and they are inserted in bulk (a ledger import's)."""
    chain.link(events)
    created = bulk.insert(AuditEvent, events)
    # The bulk path skips the model's own bulk_create, so it forwards the copy itself: an
    # imported ledger's events must reach the external log like any other (issue 16).
    syslog.forward(events)
    return created


# The chain's columns: last in the prepared rows, filled under the chain's head.
CHAINED = ("id", "seq", "prev_hash", "chain_hash")


@dataclass
class PreparedTrail:
    """Events made ready to append before the chain's head is taken (``prepare_many``): on
    PostgreSQL each event's row as a line of ``COPY`` text with every column but the chain's
    (``lines``) and what its link hashes after the link's head (``tails``), and the events
    only if they are to be forwarded to syslog; elsewhere the events themselves, appended by
    ``record_many``."""

    events: list[AuditEvent]
    lines: list[bytes] = field(default_factory=list)
    tails: list[bytes] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines) if self.lines else len(self.events)


def prepare_many(events: list[AuditEvent]) -> PreparedTrail:
    """Events built with ``build``, serialised for the trail and for their hashes now, so that
    a bulk writer holds the chain's head only to link them (one hash each) and to send them
    (``record_prepared``). Their time is set now if it is not yet."""
    if connection.vendor != "postgresql" or not events:
        return PreparedTrail(events)
    for event in events:
        if event.occurred_at is None:
            event.occurred_at = timezone.now()
    wrapper = connections[connection.alias]
    preparers = [bulk.preparer(f, wrapper) for f in _unchained_fields()]
    lines = bulk.copy_lines([prepare(event) for prepare in preparers] for event in events)
    # The events themselves are kept only for the syslog copy: their rows and hashes say all
    # the trail needs (a large import's memory).
    kept = events if syslog.enabled() else []
    return PreparedTrail(kept, lines, [chain.tail(event) for event in events])


def record_prepared(prepared: PreparedTrail) -> int:
    """Append events made ready by ``prepare_many`` at the chain's end, inside the caller's
    transaction (``record_many``'s, with the Python work done before): lock the chain's head,
    hash each event's link, take the events' ids (so ids follow the chain) and send the rows
    in one ``COPY``; with syslog forwarding on, the events kept get their place in the chain
    and are forwarded after commit, as ``record_many``'s. Returns how many were appended."""
    if not prepared.lines:
        record_many(prepared.events)
        return len(prepared.events)
    locked = chain.head()
    first, prev = locked.seq + 1, locked.last_hash
    prepared_prev = prev
    hashes = chain.link_tails(locked, prepared.tails)
    ids = bulk.new_ids(AuditEvent, len(hashes))
    chunk: list[bytes] = []
    chunks: list[bytes] = []
    for index, (line, chain_hash) in enumerate(zip(prepared.lines, hashes, strict=True)):
        chunk.append(
            b"%s\t%d\t%d\t%s\t%s\n"
            % (line, ids[index], first + index, prev.encode(), chain_hash.encode())
        )
        prev = chain_hash
        if len(chunk) == bulk.BATCH_SIZE:
            chunks.append(b"".join(chunk))
            chunk = []
    chunks.append(b"".join(chunk))
    column = {f.name: f.column for f in AuditEvent._meta.concrete_fields}
    columns = [f.column for f in _unchained_fields()] + [column[name] for name in CHAINED]
    bulk.copy_raw(AuditEvent, columns, chunks)
    if prepared.events:  # kept for syslog only (``prepare_many``)
        prevs = [prepared_prev, *hashes[:-1]]
        for index, event in enumerate(prepared.events):
            event.pk, event.seq = ids[index], first + index
            event.prev_hash, event.chain_hash = prevs[index], hashes[index]
            event._state.adding, event._state.db = False, connection.alias
        syslog.forward(prepared.events)
    return len(hashes)


def _unchained_fields() -> list[models.Field[Any, Any]]:
    return [f for f in AuditEvent._meta.concrete_fields if f.name not in CHAINED]


_ATTNAMES = {f.name: f.attname for f in AuditEvent._meta.concrete_fields}


def record(
    event_type: EventType,
    *,
    actor: Any | None,
    organisation: Any | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction."""
    event = build(
        event_type,
        actor=actor,
        organisation=organisation,
        obj=obj,
        reason=reason,
        before=before,
        after=after,
    )
    event.save()
    return event
