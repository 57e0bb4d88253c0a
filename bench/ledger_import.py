#!/usr/bin/env python
"""The import of a historical case ledger, against loading the same rows with COPY.

Builds a throw-away PostgreSQL database with the demo network and accounts
(``tiaojie.accounts.demo.seed_demo``), generates a ledger XLSX of N rows for 东湖社区人民调解委员会
(every outcome, parties with ID numbers and phones, two mediators), and times in the same
process:

1. Tiaojie: ``ledger_import`` as the page and the background task call it, from the file's
   bytes to committed cases: reading, checking every row and building every case against the
   workflow's table, then writing cases, parties, mediators, moves, records, audit events and
   domain events in bulk in one transaction, dated as the ledger says. Its checking phase (up
   to ``progress(0, n)``) is shown on its own, and how long the year's number counter was
   locked (from the first reservation to the commit).
2. The baseline: the same file read with openpyxl, and its rows' essential columns (dates,
   type, source, summary, parties, result, mediators) loaded into a bare table with PostgreSQL
   ``COPY`` through psycopg's ``cursor.copy``: the floor of "file into the database" the issue
   names. A second baseline reads the file as the import does (calamine, ADR 0065), the
   floor with today's fastest reader; its ratio is printed too.

It prints rows per second for each, the ratio, and the SQL statements per row of the import,
for each size given (``--rows 5000 50000``: each size a ledger of its own, imported into the
same database one after the other; sizes above the import's row limit lift that limit for the
run). It asserts nothing about speed and is not part of the test suite (see bench/README.md).

    .venv/bin/python bench/ledger_import.py [--rows 5000 50000] [--database-url URL] [--phases]

With ``--phases`` it also prints where the import's time goes, phase by phase (wall time and
the part spent waiting for the database), timing the same functions the import calls; the
deferred foreign-key checks are then run just before the commit (``SET CONSTRAINTS ALL
IMMEDIATE``) so that they are shown apart from the commit. ``BENCH_PROFILE=file`` writes a
cProfile of the import.

Without ``--database-url`` it starts a cluster of its own with scripts/lib/pg-cluster (the
PostgreSQL server binaries must be installed) and removes it at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from org_tree import ROOT, database_label, throwaway_database

# Bench-only: seeding the demo accounts should not spend a minute hashing passwords.
OVERRIDES: dict[str, Any] = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
COMMITTEE = "东湖社区人民调解委员会"
MEDIATORS = ["李建国", "王秀兰"]  # demo_mediator and demo_director of that committee
OUTCOMES: list[dict[str, str]] = [
    {"调解结果": "成功", "协议形式": "书面", "履行情况": "已履行"},
    {"调解结果": "成功", "协议形式": "书面"},
    {"调解结果": "成功", "协议形式": "口头", "履行情况": "部分履行"},
    {"调解结果": "成功", "协议形式": "口头"},
    {"调解结果": "不成功"},
    {"调解结果": "终止"},
    {"调解结果": "不予受理"},
    {"调解结果": "调解中"},
]
# The columns the baseline keeps, in the bare table's order.
BASELINE_COLUMNS = [
    "登记日期",
    "纠纷类型",
    "案件来源",
    "纠纷简要情况",
    "申请人",
    "申请人身份证号",
    "申请人电话",
    "被申请人",
    "被申请人身份证号",
    "被申请人电话",
    "调解结果",
    "协议日期",
    "调解员",
]


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """The given server, or a throw-away cluster of scripts/lib/pg-cluster."""
    if url:
        yield url
        return
    directory = Path(tempfile.mkdtemp(prefix="tiaojie-bench-pg-"))
    script = str(ROOT / "scripts" / "lib" / "pg-cluster")
    try:
        started = subprocess.run(  # noqa: S603 - our own script
            [script, "start", str(directory)], check=True, capture_output=True, text=True
        )
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", str(directory)], check=False)  # noqa: S603
        shutil.rmtree(directory, ignore_errors=True)


# --- The ledger ------------------------------------------------------------------------------


def ledger_rows(
    count: int, rng: random.Random, today: dt.date, label: str = ""
) -> list[dict[str, str]]:
    """``count`` distinct cases of the two years before ``today``, every outcome in turn."""
    from tiaojie.cases.demo_stories import GIVEN, SURNAMES
    from tiaojie.core.validators import id_number_check_char

    types = ["邻里", "婚姻家庭", "合同", "损害赔偿", "物业", "劳动争议", "其他"]
    sources = ["当事人申请", "主动调解", "派出所移送", "法院委托", "网格员上报"]
    start = dt.date(today.year - 2, 1, 1)
    span = (dt.date(today.year - 1, 12, 31) - start).days

    def person() -> str:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)

    def id_number() -> str:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        body = f"420102{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
        return body + id_number_check_char(body)

    def phone() -> str:
        return f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"

    rows: list[dict[str, str]] = []
    for index in range(count):
        registered = start + dt.timedelta(days=rng.randrange(0, span - 30))
        outcome = OUTCOMES[index % len(OUTCOMES)]
        row = {
            "登记日期": registered.isoformat(),
            "纠纷类型": rng.choice(types),
            "案件来源": rng.choice(sources),
            "纠纷简要情况": f"台账{label}第{index + 1}号纠纷",
            "申请人": person(),
            "申请人身份证号": id_number(),
            "申请人电话": phone(),
            "被申请人": person(),
            "被申请人身份证号": id_number(),
            "被申请人电话": phone(),
            "涉及人数": "2",
            "涉及金额(元)": f"{rng.randrange(0, 5000000) / 100:.2f}",
            "调解员": "、".join(rng.sample(MEDIATORS, rng.choice([1, 2]))),
            **outcome,
        }
        ended = registered + dt.timedelta(days=rng.randrange(0, 30))
        if outcome["调解结果"] == "成功":
            row["协议日期"] = ended.isoformat()
        elif outcome["调解结果"] in ("不成功", "终止"):
            row["结案日期"] = ended.isoformat()
        rows.append(row)
    return rows


def ledger_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    from tiaojie.cases.ledger_columns import COLUMNS

    headers = [column.header for column in COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The two sides ---------------------------------------------------------------------------


class Phases:
    """Where the import's time goes: the functions it calls, timed where they are looked up,
    each phase's own time (without the phases it calls) and its SQL time (Django's statements
    and the COPYs)."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self.sql: dict[str, float] = {}
        self.stack: list[list[Any]] = []
        self.undo: list[tuple[Any, str, Any]] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.stack.append([name, 0.0])
        try:
            yield
        finally:
            _name, inner = self.stack.pop()
            elapsed = time.perf_counter() - started
            self.own[name] = self.own.get(name, 0.0) + elapsed - inner
            if self.stack:
                self.stack[-1][1] += elapsed
            if name.startswith(("COPY", "SQL:")):
                self.sql[name] = self.sql.get(name, 0.0) + elapsed

    def replace(self, owner: Any, attr: str, value: Any) -> Any:
        """Put ``value`` in place of ``owner.attr`` until ``restore``; the original."""
        original = getattr(owner, attr)
        setattr(owner, attr, value)
        self.undo.append((owner, attr, original))
        return original

    def wrap(self, owner: Any, attr: str, name: str | Callable[..., str]) -> None:
        original = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name(*args) if callable(name) else name):
                return original(*args, **kwargs)

        self.replace(owner, attr, timed)

    def execute(self, execute: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            name = self.stack[-1][0] if self.stack else "other"
            if not name.startswith(("COPY", "SQL:")):  # those count their whole time
                self.sql[name] = self.sql.get(name, 0.0) + time.perf_counter() - started

    def restore(self) -> None:
        for owner, attr, original in reversed(self.undo):
            setattr(owner, attr, original)

    def report(self, total: float) -> None:
        print(f"\n{'phase':<52} {'seconds':>9} {'of it SQL':>10} {'share':>7}")
        for name, seconds in sorted(self.own.items(), key=lambda item: -item[1]):
            sql = self.sql.get(name, 0.0)
            print(f"{name:<52} {seconds:>9.2f} {sql:>10.2f} {seconds / total:>7.1%}")
        rest = total - sum(self.own.values())
        print(
            f"{'the rest (Python between the phases)':<52} {rest:>9.2f} {'':>10} {rest / total:>7.1%}"
        )


def instrument(phases: Phases) -> None:
    """Time the import's phases (``--phases``)."""
    from django.db import transaction

    from tiaojie.audit import chain
    from tiaojie.cases import ledger_import, ledger_write, numbering
    from tiaojie.core import bulk, imports

    reader = imports.read_table

    def timed_reader(*args: Any, **kwargs: Any) -> Iterator[Any]:
        # calamine reads the whole sheet in the call; openpyxl (its fallback) row by row.
        with phases.phase("read the file (calamine)"):
            rows = reader(*args, **kwargs)
        while True:
            with phases.phase("read the file (calamine)"):
                row = next(rows, None)
            if row is None:
                return
            yield row

    phases.replace(ledger_import, "read_table", timed_reader)
    phases.wrap(ledger_import, "parse_ledger", "parse and check the cells")
    for check in ("_check_types", "_check_mediators", "_check_duplicates"):
        phases.wrap(ledger_import, check, "check against the database")
    phases.wrap(ledger_write, "build", "build the cases, plan the moves")
    phases.wrap(bulk.Prepared, "__init__", "prepare database values")
    phases.wrap(bulk.Prepared, "insert", lambda self, *a: f"COPY {self.model._meta.label}")
    phases.wrap(bulk, "take_ids", "SQL: take ids")
    phases.wrap(numbering, "peek", "SQL: read the counters")
    phases.wrap(numbering, "reserve", "SQL: lock and take the counters")
    phases.wrap(chain, "link", "hash the audit chain")
    # The audit trail serialised before the locks, linked and sent under them (ADR 0048).
    from tiaojie.audit import services as audit
    from tiaojie.core import events

    def copied(model: Any, *args: Any) -> str:
        return f"COPY {model._meta.label}"

    for owner, attr, label in (
        (audit, "prepare_many", "serialise the audit events"),
        # Stop 26: the events built as plain rows, serialised with no model instance.
        (audit, "prepare_rows", "serialise the audit events"),
        (events, "prepare_many", "serialise the domain events"),
        (chain, "link_tails", "hash the audit chain"),
        (bulk, "copy_raw", copied),
    ):
        if hasattr(owner, attr):
            phases.wrap(owner, attr, label)
    writer = ledger_write.Writer
    for method, label in (
        ("_number", "number the cases"),
        ("_unnumbered", "build the unnumbered rows"),
        ("_prepare", "build the numbered rows (audit, events)"),
        ("_renumber", "SQL: renumber the cases"),
        ("_check_now", "SQL: check the foreign keys"),
    ):
        if hasattr(writer, method):
            phases.wrap(writer, method, label)
    write = writer.write

    def write_then_check(self: Any, *args: Any, **kwargs: Any) -> Any:
        created = write(self, *args, **kwargs)
        with (
            phases.phase("SQL: deferred foreign-key checks left at commit"),
            connection_cursor() as cursor,
        ):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return created

    phases.replace(writer, "write", write_then_check)

    class TimedAtomic:
        def __init__(self) -> None:
            self.atomic = transaction.atomic()

        def __enter__(self) -> Any:
            return self.atomic.__enter__()

        def __exit__(self, *exc: Any) -> Any:
            with phases.phase("SQL: commit"):
                return self.atomic.__exit__(*exc)

    shim = type("TransactionShim", (), {"atomic": staticmethod(TimedAtomic)})
    phases.replace(imports, "transaction", shim)


def connection_cursor() -> Any:
    from django.db import connection

    return connection.cursor()


def import_ledger(
    content: bytes, rows: int, phases: Phases | None = None
) -> tuple[float, float, int, float]:
    """Tiaojie's import: (seconds in all, seconds checking, SQL statements, seconds the
    number counter was locked: from its first reservation to the commit)."""
    from django.db import connection

    from tiaojie.accounts.models import User
    from tiaojie.cases import numbering
    from tiaojie.cases.ledger_import import ledger_import
    from tiaojie.core import bulk

    director = User.objects.get(username="demo_director")
    checked: list[float] = []
    locked: list[float] = []
    statements = 0
    reserve = numbering.reserve

    def timed_reserve(*args: Any) -> int:
        if not locked:
            locked.append(time.perf_counter())
        return reserve(*args)

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(*args)

    def progress(done: int, total: int) -> None:
        if done == 0:
            checked.append(time.perf_counter())

    insert = bulk.Prepared.insert

    def counted_insert(self: bulk.Prepared[Any], *args: Any, **kwargs: Any) -> Any:
        # A COPY goes past Django's execute wrappers: count it here (the id query is counted).
        nonlocal statements
        if self.copied:
            statements += 1
        return insert(self, *args, **kwargs)

    copy_raw = getattr(bulk, "copy_raw", None)

    def counted_copy_raw(*args: Any, **kwargs: Any) -> Any:
        nonlocal statements
        statements += 1
        return copy_raw(*args, **kwargs)  # type: ignore[misc]

    numbering.reserve = timed_reserve  # type: ignore[assignment]
    bulk.Prepared.insert = counted_insert  # type: ignore[method-assign]
    if copy_raw is not None:
        bulk.copy_raw = counted_copy_raw
    if phases is not None:
        instrument(phases)
    started = time.perf_counter()
    try:
        with (
            connection.execute_wrapper(count),
            connection.execute_wrapper(phases.execute if phases else pass_through),
        ):
            if os.environ.get("BENCH_PROFILE"):  # where the time goes: a developer's look
                with cProfile.Profile() as profile:
                    created = ledger_import(
                        actor=director,
                        file=io.BytesIO(content),
                        file_name="台账.xlsx",
                        progress=progress,
                    )
                profile.dump_stats(os.environ["BENCH_PROFILE"])
            else:
                created = ledger_import(
                    actor=director,
                    file=io.BytesIO(content),
                    file_name="台账.xlsx",
                    progress=progress,
                )
    finally:
        if phases is not None:
            phases.restore()
        numbering.reserve = reserve
        bulk.Prepared.insert = insert  # type: ignore[method-assign]
        if copy_raw is not None:
            bulk.copy_raw = copy_raw
    finished = time.perf_counter()  # ledger_import returns once its transaction committed
    if len(created) != rows:
        raise SystemExit(f"the import created {len(created)} cases, not {rows}")
    return finished - started, checked[0] - started, statements, finished - locked[0]


def pass_through(execute: Callable[..., Any], *args: Any) -> Any:
    return execute(*args)


def openpyxl_rows(content: bytes) -> Iterator[Any]:
    """The rows as openpyxl reads them (the import's own openpyxl reader, which it keeps for
    the files calamine does not read): the issue's baseline reader."""
    from tiaojie.core.imports import _openpyxl_rows

    return _openpyxl_rows(content)


def calamine_rows(content: bytes) -> Iterator[Any]:
    """The rows as the import reads them (``imports.read_table``: calamine)."""
    from tiaojie.core.imports import read_table

    return iter(read_table(io.BytesIO(content), "台账.xlsx"))


def copy_baseline(
    content: bytes, rows: int, table_name: str, reader: Callable[[bytes], Iterator[Any]]
) -> tuple[float, float]:
    """The same file read by ``reader``, its essential columns loaded with COPY:
    (seconds in all, seconds of the COPY alone)."""
    from django.db import connection, transaction

    from tiaojie.core.imports import cell_text

    with connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(BASELINE_COLUMNS) - 2))
        cursor.execute(
            f"CREATE TABLE {table_name} (registered_on date, agreement_on date, {columns})"
        )
    started = time.perf_counter()
    table = reader(content)
    headers = [cell_text(cell) for cell in next(table)]
    positions = [headers.index(header) for header in BASELINE_COLUMNS]
    dates = {BASELINE_COLUMNS.index("登记日期"), BASELINE_COLUMNS.index("协议日期")}
    loaded: list[list[str | None]] = []
    for cells in table:
        texts = [cell_text(cells[i]) for i in positions]
        loaded.append(
            [texts[0], texts[11] or None, *[t for i, t in enumerate(texts) if i not in dates]]
        )
    copy_started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw: Any = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {table_name} FROM STDIN") as copy:
            for row in loaded:
                copy.write_row(row)
    finished = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table_name}")
        found = cursor.fetchone()
    if found is None or found[0] != rows:
        raise SystemExit(f"COPY loaded {found} rows, not {rows}")
    return finished - started, finished - copy_started


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[5000],
        help="ledger rows, one or more sizes (default 5000; the issue's: 5000 50000)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away cluster of scripts/lib/pg-cluster",
    )
    parser.add_argument(
        "--phases", action="store_true", help="print where the import's time goes, by phase"
    )
    parser.add_argument("--seed", type=int, default=2011, help="random seed of the ledger")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if min(args.rows) < 1:
        raise SystemExit("--rows must be at least 1")
    if args.database_url and not args.database_url.startswith("postgres"):
        raise SystemExit("the baseline is PostgreSQL's COPY: give a PostgreSQL --database-url")
    with postgres(args.database_url) as url, throwaway_database(url, OVERRIDES):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.cases import ledger_import, ledger_rows
    from tiaojie.core import imports

    seed_demo()
    largest = max(args.rows)
    if largest > ledger_rows.MAX_ROWS:
        # The product refuses ledgers over its limit; the benchmark measures beyond it.
        for module in (ledger_rows, ledger_import):
            module.MAX_ROWS = largest  # type: ignore[attr-defined]
    imports.MAX_FILE_BYTES = max(imports.MAX_FILE_BYTES, largest * 400)
    print(
        f"Ledger import on {database_label()} (Python {platform.python_version()}, "
        f"Django {django.get_version()})"
    )
    for size in args.rows:
        measure(args, size)


def measure(args: argparse.Namespace, size: int) -> None:
    from django.utils import timezone

    from tiaojie.cases.models import Case

    rows = ledger_rows(size, random.Random(args.seed + size), timezone.localdate(), f"{size}")
    content = ledger_xlsx(rows)
    baseline, copy_only = copy_baseline(content, size, f"bench_ledger_{size}", openpyxl_rows)
    fastest, _copy = copy_baseline(content, size, f"bench_ledger_{size}_c", calamine_rows)
    phases = Phases() if args.phases else None
    tiaojie, checking, statements, locked = import_ledger(content, size, phases)
    statuses = Case.objects.values_list("status", flat=True).distinct()
    print(
        f"\n{size:,} rows, {len(content) / 1024:.0f} KiB XLSX, "
        f"{len(set(statuses))} final states among the cases\n"
    )
    header = f"{'':<52} {'seconds':>9} {'rows/s':>10}"
    print(header)
    print("-" * len(header))
    for label, seconds in (
        ("Tiaojie: ledger_import, file to committed cases", tiaojie),
        ("  of which reading, checking and building", checking),
        ("baseline: openpyxl read + COPY of the columns", baseline),
        ("  of which the COPY", copy_only),
        ("second baseline: calamine read + COPY", fastest),
    ):
        print(f"{label:<52} {seconds:>9.2f} {size / seconds:>10,.0f}")
    print(
        f"\nTiaojie's rate is {baseline / tiaojie:.1%} of the baseline's "
        f"({tiaojie / baseline:,.1f}× the time); {statements / size:.2f} SQL statements per row; "
        f"the year's number counter locked for {locked:.1f} s; "
        f"{fastest / tiaojie:.1%} of the second baseline's (the import's own reader)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"the benchmark's peak resident memory so far: {peak:,.0f} MiB")
    if phases is not None:
        phases.report(tiaojie)


if __name__ == "__main__":
    main()
