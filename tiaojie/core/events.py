"""Domain events: published in the writer's transaction, delivered after it commits.

``publish(name, payload)`` writes an ``OutboxEvent`` row in the current transaction and a task
to deliver it: in the same transaction when the task backend keeps its tasks in the same
database (the production set-up), else on commit. Apps that react to another app's changes
register listeners (``@listen("case.moved")``) in their ``listeners.py``, which ``core``
imports at start-up without knowing the apps (``autodiscover_modules``). Each listener's
receipt is a row of its own (``EventDelivery``): a listener that fails is retried alone, later,
by the worker, and ``manage.py deliver_events`` delivers whatever a dead process left
undelivered.

Delivery is at least once: a listener must be idempotent (judge the state again rather than
count on being told once). The catalogue of events is ``docs/events.md``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, models, router, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tiaojie.core import bulk
from tiaojie.core.models import EventDelivery, OutboxEvent

logger = logging.getLogger(__name__)

# After this many failed attempts a listener is left for a person to look at (its error is
# on its delivery row); the sweep stops retrying it.
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Event:
    """What a listener receives."""

    id: int
    name: str
    payload: dict[str, Any]
    at: dt.datetime


Listener = Callable[[Event], None]
_listeners: dict[str, dict[str, Listener]] = {}


def key_of(listener: Listener) -> str:
    """The stable name a listener's deliveries are recorded under."""
    return f"{listener.__module__}.{listener.__qualname__}"


def listen(name: str) -> Callable[[Listener], Listener]:
    """Register the decorated function to receive every event called ``name``."""

    def register(listener: Listener) -> Listener:
        _listeners.setdefault(name, {})[key_of(listener)] = listener
        return listener

    return register


def listeners_of(name: str) -> dict[str, Listener]:
    return dict(_listeners.get(name, {}))


# Values JSON takes as they are, by exact type: ``jsonable`` returns them at once (a bulk
# import converts half a million values, most of them strings and numbers).
_AS_IS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """``value`` with dates, decimals and model instances turned into JSON-ready values."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {
            k if type(k) is str else str(k): v if type(v) in _AS_IS else jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


class DeliverAfterCommit:
    """The on-commit callback of one event (a class, so the test suite can tell it apart)."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id

    def __call__(self) -> None:
        deliver_event_task.enqueue(self.event_id)


def commits_with_the_event(job: Task[Any, Any]) -> bool:
    """Whether a task ``job`` enqueued now is a row in the events' own database, which commits
    or rolls back with the event: then it is enqueued in the writer's transaction, and a worker
    sees it only once the event is committed. Enqueued on commit instead, it was a statement
    and a commit of its own after the user's, while they waited for the answer (ADR 0063).
    Any other backend (the test suite's, which runs the task at once) is asked on commit."""
    return isinstance(job.get_backend(), DatabaseBackend) and router.db_for_write(
        DBTaskResult
    ) == router.db_for_write(OutboxEvent)


def publish(name: str, payload: Mapping[str, Any]) -> OutboxEvent:
    """Record the event ``name`` in the current transaction; it is delivered after commit
    (and never if the transaction rolls back)."""
    event = OutboxEvent.objects.create(name=name, payload=jsonable(payload))
    if commits_with_the_event(deliver_event_task):
        deliver_event_task.enqueue(event.pk)
    else:
        transaction.on_commit(DeliverAfterCommit(event.pk), robust=True)
    return event


class SweepAfterCommit:
    """The on-commit callback of a bulk write's events: one sweep task delivers them all."""

    def __call__(self) -> None:
        deliver_pending_task.enqueue()


def publish_many(events: list[tuple[str, Mapping[str, Any]]]) -> int:
    """Record many events in the current transaction with one bulk insert (a bulk
    import's); after commit one sweep delivers them, in order, instead of a task each. The
    rows are there either way: nothing is lost if the process dies before the sweep."""
    return len(publish_prepared(prepare_many(events)))


@dataclass
class PreparedEvents:
    """Events made ready by ``prepare_many``: their names and JSON payloads and, on
    PostgreSQL, each one's row as a line of ``COPY`` text without its id (taken when they are
    published, so ids follow the order of publication). No ``OutboxEvent`` instance is made
    there: a bulk import's twenty thousand events are plain rows."""

    events: list[tuple[str, Any]]
    lines: list[bytes] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.events)


# The outbox's columns a prepared line gives, the id last (``publish_prepared``).
_PREPARED = ("name", "payload", "created_at", "delivered_at")


def prepare_many(events: list[tuple[str, Mapping[str, Any]]]) -> PreparedEvents:
    """Events made ready for ``publish_prepared`` (a bulk writer's, before it takes a lock):
    the payloads turned into JSON values and, on PostgreSQL, the rows formatted for ``COPY``
    as ``OutboxEvent`` instances would be, stamped now."""
    prepared = PreparedEvents([(name, jsonable(payload)) for name, payload in events])
    if connection.vendor == "postgresql" and prepared.events:
        wrapper = connections[connection.alias]
        fields = {f.name: f for f in OutboxEvent._meta.concrete_fields}
        name_of, payload_of, time_of, delivered_of = (
            bulk.value_preparer(fields[name], wrapper) for name in _PREPARED
        )
        # One time for the batch: the outbox is ordered by id, which follows publication.
        now = time_of(timezone.now())
        prepared.lines = bulk.copy_lines(
            (name_of(name), payload_of(payload), now, delivered_of(None))
            for name, payload in prepared.events
        )
    return prepared


def publish_prepared(prepared: PreparedEvents) -> list[int]:
    """``publish_many`` of events made ready by ``prepare_many``; their ids, in order."""
    if not prepared.events:
        return []
    if prepared.lines:
        ids = bulk.new_ids(OutboxEvent, len(prepared.lines))
        chunks = [
            b"".join(
                b"%s\t%d\n" % (line, pk)
                for line, pk in zip(
                    prepared.lines[start : start + bulk.BATCH_SIZE],
                    ids[start : start + bulk.BATCH_SIZE],
                    strict=True,
                )
            )
            for start in range(0, len(ids), bulk.BATCH_SIZE)
        ]
        column = {f.name: f.column for f in OutboxEvent._meta.concrete_fields}
        bulk.copy_raw(OutboxEvent, [column[name] for name in (*_PREPARED, "id")], chunks)
    else:
        rows = [OutboxEvent(name=name, payload=payload) for name, payload in prepared.events]
        ids = [event.pk for event in bulk.insert(OutboxEvent, rows)]
    if commits_with_the_event(deliver_pending_task):
        deliver_pending_task.enqueue()
    else:
        transaction.on_commit(SweepAfterCommit(), robust=True)
    return ids


def deliver(
    event_id: int, *, only: str | None = None, skip: frozenset[str] = frozenset()
) -> list[str]:
    """Hand the event to each listener that has not had it (``only``: to that one; ``skip``:
    not to these); return the keys of the listeners that failed this time.

    Every listener's receipt is claimed by one insert and read by one select, then each
    listener runs in a transaction of its own with its receipt locked (a retry and the sweep
    take turns) and marked in the same transaction (ADR 0072). Its own transaction, not one
    for the event: a listener's locks end with it (a request that locks the case and then
    its agreement cannot deadlock with a worker holding the agreement from one listener while
    it waits for the case in the next), and a write that fails only at commit (a deferred
    foreign key) fails that listener alone. It was a claim by ``get_or_create``, a second
    locking read and a save per listener: eight statements each, on the worker that shares
    the two cores with the server; now four."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.delivered_at is not None:
        return []
    everyone = listeners_of(event.name)
    wanted = {
        key: listener
        for key, listener in everyone.items()
        if (only is None or key == only) and key not in skip
    }
    receipts = _receipts(event, list(wanted))
    message = Event(event.pk, event.name, dict(event.payload), event.created_at)
    failed: list[str] = []
    for key, listener in wanted.items():
        receipt = receipts[key]
        if receipt.delivered_at is not None:
            continue
        try:
            with transaction.atomic():
                mine = EventDelivery.objects.select_for_update().filter(
                    pk=receipt.pk, delivered_at__isnull=True
                )
                if not mine.exists():  # another delivery told this listener meanwhile
                    continue
                listener(message)
                mine.update(delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
        except Exception as exc:  # a listener's failure must not stop the others
            logger.exception("listener %s failed on event %s", key, event.pk)
            EventDelivery.objects.filter(pk=receipt.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            failed.append(key)
    # Told to every listener without a failure, each receipt is marked (here or by the
    # delivery that got there first): no need to ask which are.
    if not failed and (len(wanted) == len(everyone) or set(everyone) <= _done(event)):
        OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=timezone.now())
    return failed


def _receipts(event: OutboxEvent, keys: list[str]) -> dict[str, EventDelivery]:
    """The receipts of ``keys`` for ``event``, made where missing (one insert, one select)."""
    if not keys:
        return {}
    EventDelivery.objects.bulk_create(
        [EventDelivery(event=event, listener=key) for key in keys], ignore_conflicts=True
    )
    return {
        receipt.listener: receipt
        for receipt in EventDelivery.objects.filter(event=event, listener__in=keys)
    }


def _done(event: OutboxEvent) -> set[str]:
    """The listeners that have ``event``."""
    return set(
        EventDelivery.objects.filter(event=event, delivered_at__isnull=False).values_list(
            "listener", flat=True
        )
    )


def deliver_pending(*, older_than: dt.timedelta = dt.timedelta(0)) -> int:
    """Deliver every event not yet delivered to all its listeners (after a crash, or to retry
    listeners that failed), oldest first; listeners that failed ``MAX_ATTEMPTS`` times are
    skipped. Returns how many events are now delivered."""
    cutoff = timezone.now() - older_than
    delivered = 0
    pending = OutboxEvent.objects.filter(delivered_at__isnull=True, created_at__lte=cutoff)
    for event_id in pending.values_list("pk", flat=True).iterator():
        given_up = frozenset(
            EventDelivery.objects.filter(
                event_id=event_id, delivered_at__isnull=True, attempts__gte=MAX_ATTEMPTS
            ).values_list("listener", flat=True)
        )
        deliver(event_id, skip=given_up)
        delivered += OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=False).count()
    return delivered


@task()
def deliver_event_task(event_id: int, only: str | None = None) -> None:
    """Deliver one event after its transaction committed. A listener that fails is tried
    again alone, later (sooner than the sweep when the task backend can defer a task)."""
    for key in deliver(event_id, only=only):
        attempts = (
            EventDelivery.objects.filter(event_id=event_id, listener=key)
            .values_list("attempts", flat=True)
            .first()
            or 0
        )
        if default_task_backend.supports_defer and attempts < MAX_ATTEMPTS:
            later = timezone.now() + dt.timedelta(minutes=2**attempts)
            deliver_event_task.using(run_after=later).enqueue(event_id, only=key)


@task()
def deliver_pending_task() -> None:
    """The sweep as a task (cron may enqueue it, or run ``manage.py deliver_events``)."""
    deliver_pending()
