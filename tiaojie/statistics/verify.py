"""Recompute the figures from the raw rows and compare them with the cells, and the level
cells with the cells under them (``manage.py verify_statistics``; the property tests call it
after random workloads)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from tiaojie.statistics import levels
from tiaojie.statistics.choices import period_label
from tiaojie.statistics.models import StatCell
from tiaojie.statistics.rollup import CellKey, expected_cells


@dataclasses.dataclass(frozen=True)
class Difference:
    cell: CellKey
    stored: Decimal
    expected: Decimal

    def __str__(self) -> str:
        period, org, indicator, key = self.cell
        label = f"{indicator}:{key}" if key else indicator
        return (
            f"{period_label(period)} organisation {org} {label}: "
            f"stored {self.stored}, recomputed {self.expected}"
        )


def differences(period: dt.date | None = None) -> list[Difference | levels.LevelDifference]:
    """Every cell whose stored value is not what the raw rows give, then every level cell
    that is not the sum of the cells under its organisation (``period``: that month)."""
    expected = expected_cells()
    # Imported history has no raw rows to recompute it from.
    cells = StatCell.objects.exclude(value=0).filter(historical=False)
    if period is not None:
        cells = cells.filter(period=period)
        expected = {cell: value for cell, value in expected.items() if cell[0] == period}
    stored: dict[CellKey, Decimal] = {
        (c.period, c.organisation_id, c.indicator, c.key): c.value for c in cells
    }
    out: list[Difference | levels.LevelDifference] = [
        Difference(cell, stored.get(cell, Decimal(0)), expected.get(cell, Decimal(0)))
        for cell in sorted(stored.keys() | expected.keys())
        if stored.get(cell, Decimal(0)) != expected.get(cell, Decimal(0))
    ]
    return out + levels.differences(period)
