"""Bulk writing for the generator (``generate.py``): rows through PostgreSQL's COPY, and
differences added to many cells in one statement.

Row-by-row ``UPDATE … ; INSERT`` is what the events need (a handful of cells, locked in order),
but a million cases touch millions of cells: there the per-statement cost is the whole cost.
Other backends (SQLite in the tests) take the ordinary ``bulk_create`` path."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

from tiaojie.organisations.models import Organisation
from tiaojie.statistics import levels
from tiaojie.statistics.models import StatCell

# (period, organisation id, indicator, key) → value, as in rollup.Contributions
Delta = dict[Any, Decimal]


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids from the table's own sequence, so rows copied in keep the ids the ORM would give."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (their primary keys set afterwards when they had none): COPY on
    PostgreSQL, ``bulk_create`` elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=1000)
        return
    if objs[0].pk is None:
        for obj, new_id in zip(objs, _reserve_ids(model, len(objs)), strict=True):
            obj.pk = new_id
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    convert = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([to_db(obj) for to_db in convert])


# Fields whose Python value psycopg writes as the ORM would: read straight off the instance
# (``get_db_prep_save`` on every field of every row was most of the generator's time).
# Exact types only: a subclass (an encrypted text field, say) may change the value on the way.
PLAIN = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
        models.BooleanField,
        models.DecimalField,
        models.DateField,
        models.DateTimeField,
        models.ForeignKey,
        models.OneToOneField,
    }
)


def _converter(field: Any) -> Any:
    attname = field.attname
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if type(field) in PLAIN and not auto:
        return lambda obj: obj.__dict__[attname]
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def add_to_cells(delta: Delta) -> int:
    """Add every value of ``delta`` to its cell (creating the cells not there yet), in a few
    statements; returns how many cells changed. Same effect as ``rollup.apply_difference``."""
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
    # The level cells above in the same transaction: a chunk of 20,000 cases spreads to a few
    # thousand committee months but only a few hundred office, district and city months.
    levels.add({(*cell, False): value for cell, value in delta.items()}, paths)
    return len(rows)
