"""Bulk writing for the generator (``generate.py``): differences added to many cells in one
statement (the rows themselves go in through ``core.bulk.Stripped``).

Row-by-row ``UPDATE … ; INSERT`` is what the events need (a handful of cells, locked in order),
but a million cases touch millions of cells: there the per-statement cost is the whole cost.
Other backends (SQLite in the tests) add in chunks of VALUES."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiaojie.organisations.models import Organisation
from tiaojie.statistics import levels
from tiaojie.statistics.models import StatCell

# (period, organisation id, indicator, key) → value, as in rollup.Contributions
Delta = dict[Any, Decimal]


def add_to_cells(delta: Delta, *, level_cells: bool = True) -> int:
    """Add every value of ``delta`` to its cell (creating the cells not there yet), in a few
    statements; returns how many cells changed. Same effect as ``rollup.apply_difference``.
    ``level_cells=False`` leaves the level cells to the caller, who must sum them again from
    the cells in the same transaction (``levels.rebuild``: a fresh load, ADR 0060)."""
    delta = {cell: value for cell, value in delta.items() if value}
    if not delta:
        return 0
    paths = dict(
        Organisation.objects.filter(pk__in={c[1] for c in delta}).values_list("pk", "path")
    )
    rows = [
        (period, org, paths[org], indicator, key, False, value)
        for (period, org, indicator, key), value in sorted(delta.items())
    ]
    levels.merge_rows(
        StatCell._meta.db_table,
        "period, organisation_id, indicator, key, historical",
        rows,
        use_copy=True,
    )
    if not level_cells:
        return len(rows)
    # The level cells above in the same transaction: a chunk of 20,000 cases spreads to a few
    # thousand committee months but only a few hundred office, district and city months.
    levels.add({(*cell, False): value for cell, value in delta.items()}, paths)
    return len(rows)
