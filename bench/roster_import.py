#!/usr/bin/env python
"""The import of a mediator roster, against loading the same rows with COPY.

Builds a throw-away PostgreSQL database with the demo network and accounts
(``tiaojie.accounts.demo.seed_demo``) and a grade ladder for 东湖区, generates a roster XLSX
of N mediators (default 10,000) spread over the district's committees, every column filled
(ID numbers with their check digit, phones, choice words, grades, dispute types, dates), and
times in the same process:

1. Tiaojie: ``mediators.roster_import.roster_import`` as the page and the API call it, from
   the file's bytes to committed mediators: reading, checking every row (check digits,
   choices, committees in scope, the ladder, the person not yet registered), then writing each
   person with encrypted ID number, phone and address, blind indexes, expertise, membership and
   audit event, all in one transaction. Its checking phase is shown on its own.
2. The baseline: the same file read with openpyxl (read-only mode), every cell's text loaded
   into a bare table of text columns with PostgreSQL ``COPY`` through psycopg's
   ``cursor.copy``: the floor of "file into the database".

It prints rows per second for each, the ratio and the SQL statements the import sent.
It asserts nothing about speed and is not part of the test suite (see bench/README.md).

    .venv/bin/python bench/roster_import.py [--rows 10000] [--database-url URL] [--seed 2013]

Without ``--database-url`` it starts a cluster of its own with scripts/lib/pg-cluster (the
PostgreSQL server binaries must be installed) and removes it at the end. With
``BENCH_PROFILE=file`` the import runs under cProfile and its statistics are written there.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import random
import time
from collections.abc import Callable
from typing import Any

from ledger_import import postgres
from org_tree import database_label, throwaway_database

OVERRIDES: dict[str, Any] = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
ACTOR = "demo_district"  # 东湖区司法局 基层科: every committee of the district is in scope
GRADES = ["初级", "中级", "高级", "首席"]
EMPLOYMENT = ["专职", "兼职", "兼职"]
SOURCES = ["退休法官", "退休民警", "律师", "教师", "两代表一委员", "五老", "其他"]
EDUCATION = ["研究生", "本科", "大专", "高中", "初中及以下"]
POLITICAL = ["中共党员", "共青团员", "民主党派", "群众"]
ROLES = ["调解员", "调解员", "调解员", "委员", "首席调解员"]
TYPES = ["邻里", "婚姻家庭", "合同", "损害赔偿", "物业", "劳动争议"]


# --- The roster ------------------------------------------------------------------------------


def roster_rows(count: int, rng: random.Random, committees: list[str]) -> list[dict[str, str]]:
    """``count`` distinct people, one row each, every column of the template filled."""
    from tiaojie.cases.demo_stories import GIVEN, SURNAMES
    from tiaojie.core.validators import id_number_check_char

    taken: set[str] = set()
    rows: list[dict[str, str]] = []
    for index in range(count):
        while True:
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 45))
            body = f"420102{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
            if body not in taken:
                taken.add(body)
                break
        certified = rng.random() < 0.8
        joined = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 10))
        rows.append(
            {
                "序号": str(index + 1),
                "姓名": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "身份证号": body + id_number_check_char(body),
                "所在调委会": committees[index % len(committees)],
                "职务": rng.choice(ROLES),
                "专兼职": rng.choice(EMPLOYMENT),
                "人员来源": rng.choice(SOURCES),
                "学历": rng.choice(EDUCATION),
                "政治面貌": rng.choice(POLITICAL),
                "联系电话": f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
                "住址": f"东湖区{rng.randrange(1, 200)}号{rng.randrange(1, 30)}栋",
                "证书编号": f"鄂调证{index + 1:06d}" if certified else "",
                "持证上岗": "是" if certified else "否",
                "等级": rng.choice(GRADES),
                "擅长纠纷类型": "、".join(rng.sample(TYPES, rng.choice([1, 2]))),
                "聘任日期": joined.isoformat(),
            }
        )
    return rows


def roster_xlsx(rows: list[dict[str, str]]) -> tuple[bytes, list[str]]:
    from openpyxl import Workbook

    headers = list(rows[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["东湖区人民调解员名册"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row[header] for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), headers


# --- The two sides ---------------------------------------------------------------------------


def import_roster(content: bytes, rows: int) -> tuple[float, float, int]:
    """Tiaojie's import: (seconds in all, seconds reading and checking, SQL statements)."""
    from django.db import connection

    from tiaojie.accounts.models import User
    from tiaojie.mediators import roster_import

    actor = User.objects.get(username=ACTOR)
    statements = 0
    checked: list[float] = []
    check = roster_import.check

    def timed_check(*args: Any) -> Any:
        ready = check(*args)
        checked.append(time.perf_counter())
        return ready

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(*args)

    def run() -> roster_import.Result:
        return roster_import.roster_import(
            actor=actor, file=io.BytesIO(content), file_name="名册.xlsx"
        )

    roster_import.check = timed_check  # type: ignore[assignment]
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(count):
            if os.environ.get("BENCH_PROFILE"):  # where the time goes: a developer's look
                with cProfile.Profile() as profile:
                    result = run()
                profile.dump_stats(os.environ["BENCH_PROFILE"])
            else:
                result = run()
    finally:
        roster_import.check = check
    finished = time.perf_counter()  # roster_import returns once its transaction committed
    if result.people != rows:
        raise SystemExit(f"the import registered {result.people} mediators, not {rows}")
    return finished - started, checked[0] - started, statements


def copy_baseline(content: bytes, rows: int, headers: list[str]) -> tuple[float, float]:
    """The same file read with openpyxl, every cell loaded with COPY into text columns:
    (seconds in all, seconds of the COPY alone)."""
    from django.db import connection, transaction
    from openpyxl import load_workbook

    with connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(headers)))
        cursor.execute(f"CREATE TABLE bench_roster ({columns})")
    started = time.perf_counter()
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    loaded: list[list[str | None]] = []
    seen_header = False
    for values in sheet.iter_rows(values_only=True):
        if not seen_header:
            seen_header = values[0] == headers[0]
            continue
        loaded.append([None if v is None else str(v) for v in values])
    book.close()
    copy_started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw: Any = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy("COPY bench_roster FROM STDIN") as copy:
            for row in loaded:
                copy.write_row(row)
    finished = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_roster")
        found = cursor.fetchone()
    if found is None or found[0] != rows:
        raise SystemExit(f"COPY loaded {found} rows, not {rows}")
    return finished - started, finished - copy_started


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000, help="mediators in the roster")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away cluster of scripts/lib/pg-cluster",
    )
    parser.add_argument("--seed", type=int, default=2013, help="random seed of the roster")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.rows < 1:
        raise SystemExit("--rows must be at least 1")
    if args.database_url and not args.database_url.startswith("postgres"):
        raise SystemExit("the baseline is PostgreSQL's COPY: give a PostgreSQL --database-url")
    with postgres(args.database_url) as url, throwaway_database(url, OVERRIDES):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.accounts.models import User
    from tiaojie.core import imports
    from tiaojie.mediators import roster_import, selectors
    from tiaojie.mediators.services import ladder_set

    seed_demo()
    actor = User.objects.get(username=ACTOR)
    ladder_set(actor=actor, names=GRADES)
    committees = sorted(c.name for c in selectors.committees_in_scope(actor))
    if args.rows > roster_import.MAX_ROWS:
        # The product refuses rosters over its limit; the benchmark measures beyond it.
        roster_import.MAX_ROWS = args.rows
    imports.MAX_FILE_BYTES = max(imports.MAX_FILE_BYTES, args.rows * 400)
    rows = roster_rows(args.rows, random.Random(args.seed), committees)
    content, headers = roster_xlsx(rows)
    print(
        f"Roster import on {database_label()} (Python {platform.python_version()}, "
        f"Django {django.get_version()})\n\n{args.rows:,} mediators in {len(committees)} "
        f"committees, {len(content) / 1024:.0f} KiB XLSX, {len(headers)} columns\n"
    )
    baseline, copy_only = copy_baseline(content, args.rows, headers)
    tiaojie, checking, statements = import_roster(content, args.rows)
    header = f"{'':<56} {'seconds':>9} {'rows/s':>10}"
    print(header)
    print("-" * len(header))
    for label, seconds in (
        ("Tiaojie: roster_import, file to committed mediators", tiaojie),
        ("  of which reading and checking", checking),
        ("baseline: openpyxl read + COPY of every cell", baseline),
        ("  of which the COPY", copy_only),
    ):
        print(f"{label:<56} {seconds:>9.2f} {args.rows / seconds:>10,.0f}")
    print(
        f"\nTiaojie's rate is {baseline / tiaojie:.1%} of the baseline's "
        f"({tiaojie / baseline:,.1f}× the time); {statements:,} SQL statements "
        f"in all ({statements / args.rows:.3f} a row; each COPY counts as none)"
    )


if __name__ == "__main__":
    main()
