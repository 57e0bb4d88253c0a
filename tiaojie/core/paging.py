"""Counting for lists that may match a great many rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Max, Min, QuerySet


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """How many rows ``queryset`` has, counting no further than ``cap``: (cap, True) if it has
    more. The database stops after cap + 1 rows instead of visiting every match, which is what
    makes the count of a frequent search word cheap (ADR 0007)."""
    found = queryset.order_by()[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


@dataclass(frozen=True)
class Counted:
    """A list's count as the page and the API show it: exact, stopped at the cap (``capped``:
    there are at least ``count``), or estimated (``estimate``: about ``count``). ``ids``: every
    matching row's id, when counting found few enough to name them all (the page is then read
    from those rows, not from a walk of the whole list)."""

    count: int
    capped: bool = False
    estimate: bool = False
    ids: list[int] | None = None


def rounded(estimate: int) -> int:
    """An estimate to two significant digits (483,127 → 480,000): it is not exact, and
    the page should not look as if it were."""
    if estimate < 100:
        return estimate
    scale = int(10 ** (len(str(estimate)) - 2))
    return round(estimate / scale) * scale


def sampled(queryset: QuerySet[Any], sample: int) -> tuple[list[int], int | None]:
    """The ids of the first ``sample`` + 1 rows of ``queryset`` in id order, and, if there are
    more than ``sample``, an estimate of how many there are in all: the sample reached id X of
    the table's ids from its lowest to its highest, so about ``sample × range / (X − lowest)``
    match. The walk in id order is the one the postings and the covering index already give
    (ADR 0034), so it stops after ``sample`` matches however many there are."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: sample + 1])
    if len(ids) <= sample:
        return ids, None
    bounds = queryset.model._default_manager.using(queryset.db).aggregate(
        low=Min("pk"), high=Max("pk")
    )
    low, high = int(bounds["low"]), int(bounds["high"])
    reached = max(ids[sample - 1] - low + 1, 1)
    return ids, max(sample + 1, sample * (high - low + 1) // reached)


def counted(queryset: QuerySet[Any], cap: int, *, estimate: bool = False) -> Counted:
    """The count a list shows. With ``estimate`` (a search, whose frequent words match a great
    many rows) on PostgreSQL, the rows are first counted up to a sample
    (``TIAOJIE_SEARCH_COUNT_SAMPLE``, at most ``cap``) in id order (``sampled``): if there are
    no more, the count is exact and their ids are known; if the estimate from the sample is
    ``cap`` or more it is shown as such, rounded (ADR 0059); between the two the count stops
    at the sample and says so ("1,000+", ADR 0071). Nothing is counted past the sample.
    Otherwise — estimates off, or another database — the rows are counted up to ``cap``
    (``capped_count``)."""
    sample = min(settings.TIAOJIE_SEARCH_COUNT_SAMPLE, cap)
    if estimate and sample and connections[queryset.db].vendor == "postgresql":
        ids, guess = sampled(queryset, sample)
        if guess is None:
            return Counted(len(ids), ids=ids)
        if guess >= cap:
            return Counted(rounded(guess), estimate=True)
        # Counting on to the cap read a tenth of a large subtree's postings or more (50–300 ms
        # a search at 1,000,000 cases) for a figure the sample already bounds (ADR 0071).
        return Counted(sample, capped=True)
    found, capped = capped_count(queryset, cap)
    return Counted(found, capped=capped)
