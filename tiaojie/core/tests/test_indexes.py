"""A migration's index built without stopping writes (``core.indexes``): built, left alone when
it is there, rebuilt after an interrupted build, and removed on the way back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, migrations, models

from tiaojie.core.indexes import add_index_concurrently
from tiaojie.core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)
NAME = "outbox_name_test_idx"
INDEX = models.Index(fields=["name"], name=NAME)


def step(reverse: bool = False) -> Callable[..., Any]:
    operation = add_index_concurrently("core", "outboxevent", INDEX)
    run_python = operation.database_operations[0]
    assert isinstance(run_python, migrations.RunPython)
    return run_python.reverse_code if reverse else run_python.code  # type: ignore[return-value]


def run(reverse: bool = False) -> None:
    # As the migration runs it: atomic = False, outside any transaction.
    with connection.schema_editor(atomic=False) as editor:
        step(reverse)(apps, editor)


def index() -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        found: dict[str, dict[str, Any]] = connection.introspection.get_constraints(
            cursor, OutboxEvent._meta.db_table
        )
    return found.get(NAME)


def valid() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [NAME],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def test_the_index_is_built_and_removed() -> None:
    assert index() is None
    run()
    built = index()
    assert built is not None and built["columns"] == ["name"] and built["index"]
    run(reverse=True)
    assert index() is None


@pytest.mark.postgres_only
def test_a_build_left_invalid_is_built_again_and_a_valid_one_is_kept() -> None:
    # A unique build over two equal names fails and leaves an invalid index of that name, as
    # an interrupted CREATE INDEX CONCURRENTLY does.
    OutboxEvent.objects.create(name="case.moved", payload={})
    OutboxEvent.objects.create(name="case.moved", payload={})
    with connection.cursor() as cursor, pytest.raises(Exception, match="could not create"):
        cursor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY {NAME} ON core_outboxevent (name)")
    assert index() is not None and not valid()

    run()
    assert valid()
    built = index()
    assert built is not None and not built["unique"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT c.oid FROM pg_class c WHERE c.relname = %s", [NAME])
        before = cursor.fetchone()
    run()  # a second run (a migration retried) leaves the valid index as it is
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.oid FROM pg_class c WHERE c.relname = %s", [NAME])
        assert cursor.fetchone() == before
    run(reverse=True)
    assert index() is None
