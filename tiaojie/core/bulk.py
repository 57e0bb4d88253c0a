"""Inserting many rows at once, for bulk writers such as the ledger import.

On PostgreSQL the rows go in with ``COPY ... FROM STDIN``: their ids are taken from the
table's sequence first (one query), each value is prepared by its model field exactly as
``save`` would prepare it (defaults, ``auto_now_add``, encryption of personal data, JSON), and
the rows are streamed in psycopg's C code. ``bulk_create`` on PostgreSQL sends the rows as
arrays, whose conversion in Python cost more than the database's work (bench/README.md,
ledger import). Elsewhere (SQLite) it is a plain queryset's ``bulk_create``. Either way the objects come back
with their ids, saved, and no signal is sent (as with ``bulk_create``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connection, connections, models
from django.utils import timezone
from psycopg.copy import Copy, FileWriter

M = TypeVar("M", bound=models.Model)

BATCH_SIZE = 1000

# Fields whose value, when it is of one of these types, PostgreSQL's ``get_db_prep_save``
# returns as it is: such values skip the field's preparation (most of a bulk write's Python
# time went into it: ``bench/ledger_import.py --phases``). Matched by the field's exact class,
# since a subclass (an encrypted field) prepares its values its own way; any other value
# (a lazy string, a naive datetime, an expression) takes the field's own preparation.
_INTEGERS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)
AS_IS: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.BooleanField: (bool,),
    models.DateField: (dt.date,),  # exactly a date: a datetime is cut to its day
    models.DateTimeField: (dt.datetime,),  # aware ones only, below
    **{kind: (int,) for kind in _INTEGERS},
}


def take_ids(model: type[M], objs: Sequence[M]) -> None:
    """Give ``objs`` (unsaved) ids from ``model``'s own sequence, before inserting them, so
    rows that refer to them can go in first (foreign keys are checked at commit: Django
    declares them ``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL and SQLite). Call inside the
    transaction that inserts them; the ids are returned to nobody if it rolls back on SQLite,
    and skipped (as any rolled-back insert's) on PostgreSQL."""
    rows = list(objs)
    if not rows:
        return
    for obj, new_id in zip(rows, new_ids(model, len(rows)), strict=True):
        obj.pk = new_id


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids from ``model``'s own sequence in one statement (``nextval`` over
    ``generate_series`` on PostgreSQL), so a bulk writer builds rows and the foreign keys
    between them in Python with no round trip per row. Same transaction rules as
    ``take_ids``."""
    if count <= 0:
        return []
    opts = model._meta
    table, pk = opts.db_table, opts.pk
    if pk is None or not isinstance(pk, models.AutoField | models.BigAutoField):
        raise TypeError(f"{opts.label} has no automatic id to take")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        return _sqlite_ids(cursor, table, pk.column, count)


def _sqlite_ids(cursor: Any, table: str, column: str, count: int) -> list[int]:
    """``count`` ids of an ``AUTOINCREMENT`` table (Django's SQLite ids): its counter in
    ``sqlite_sequence`` is moved on by ``count`` (a write: the database is locked for the
    transaction from here, so no one else takes them)."""
    cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, table])
    if cursor.rowcount == 0:  # the table's first rows: SQLite has no counter for it yet
        quote = connection.ops.quote_name
        cursor.execute(
            f"INSERT INTO sqlite_sequence (name, seq) "  # noqa: S608 - a model's own table
            f"SELECT %s, COALESCE(MAX({quote(column)}), 0) + %s FROM {quote(table)}",
            [table, count],
        )
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    last = int(cursor.fetchone()[0])
    return list(range(last - count + 1, last + 1))


def insert(model: type[M], objs: Sequence[M], batch_size: int = BATCH_SIZE) -> list[M]:
    """Insert ``objs`` (unsaved instances of ``model``) and give them their ids, unless they
    all have one already (``take_ids``)."""
    return Prepared(model, objs, batch_size).insert()


class Prepared(Generic[M]):
    """Rows of ``model`` turned into database values now and inserted later: a bulk writer
    does the Python work (each field's preparation, JSON, encryption) before it takes a lock
    that others wait for, and only the COPY after. ``insert(refresh=...)`` prepares again the
    fields set in the meantime (the audit chain's), and takes the ids then if the objects have
    none, so they follow the order of insertion. Elsewhere than on PostgreSQL nothing is
    prepared ahead: ``insert`` is ``bulk_create``."""

    def __init__(self, model: type[M], objs: Sequence[M], batch_size: int = BATCH_SIZE) -> None:
        self.model, self.objs, self.batch_size = model, list(objs), batch_size
        pk = model._meta.pk
        self.copied = (
            bool(self.objs)
            and connection.vendor == "postgresql"
            and isinstance(pk, models.AutoField | models.BigAutoField)
        )
        self.fields = list(model._meta.concrete_fields)
        self.rows: list[list[Any]] = []
        if self.copied:
            # The wrapper itself, not the ``connection`` proxy: fields ask it for its features
            # and operations once per value, and each look through the proxy costs a
            # thread-local lookup.
            wrapper = connections[connection.alias]
            preparers = [preparer(field, wrapper) for field in self.fields]
            self.rows = [[prepare(obj) for prepare in preparers] for obj in self.objs]

    def insert(self, refresh: Sequence[str] = ()) -> list[M]:
        rows, objs, model = self.rows, self.objs, self.model
        if not self.copied:
            return _plain(model, objs, self.batch_size) if objs else objs
        opts = model._meta
        names = [field.name for field in self.fields]
        if any(obj.pk is None for obj in objs):
            take_ids(model, [obj for obj in objs if obj.pk is None])
            refresh = [*refresh, opts.pk.name]
        wrapper = connections[connection.alias]
        for name in refresh:
            index = names.index(name)
            field = self.fields[index]
            for row, obj in zip(rows, objs, strict=True):
                row[index] = field.get_db_prep_save(field.pre_save(obj, True), wrapper)
        with copy_into(opts.db_table, [field.column for field in self.fields]) as copy:
            for row in rows:
                copy.write_row(row)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
        return objs


def copy_lines(rows: Iterable[Sequence[Any]]) -> list[bytes]:
    """``rows`` of database values (``preparer``'s) as the lines of a text ``COPY``, each
    without its newline, formatted by psycopg as ``COPY``'s ``write_row`` would send them, but
    now, with no statement running: a bulk writer formats its rows before it takes a lock and
    sends them under it with ``copy_raw``. Values escape tabs and newlines in text ``COPY``, so
    the lines are the formatted rows split at each newline. PostgreSQL only."""
    buffer = io.BytesIO()
    wrapper = connections[connection.alias]
    wrapper.ensure_connection()
    # A cursor of psycopg's own that has run nothing: the copy object only borrows its
    # adapters (JSON, times, network addresses) and writes to the buffer.
    with wrapper.connection.cursor() as cursor, Copy(cursor, writer=FileWriter(buffer)) as copy:
        for row in rows:
            copy.write_row(row)
    lines = buffer.getvalue().split(b"\n")
    lines.pop()  # after the last newline
    return lines


@contextmanager
def copy_into(table: str, columns: Sequence[str]) -> Iterator[Any]:
    """psycopg's ``COPY table (columns) FROM STDIN`` on the default connection, for its
    ``write_row`` (values) or ``write`` (formatted lines). PostgreSQL only."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connections[connection.alias].cursor() as cursor:
        raw: Any = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            yield copy


def copy_raw(model: type[models.Model], columns: Sequence[str], chunks: Iterable[bytes]) -> None:
    """Send ``chunks`` of text ``COPY`` data (whole lines, newlines included) into ``columns``
    of ``model``'s table. PostgreSQL only."""
    with copy_into(model._meta.db_table, columns) as copy:
        for chunk in chunks:
            copy.write(chunk)


def preparer(field: models.Field[Any, Any], wrapper: Any) -> Callable[[models.Model], Any]:
    """How to turn ``field``'s value of an unsaved object into its PostgreSQL value, as
    ``field.get_db_prep_save(field.pre_save(obj, True), wrapper)`` does, faster for the plain
    values of plain fields (``AS_IS``)."""

    def prepared(obj: models.Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), wrapper)

    kinds = plain_kinds(field)
    if kinds is None:
        return prepared
    attname = field.attname
    aware = isinstance(field, models.DateTimeField)

    def as_is(obj: models.Model) -> Any:
        value = getattr(obj, attname)
        if value is None or (type(value) in kinds and not (aware and value.tzinfo is None)):
            return value
        return prepared(obj)

    return as_is


def value_preparer(field: models.Field[Any, Any], wrapper: Any) -> Callable[[Any], Any]:
    """``preparer`` for a value rather than an object: how to turn a value of ``field`` into
    its PostgreSQL value, as ``field.get_db_prep_save(value, wrapper)`` does, plain values of
    plain fields as they are. For fields whose ``pre_save`` only reads the value (not
    ``auto_now``: a bulk writer that builds plain rows gives every value itself)."""
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        raise ValueError(f"{field} sets its own value")
    kinds = plain_kinds(field)
    prepare = field.get_db_prep_save
    if kinds is None:
        return lambda value: prepare(value, wrapper)
    aware = isinstance(field, models.DateTimeField)

    def as_is(value: Any) -> Any:
        if value is None or (type(value) in kinds and not (aware and value.tzinfo is None)):
            return value
        return prepare(value, wrapper)

    return as_is


def plain_kinds(field: models.Field[Any, Any]) -> tuple[type, ...] | None:
    """The value types ``field`` writes as they are, or None if it prepares every value."""
    if isinstance(field, models.ForeignKey) and type(field) in (
        models.ForeignKey,
        models.OneToOneField,
    ):
        target = field.target_field
        return (int,) if type(target) in _INTEGERS else None
    kinds = AS_IS.get(type(field))
    if kinds is None:
        return None
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        return None  # ``pre_save`` sets the time
    if isinstance(field, models.DateTimeField) and not settings.USE_TZ:
        return None  # aware times are made naive
    return kinds


def _plain(model: type[M], rows: list[M], batch_size: int) -> list[M]:
    """``bulk_create`` of a plain queryset: the same on every backend, whatever a model's own
    manager adds to it (the audit trail's links its events, which its caller did already)."""
    queryset: models.QuerySet[M] = models.QuerySet(model=model)
    return queryset.bulk_create(rows, batch_size=batch_size)


def set_prefetched(obj: models.Model, relation: str, related: Sequence[models.Model]) -> None:
    """Hold ``related`` as ``obj.<relation>.all()``, as ``prefetch_related`` would: a service
    that has just written those rows hands them on, so the answer does not read them back."""
    queryset = getattr(obj, relation).all()
    queryset._result_cache = list(related)
    queryset._prefetch_done = True
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset


# --- Loading plain rows: a generator's millions ------------------------------------------------


class Stripped:
    """Rows of ``model`` given as plain tuples of ``columns`` (attnames, in that order): an
    automatic id left out is given by the database, every
    other concrete column takes its default, prepared once for all rows (``auto_now`` and
    ``auto_now_add`` the time of this call). No model instance is made per row, which was
    most of a generator's Python time. The caller's values go in as they are on PostgreSQL
    (ints, strs, bools, dates, aware datetimes, Decimals: what psycopg writes as the ORM
    would); elsewhere each goes through its field's ``get_db_prep_save``. The columns named in
    ``prepared`` (JSON given per row) go through their field's preparation on every backend.
    Not for encrypted fields nor callable unique defaults."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], prepared: Sequence[str] = ()
    ) -> None:
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(columns) - fields.keys()
        if unknown:
            raise ValueError(f"{model._meta.label} has no columns {sorted(unknown)}")
        if not set(prepared) <= set(columns):
            missing = sorted(set(prepared) - set(columns))
            raise ValueError(f"{model._meta.label}: columns to prepare not given: {missing}")
        self.given = [fields[name] for name in columns]
        self.prepare_at = [
            (index, fields[name].get_db_prep_save)
            for index, name in enumerate(columns)
            if name in prepared
        ]
        rest = [
            field
            for name, field in fields.items()
            if name not in set(columns)
            # An automatic id not given is the table's own to give, from its sequence.
            and not (
                field.primary_key and isinstance(field, models.AutoField | models.BigAutoField)
            )
        ]
        wrapper = connections[connection.alias]
        now = timezone.now()
        tail = []
        for field in rest:
            if field.primary_key:
                raise ValueError(f"{model._meta.label}: the rows must give the primary key")
            if field.has_default() and callable(field.default) and field.unique:
                raise ValueError(f"{field}: a unique default cannot be shared by every row")
            value = field.get_default()
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now if isinstance(field, models.DateTimeField) else now.date()
            tail.append(field.get_db_prep_save(value, wrapper))
        self.tail = tuple(tail)
        self.fields = self.given + rest
        self.table = model._meta.db_table

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert ``rows``: one COPY on PostgreSQL, one ``executemany`` elsewhere; no statement
        for an empty list."""
        if isinstance(rows, Sequence) and not rows:
            return
        tail = self.tail
        if connection.vendor == "postgresql":
            wrapper, prepare_at = connections[connection.alias], self.prepare_at
            with copy_into(self.table, [field.column for field in self.fields]) as copy:
                for row in rows:
                    if prepare_at:
                        values = list(row)
                        for index, prepare in prepare_at:
                            values[index] = prepare(values[index], wrapper)
                        row = tuple(values)  # the row as the database takes it
                    copy.write_row(row + tail)
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        wrapper = connections[connection.alias]
        with wrapper.cursor() as cursor:
            given = self.given
            prepared = [
                tuple(
                    field.get_db_prep_save(value, wrapper)
                    for field, value in zip(given, row, strict=True)
                )
                + tail
                for row in rows
            ]
            if prepared:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",  # noqa: S608 - a model's own table
                    prepared,
                )


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("only inside a transaction: a failure must put everything back")


@contextmanager
def trigger_off(model: type[models.Model], *triggers: str) -> Iterator[None]:
    """``triggers`` of ``model``'s table disabled inside this block, on PostgreSQL (a no-op
    elsewhere). Only for a load whose rows the triggers would do nothing for (the search
    postings of cases that have no search tokens): the caller answers for that. Inside a
    transaction only, so a failure re-enables them with the rollback; others wait for the
    table meanwhile (``ALTER TABLE`` locks it)."""
    if connection.vendor != "postgresql":
        yield
        return
    _require_transaction()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for name in triggers:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for name in triggers:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {connection.ops.quote_name(name)}")


@dataclasses.dataclass
class Dropped:
    """What ``indexes_off`` dropped and built again, and how long the building took."""

    indexes: list[str] = dataclasses.field(default_factory=list)
    foreign_keys: list[str] = dataclasses.field(default_factory=list)
    rebuild_s: float = 0.0


@contextmanager
def indexes_off(*tables: type[models.Model]) -> Iterator[Dropped]:
    """The secondary indexes and foreign keys of ``tables`` dropped inside this block and
    created again, from their own definitions as PostgreSQL prints them, at its end: sorting
    once is many times faster than growing each b-tree row by row, and each foreign key is
    checked by one join instead of a lookup per row. Primary keys and unique constraints stay
    (an upsert needs them, and a duplicate fails at once). Unique indexes that are no
    constraint (a partial one) are checked when built again. PostgreSQL only, inside a
    transaction that nobody else needs these tables during (each ``ALTER TABLE`` locks its
    table to the end); a no-op elsewhere."""
    dropped = Dropped()
    if connection.vendor != "postgresql":
        yield dropped
        return
    _require_transaction()
    names = [model._meta.db_table for model in tables]
    with connection.cursor() as cursor:
        # Checks still pending in this transaction (rows inserted earlier, a test's world)
        # would stop the ALTER TABLEs: run them now, then defer again as Django declares.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [names],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [names],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    dropped.indexes = [name for name, _definition in indexes]
    dropped.foreign_keys = [name for _table, name, _definition in keys]
    yield dropped
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    dropped.rebuild_s = time.perf_counter() - started
