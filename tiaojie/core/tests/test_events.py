"""Domain events: recorded with the change, delivered after commit, never lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tiaojie.core import events
from tiaojie.core.models import EventDelivery, OutboxEvent

pytestmark = pytest.mark.django_db


class Listeners:
    """Two listeners of ``test.thing``: one that records, one that fails while ``broken``."""

    def __init__(self) -> None:
        self.log: list[tuple[str, dict[str, object]]] = []
        self.broken = False

    def recorder(self, event: events.Event) -> None:
        self.log.append(("recorder", event.payload))

    def flaky(self, event: events.Event) -> None:
        if self.broken:
            raise RuntimeError("listener down")
        self.log.append(("flaky", event.payload))


@pytest.fixture
def received(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listeners]:
    listeners = Listeners()
    monkeypatch.setitem(events._listeners, "test.thing", {})
    events.listen("test.thing")(listeners.recorder)
    events.listen("test.thing")(listeners.flaky)
    yield listeners


def test_event_arrives_only_after_the_transaction_commits(
    received: Listeners,
) -> None:
    with transaction.atomic():
        events.publish("test.thing", {"case": 7})
        assert received.log == []  # not yet: the change is not committed
    assert sorted(received.log) == [("flaky", {"case": 7}), ("recorder", {"case": 7})]
    event = OutboxEvent.objects.get(name="test.thing")
    assert event.delivered_at is not None
    assert EventDelivery.objects.filter(event=event, delivered_at__isnull=False).count() == 2


def test_rolled_back_change_publishes_nothing(
    received: Listeners,
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("test.thing", {"case": 8})
        raise RuntimeError("the service refused")
    assert received.log == []
    assert not OutboxEvent.objects.filter(name="test.thing").exists()


def test_failed_listener_is_retried_alone(
    received: Listeners,
) -> None:
    received.broken = True
    with transaction.atomic():
        events.publish("test.thing", {"case": 9})
    assert received.log == [("recorder", {"case": 9})]
    event = OutboxEvent.objects.get(name="test.thing")
    assert event.delivered_at is None
    failed = EventDelivery.objects.get(event=event, delivered_at__isnull=True)
    assert failed.listener.endswith("flaky")
    assert failed.attempts == 1 and "listener down" in failed.last_error

    received.broken = False
    call_command("deliver_events", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The recorder is not told twice; the flaky one now has it.
    assert received.log == [("recorder", {"case": 9}), ("flaky", {"case": 9})]
    event.refresh_from_db()
    assert event.delivered_at is not None


def test_an_event_is_delivered_only_once_every_listener_has_it(received: Listeners) -> None:
    """Told to some of its listeners (a retry of one, or the sweep past one that gave up), the
    event stays waiting for the rest; it is marked delivered when the last one has it."""
    event = OutboxEvent.objects.create(name="test.thing", payload={"case": 21})  # not queued
    recorder, flaky = list(events.listeners_of("test.thing"))
    assert events.deliver(event.pk, only=recorder) == []
    event.refresh_from_db()
    assert event.delivered_at is None and received.log == [("recorder", {"case": 21})]

    assert events.deliver(event.pk, skip=frozenset({flaky})) == []
    event.refresh_from_db()
    assert event.delivered_at is None  # the recorder is not told twice, the flaky one waits

    assert events.deliver(event.pk, only=flaky) == []
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert received.log == [("recorder", {"case": 21}), ("flaky", {"case": 21})]


@pytest.mark.django_db(transaction=True)
def test_real_commit_delivers(received: Listeners) -> None:
    with transaction.atomic():
        events.publish("test.thing", {"case": 10})
        assert received.log == []
    assert len(received.log) == 2


_WORKER = textwrap.dedent(
    """
    import json, os, signal, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from tiaojie.core import events

    mark = sys.argv[2]

    @events.listen("test.crash")
    def write_mark(event):
        with open(mark, "a") as out:
            out.write(json.dumps(event.payload) + "\\n")

    if sys.argv[1] == "crash":
        call_command("migrate", "core", verbosity=0)
        with transaction.atomic():
            # Registered before the event's own callback: the process dies right after the
            # commit, before it could deliver anything.
            transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
            events.publish("test.crash", {"case": 11})
    else:
        call_command("deliver_events")
    """
)


def test_event_survives_a_worker_killed_between_commit_and_delivery(tmp_path: Path) -> None:
    script = tmp_path / "worker.py"
    script.write_text(_WORKER)
    mark = tmp_path / "delivered.txt"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'outbox.sqlite3'}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }

    def run(step: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(script), step, str(mark)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    crashed = run("crash")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert not mark.exists()  # committed, but nobody was told

    restarted = run("recover")
    assert restarted.returncode == 0, restarted.stderr
    assert "1 event(s) delivered" in restarted.stdout
    assert mark.read_text() == '{"case": 11}\n'

    again = run("recover")  # delivered once: a second sweep tells no one again
    assert "0 event(s) delivered" in again.stdout
    assert mark.read_text() == '{"case": 11}\n'


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """The production task backend: tasks are rows in the database, run by ``db_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(name: str) -> list[list[object]]:
    return [
        row.args_kwargs["args"]
        for row in DBTaskResult.objects.filter(task_path=f"tiaojie.core.events.{name}")
    ]


# Committed for real: the worker closes its connection between tasks, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_the_delivery_task_is_queued_with_the_event_not_after_the_commit(
    received: Listeners, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        event = events.publish("test.thing", {"case": 12})
        # Already a row of this transaction: no statement and commit of its own afterwards.
        assert _queued("deliver_event_task") == [[event.pk]]
    assert not any(isinstance(c, events.DeliverAfterCommit) for c in callbacks)
    assert received.log == []  # queued for the worker, not run in the request

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(received.log) == [("flaky", {"case": 12}), ("recorder", {"case": 12})]


@pytest.mark.usefixtures("database_tasks")
def test_a_rolled_back_event_leaves_no_delivery_task(received: Listeners) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("test.thing", {"case": 13})
        events.publish_many([("test.thing", {"case": 14})])
        raise RuntimeError("the service refused")
    assert not OutboxEvent.objects.filter(name="test.thing").exists()
    assert _queued("deliver_event_task") == []
    assert _queued("deliver_pending_task") == []


# Committed for real: the worker closes its connection between tasks, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_a_bulk_write_queues_one_sweep_with_its_events(received: Listeners) -> None:
    with transaction.atomic():
        events.publish_many([("test.thing", {"case": 15}), ("test.thing", {"case": 16})])
        assert _queued("deliver_pending_task") == [[]]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    told = sorted((listener, payload["case"]) for listener, payload in received.log)
    assert told == [("flaky", 15), ("flaky", 16), ("recorder", 15), ("recorder", 16)]


def test_a_failed_listener_loses_its_own_writes_and_no_one_elses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each listener runs in a transaction of its own (ADR 0072)."""
    from django.contrib.auth.models import Group

    def keeps(event: events.Event) -> None:
        Group.objects.create(name="kept")

    def breaks(event: events.Event) -> None:
        Group.objects.create(name="lost")
        raise RuntimeError("listener down")

    monkeypatch.setitem(events._listeners, "test.write", {})
    events.listen("test.write")(keeps)
    events.listen("test.write")(breaks)
    with transaction.atomic():
        event = events.publish("test.write", {})
    assert list(Group.objects.values_list("name", flat=True)) == ["kept"]
    receipts = {r.listener.rsplit(".", 1)[1]: r for r in EventDelivery.objects.filter(event=event)}
    assert receipts["keeps"].delivered_at is not None
    assert receipts["breaks"].delivered_at is None and receipts["breaks"].attempts == 1


# Committed for real: the write below fails only when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_at_commit_fails_its_listener_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A foreign key is checked at commit: the listener whose row points nowhere fails there,
    is recorded as failed, and the listener after it still has the event."""
    from django.contrib.auth.models import Group

    def points_nowhere(event: events.Event) -> None:
        EventDelivery.objects.create(event_id=event.id + 1000, listener="nowhere")

    def keeps(event: events.Event) -> None:
        Group.objects.create(name="kept")

    monkeypatch.setitem(events._listeners, "test.commit", {})
    events.listen("test.commit")(points_nowhere)
    events.listen("test.commit")(keeps)
    event = OutboxEvent.objects.create(name="test.commit", payload={})  # not queued
    failed = events.deliver(event.pk)
    assert [key.rsplit(".", 1)[1] for key in failed] == ["points_nowhere"]
    assert list(Group.objects.values_list("name", flat=True)) == ["kept"]
    receipts = {r.listener.rsplit(".", 1)[1]: r for r in EventDelivery.objects.filter(event=event)}
    assert receipts["points_nowhere"].attempts == 1
    assert "IntegrityError" in receipts["points_nowhere"].last_error
    assert receipts["keeps"].delivered_at is not None
    assert OutboxEvent.objects.get(pk=event.pk).delivered_at is None


def test_delivering_an_event_costs_four_statements_a_listener(received: Listeners) -> None:
    """The worker's share of every case move: the receipts claimed and read once, then per
    listener its transaction, its receipt locked and marked; the event read and marked once
    (without asking again which listeners have it: all of them were told)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = OutboxEvent.objects.create(name="test.thing", payload={"case": 17})  # not queued
    with CaptureQueriesContext(connection) as two:
        assert events.deliver(event.pk) == []

    def third(event: events.Event) -> None:
        received.log.append(("third", event.payload))

    events.listen("test.thing")(third)
    again = OutboxEvent.objects.create(name="test.thing", payload={"case": 18})
    with CaptureQueriesContext(connection) as three:
        events.deliver(again.pk)
    # Event, claim, receipts, 2 × (begin, locked receipt, mark, commit), event marked.
    assert len(two) == 12, [q["sql"][:50] for q in two.captured_queries]
    assert len(three) == len(two) + 4
    assert "FOR UPDATE" in two.captured_queries[4]["sql"] or connection.vendor == "sqlite"
    assert OutboxEvent.objects.get(pk=again.pk).delivered_at is not None
    assert sorted(name for name, _ in received.log) == [
        "flaky",
        "flaky",
        "recorder",
        "recorder",
        "third",
    ]
