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
    locked = CaseNumberCounter.objects.select_for_update()
    counter = locked.filter(committee=committee, year=year).first()
    if counter is None:
        # The year's first case: create the counter (a concurrent first registration gets
        # the row the other made, unique per committee and year), then lock it.
        CaseNumberCounter.objects.get_or_create(committee=committee, year=year)
        counter = locked.get(committee=committee, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first
