"""Reading figures in tests the way reports do: summed by organisation path."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from tiaojie.organisations.models import Organisation
from tiaojie.statistics.models import StatCell


def figure(org: Organisation, indicator: str, key: str = "") -> Decimal:
    """This month's figure of ``org`` (its subtree)."""
    period = timezone.localdate().replace(day=1)
    total = StatCell.objects.filter(
        org_path__startswith=org.path, period=period, indicator=indicator, key=key
    ).aggregate(v=Sum("value"))["v"]
    return total or Decimal(0)
