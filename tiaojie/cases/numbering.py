"""Case numbers in the official form （YYYY）<committee short name>人调字第N号: per committee
per year, unique and gap-free (a governance centre numbers its receipts the same way). The counter row is locked for the registering transaction, so
concurrent registrations queue on it and a rolled-back registration gives its number back."""

from __future__ import annotations

from django.db import transaction

from tiaojie.cases.models import CaseNumberCounter
from tiaojie.organisations.models import Organisation


def format_number(committee: Organisation, year: int, sequence: int) -> str:
    return f"（{year}）{committee.short_name or committee.name}人调字第{sequence}号"


def format_receipt(centre: Organisation, year: int, sequence: int) -> str:
    """A governance centre's receipt number; the case is numbered by its committee when routed."""
    return f"（{year}）{centre.short_name or centre.name}综治受字第{sequence}号"


def next_sequence(committee: Organisation, year: int) -> int:
    """Reserve the next number; must run inside the transaction that saves the case."""
    return reserve(committee, year, 1)


def peek(committee: Organisation, year: int) -> int:
    """The number ``reserve`` would give now, without locking: a guess that another
    registration may overtake (the ledger import builds with it, then checks it)."""
    counter = CaseNumberCounter.objects.filter(committee=committee, year=year).first()
    return (counter.last if counter is not None else 0) + 1


def reserve(committee: Organisation, year: int, count: int) -> int:
    """Reserve the next ``count`` numbers of the year at once and return the first: the
    counter is locked and written once for a whole batch (the ledger import), and stays
    locked until the transaction that saves the cases ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are reserved inside the registering transaction")
    if count < 1:
        raise ValueError("reserve at least one number")
    taken = _advance(committee, year, count)
    if taken is None:
        # The year's first case: create the counter (a concurrent first registration gets
        # the row the other made, unique per committee and year), then advance it.
        CaseNumberCounter.objects.get_or_create(committee=committee, year=year)
        taken = _advance(committee, year, count)
    if taken is None:  # pragma: no cover - the row was just made or found
        raise RuntimeError("the number counter vanished")
    return taken - count + 1


def _advance(committee: Organisation, year: int, count: int) -> int | None:
    """Add ``count`` to the year's counter and return its new last number, in one statement:
    the UPDATE locks the row until the transaction ends, as ``SELECT … FOR UPDATE`` then a save
    did in two (ADR 0047). None if the year has no counter yet."""
    connection = transaction.get_connection()
    if not connection.features.can_return_columns_from_insert:
        # A database without RETURNING: lock, then write (PostgreSQL and SQLite ≥ 3.35 have it).
        counter = (
            CaseNumberCounter.objects.select_for_update()
            .filter(committee=committee, year=year)
            .first()
        )
        if counter is None:
            return None
        counter.last += count
        counter.save(update_fields=["last"])
        return counter.last
    with connection.cursor() as cursor:
        cursor.execute(
            _ADVANCE.format(**{k: connection.ops.quote_name(v) for k, v in _NAMES.items()}),
            [count, committee.pk, year],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


# The counter's own field names are its columns; the committee's is ``committee_id``.
_NAMES = {
    "table": CaseNumberCounter._meta.db_table,
    "committee": "committee_id",
    "year": "year",
    "last": "last",
}
_ADVANCE = (
    "UPDATE {table} SET {last} = {last} + %s WHERE {committee} = %s AND {year} = %s "
    "RETURNING {last}"
)
