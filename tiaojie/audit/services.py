"""Writing the audit trail. Every service that changes data calls ``record`` in its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from tiaojie.audit import chain, syslog
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.audit.privacy import describe_filters, scrub_text
from tiaojie.core import bulk, context
from tiaojie.core.events import jsonable  # one JSON conversion for audit and events

__all__ = [
    "build",
    "changed",
    "jsonable",
    "prepare_many",
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


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append many events built with ``build``, in order, inside the caller's transaction: the
    chain is extended once for them all and they are inserted in bulk (a ledger import's)."""
    chain.link(events)
    created = bulk.insert(AuditEvent, events)
    # The bulk path skips the model's own bulk_create, so it forwards the copy itself: an
    # imported ledger's events must reach the external log like any other (issue 16).
    syslog.forward(events)
    return created


# What ``chain.link`` sets: prepared again when prepared events are recorded.
CHAINED = ("occurred_at", "seq", "prev_hash", "chain_hash")


def prepare_many(events: list[AuditEvent]) -> bulk.Prepared[AuditEvent]:
    """Events built with ``build``, made ready to insert before the chain is taken: a bulk
    writer then holds the chain's head for the hashing and the COPY only."""
    return bulk.Prepared(AuditEvent, events)


def record_prepared(prepared: bulk.Prepared[AuditEvent]) -> list[AuditEvent]:
    """``record_many`` of events made ready by ``prepare_many``."""
    chain.link(prepared.objs)
    created = prepared.insert(refresh=CHAINED)
    syslog.forward(prepared.objs)
    return created


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
