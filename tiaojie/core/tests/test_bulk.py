"""``bulk.Stripped``, the plain-row writer of the case generator and the ledger import: rows
given as tuples must land as the ORM would have written them, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiaojie.core import bulk
from tiaojie.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_an_id_left_out_is_the_databases_and_json_given_per_row_is_prepared() -> None:
    """The ledger's moves: no id taken beforehand, a JSON column per row (prepared by its
    field on every backend), the other columns their defaults."""
    before = timezone.now()
    stripped = bulk.Stripped(OutboxEvent, ("name", "payload"), prepared=("payload",))
    with transaction.atomic():
        stripped.insert(
            [
                ("bulk.one", {"case": 1, "names": ["张三", "李四"]}),
                ("bulk.two", {"on": "2026-12-01", "amount": "1200.50"}),
            ]
        )
    rows = list(OutboxEvent.objects.filter(name__startswith="bulk.").order_by("id"))
    assert [(row.name, row.payload) for row in rows] == [
        ("bulk.one", {"case": 1, "names": ["张三", "李四"]}),
        ("bulk.two", {"on": "2026-12-01", "amount": "1200.50"}),
    ]
    assert rows[0].pk < rows[1].pk  # from the table's own sequence, in order
    assert all(row.delivered_at is None for row in rows)
    assert all(before <= row.created_at <= timezone.now() for row in rows)


def test_given_ids_are_kept_and_an_empty_list_sends_nothing() -> None:
    ids = bulk.new_ids(OutboxEvent, 2)
    stripped = bulk.Stripped(OutboxEvent, ("id", "name", "payload"), prepared=("payload",))
    with CaptureQueriesContext(connection) as queries:
        stripped.insert([])
    assert queries.captured_queries == []
    with transaction.atomic():
        stripped.insert([(ids[0], "bulk.kept", {}), (ids[1], "bulk.kept", {"n": 2})])
    assert list(
        OutboxEvent.objects.filter(name="bulk.kept").order_by("id").values_list("id", "payload")
    ) == [(ids[0], {}), (ids[1], {"n": 2})]


def test_a_column_to_prepare_must_be_given() -> None:
    with pytest.raises(ValueError, match="payload"):
        bulk.Stripped(OutboxEvent, ("name",), prepared=("payload",))
    with pytest.raises(ValueError, match="nothing"):
        bulk.Stripped(OutboxEvent, ("name", "nothing"))


def test_a_given_time_is_written_as_given() -> None:
    at = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    with transaction.atomic():
        bulk.Stripped(OutboxEvent, ("name", "created_at")).insert([("bulk.dated", at)])
    assert OutboxEvent.objects.get(name="bulk.dated").created_at == at
