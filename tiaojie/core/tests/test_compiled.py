"""``core.compiled.Compiled``: a queryset compiled once and rerun with new values must answer as
the ORM would, including what the ORM refuses (ADR 0062)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError

from tiaojie.audit import chain
from tiaojie.core.compiled import Compiled, compiled_query
from tiaojie.core.models import OutboxEvent

SENTINEL = {"prefix": "QZXSENTINELQZX"}


def _starting_with() -> Compiled[OutboxEvent]:
    return Compiled(
        OutboxEvent.objects.filter(name__startswith=SENTINEL["prefix"]).order_by("name"),
        SENTINEL,
    )


@pytest.mark.django_db
def test_a_wildcard_in_a_value_matches_itself_as_through_the_orm() -> None:
    """A ``_`` or ``%`` put into a ``startswith`` pattern unescaped would match any character:
    a scope read by tree path would widen to other committees' rows."""
    for name in ("a_b.1", "axb.2", "a%b.3", "a-long-b.4"):
        OutboxEvent.objects.create(name=name)
    compiled = _starting_with()
    for prefix in ("a_b", "a%b", "a"):
        expected = list(OutboxEvent.objects.filter(name__startswith=prefix).order_by("name"))
        assert compiled.all({"prefix": prefix}) == expected, prefix
    assert [e.name for e in compiled.all({"prefix": "a_b"})] == ["a_b.1"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
def test_a_lock_outside_a_transaction_is_refused_as_the_orm_refuses_it() -> None:
    """Let go at once, a lock would protect nothing: two writers would both pass."""
    with transaction.atomic():  # compiled where it was first asked for, in a move's transaction
        locking = Compiled(
            OutboxEvent.objects.select_for_update().filter(name=SENTINEL["prefix"]), SENTINEL
        )
    with pytest.raises(TransactionManagementError):
        locking.all({"prefix": "x"})
    with pytest.raises(TransactionManagementError):
        chain.head()
    with transaction.atomic():
        assert locking.all({"prefix": "x"}) == []
        assert chain.head().pk == 1


@pytest.mark.django_db
def test_a_compiled_count_is_the_orms_count_for_each_value() -> None:
    """The notification badge counts through it: a wrong count is a wrong number on every
    page's header."""
    for name in ("a_b.1", "axb.2", "a%b.3", "b.4"):
        OutboxEvent.objects.create(name=name)
    compiled = _starting_with()
    for prefix in ("a_b", "a%b", "a", "b", "c"):
        expected = OutboxEvent.objects.filter(name__startswith=prefix).count()
        assert compiled.count({"prefix": prefix}) == expected, prefix
    assert compiled.count({"prefix": "a"}) == 3


def test_a_compiled_query_is_compiled_once_for_the_same_arguments() -> None:
    built: list[tuple[str, str]] = []

    @compiled_query(SENTINEL)
    def named(alias: str, order: str) -> QuerySet[OutboxEvent]:
        built.append((alias, order))
        return OutboxEvent.objects.using(alias).filter(name=SENTINEL["prefix"]).order_by(order)

    first = named("default", "name")
    assert named("default", "name") is first
    assert named("default", "-name") is not first
    assert "DESC" in named("default", "-name").sql and "DESC" not in first.sql
    assert built == [("default", "name"), ("default", "-name")]
