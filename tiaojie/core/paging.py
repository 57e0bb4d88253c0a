"""Counting for lists that may match a great many rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """How many rows ``queryset`` has, counting no further than ``cap``: (cap, True) if it has
    more. The database stops after cap + 1 rows instead of visiting every match, which is what
    makes the count of a frequent search word cheap (ADR 0007)."""
    found = queryset.order_by()[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)
