"""The level cells (``LevelCell``, ADR 0045): for every organisation, the sum of the cells of
its whole subtree, month by month, kept next to the cells.

A change of ``delta`` to a cell of organisation O is also a change of ``delta`` to the level
cell of O and of every organisation above it (the ids in O's path), so the writers of cells
call ``add`` (or ``spread`` and ``upsert`` in bulk) in the same transaction. A report, a
dashboard or the screen then reads one row per figure per organisation instead of summing
hundreds of thousands of committee cells by path prefix.

``rebuild`` recomputes level cells from the cells (a migration, ``--repair``, a tree move) and
``differences`` compares them, which ``verify_statistics`` prints."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Length

from tiaojie.organisations.models import PATH_SEGMENT_WIDTH, Organisation, path_ids
from tiaojie.statistics.choices import period_label
from tiaojie.statistics.models import LevelCell, StatCell

# (period, organisation id, indicator, key, historical) → value
LevelKey = tuple[dt.date, int, str, str, bool]
SEGMENT = PATH_SEGMENT_WIDTH + 1  # the digits of one level and the separator
VALUES_CHUNK = 2000
# Below this many rows one INSERT … VALUES is cheaper than a temporary table and COPY.
COPY_FROM = 5000


def spread(delta: Mapping[LevelKey, Decimal], paths: Mapping[int, str]) -> dict[LevelKey, Any]:
    """The change to the level cells that ``delta`` (changes to cells, by their organisation)
    makes: each value added to its organisation and to every one above it."""
    out: dict[LevelKey, Decimal] = defaultdict(Decimal)
    for (period, org, indicator, key, historical), value in delta.items():
        if not value:
            continue
        for ancestor in path_ids(paths[org]):
            out[(period, ancestor, indicator, key, historical)] += value
    return {cell: value for cell, value in out.items() if value}


def _ancestor_paths(paths: Mapping[int, str]) -> dict[int, str]:
    """Every organisation in the given paths (and above) → its path, read off the paths."""
    out: dict[int, str] = {}
    for path in paths.values():
        for depth, ancestor in enumerate(path_ids(path), start=1):
            out[ancestor] = path[: depth * SEGMENT]
    return out


def add(delta: Mapping[LevelKey, Decimal], paths: Mapping[int, str]) -> int:
    """Add the changes ``delta`` made to cells (``paths``: each cell organisation's current
    path) to the level cells; returns how many level cells changed."""
    change = spread(delta, paths)
    return upsert(change, _ancestor_paths(paths))


def upsert(change: Mapping[LevelKey, Decimal], paths: Mapping[int, str]) -> int:
    """Add each value to its level cell, creating the ones not there yet, in sorted order (two
    writers lock the rows they share in the same order, so they wait rather than deadlock).
    One statement per chunk; through COPY and a temporary table when there are many."""
    rows = [
        (period, org, paths[org], indicator, key, historical, value)
        for (period, org, indicator, key, historical), value in sorted(change.items())
        if value
    ]
    if not rows:
        return 0
    merge_rows(
        LevelCell._meta.db_table,
        "organisation_id, period, indicator, key, historical",
        rows,
        use_copy=len(rows) >= COPY_FROM,
    )
    return len(rows)


# The columns of a cell and of a level cell, in the order ``merge_rows`` takes its rows.
_COLUMNS = "period, organisation_id, org_path, indicator, key, historical, value"


def merge_rows(
    table: str, conflict: str, rows: Sequence[tuple[Any, ...]], *, use_copy: bool
) -> None:
    """Add each row's value to the row of ``table`` with the same ``conflict`` key, creating the
    ones not there yet, in the key's order (two writers lock the rows they share in the same
    order, so they wait rather than deadlock). Rows are ``_COLUMNS``. On PostgreSQL with
    ``use_copy``, through COPY into a temporary table and one statement; else in chunks of
    VALUES. Shared by the cells (``bulk.add_to_cells``) and the level cells (``upsert``)."""
    statement = (
        f"INSERT INTO {table} ({_COLUMNS}) {{source}} ON CONFLICT ({conflict}) "
        f"DO UPDATE SET value = {table}.value + excluded.value, org_path = excluded.org_path"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and use_copy:
            temp = f"{table}_delta"
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {temp} (period date, organisation_id bigint, "
                "org_path varchar(255), indicator varchar(24), key varchar(60), "
                "historical boolean, value numeric(20, 2)) ON COMMIT DELETE ROWS"
            )
            cursor.execute(f"TRUNCATE {temp}")
            with cursor.cursor.copy(f"COPY {temp} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Table and column names come from this module and the models, never from input.
            source = f"SELECT {_COLUMNS} FROM {temp} ORDER BY {conflict}"  # noqa: S608
            cursor.execute(statement.format(source=source))
            return
        for start in range(0, len(rows), VALUES_CHUNK):
            part = rows[start : start + VALUES_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(part))
            params = [str(v) if isinstance(v, Decimal) else v for row in part for v in row]
            cursor.execute(statement.format(source=f"VALUES {values}"), params)


# --- Recomputing from the cells --------------------------------------------------------------


def _depths() -> range:
    longest = Organisation.objects.aggregate(n=Max(Length("path")))["n"] or 0
    return range(1, longest // SEGMENT + 1)


def _summed(depth: int, organisation_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """The SELECT of every level cell of the organisations at ``depth`` (1 = a root), summed
    from the cells under them; the cell's organisation's current path decides where it
    counts, so a cell left under an old path (a move not yet followed) still counts right."""
    cell = StatCell._meta.db_table
    org = Organisation._meta.db_table
    only = ""
    params: list[Any] = [depth * SEGMENT, depth * SEGMENT]
    if organisation_ids is not None:
        only = f"AND a.id IN ({', '.join(['%s'] * len(organisation_ids))})"
        params += list(organisation_ids)
    # Table names from the models' meta, every value a parameter.
    sql = (
        "SELECT c.period, a.id, a.path, c.indicator, c.key, c.historical, SUM(c.value) "  # noqa: S608
        f"FROM {cell} c JOIN {org} o ON o.id = c.organisation_id "
        f"JOIN {org} a ON a.path = substr(o.path, 1, %s) "
        f"WHERE length(o.path) >= %s {only} "
        "GROUP BY c.period, a.id, a.path, c.indicator, c.key, c.historical "
        "HAVING SUM(c.value) <> 0"
    )
    return sql, params


@transaction.atomic
def rebuild(organisation_ids: Iterable[int] | None = None) -> int:
    """Throw away the level cells of ``organisation_ids`` (all when None) and sum them again
    from the cells, in SQL; returns how many there are now."""
    ids = None if organisation_ids is None else sorted(set(organisation_ids))
    if ids == []:
        return 0
    stale = (
        LevelCell.objects.all()
        if ids is None
        else LevelCell.objects.filter(organisation_id__in=ids)
    )
    stale.delete()
    table = LevelCell._meta.db_table
    made = 0
    with connection.cursor() as cursor:
        for depth in _depths():
            sql, params = _summed(depth, ids)
            cursor.execute(
                f"INSERT INTO {table} (period, organisation_id, org_path, indicator, key, "
                f"historical, value) {sql}",
                params,
            )
            made += max(cursor.rowcount, 0)
    return made


@dataclasses.dataclass(frozen=True)
class LevelDifference:
    """A level cell that is not the sum of the cells under its organisation."""

    cell: LevelKey
    stored: Decimal
    expected: Decimal

    def __str__(self) -> str:
        period, org, indicator, key, historical = self.cell
        label = f"{indicator}:{key}" if key else indicator
        history = " (history)" if historical else ""
        return (
            f"{period_label(period)} level of organisation {org} {label}{history}: "
            f"stored {self.stored}, sum of its cells {self.expected}"
        )


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def differences(period: dt.date | None = None) -> list[LevelDifference]:
    """Every level cell that disagrees with the cells under its organisation (``period``:
    that month only)."""
    expected: dict[LevelKey, Decimal] = {}
    with connection.cursor() as cursor:
        for depth in _depths():
            sql, params = _summed(depth, None)
            cursor.execute(sql, params)
            for month, org, _path, indicator, key, historical, value in cursor.fetchall():
                day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month))
                if period is None or day == period:
                    expected[(day, org, indicator, key, bool(historical))] = _money(value)
    stored_rows = LevelCell.objects.exclude(value=0)
    if period is not None:
        stored_rows = stored_rows.filter(period=period)
    stored = {
        (c.period, c.organisation_id, c.indicator, c.key, c.historical): _money(c.value)
        for c in stored_rows.iterator(chunk_size=5000)
    }
    zero = Decimal("0.00")
    return [
        LevelDifference(cell, stored.get(cell, zero), expected.get(cell, zero))
        for cell in sorted(stored.keys() | expected.keys())
        if stored.get(cell, zero) != expected.get(cell, zero)
    ]
