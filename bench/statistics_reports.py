#!/usr/bin/env python
"""Statistics reports at scale: the roll-up cells against DuckDB scanning the raw rows.

Builds a throw-away database with the demo network and N synthetic cases
(``generate_cases``: bulk, figures kept exact), then times, for the city, a district and a
street, the monthly and the annual report (``statistics.report.build``: the cells under the
organisation's path), against DuckDB computing the same totals by scanning the raw case rows
exported to Parquet in the same run. Checks both give the same numbers and that
``verify_statistics`` finds no difference; prints medians and the ratio. Asserts nothing about
speed (bench/README.md).

    .venv/bin/python bench/statistics_reports.py [--cases 200000] [--database-url URL] [--repeat 7]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from org_tree import create_database, database_label, drop_database, setup_django

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
TOTALS = ("accepted", "mediated", "success", "people", "amount", "performed", "confirmed")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=7)
    return parser.parse_args(argv)


def export_rows(path: Path) -> int:
    """The raw rows a scan would read: each case with its holder's path and what decides its
    figures (status, dates, flags), read from the case tables, not from the roll-ups."""
    from tiaojie.statistics import rollup

    count = 0
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "org_path",
                "accepted_on",
                "closed_on",
                "confirmed_on",
                "mediated",
                "success",
                "performed",
                "people",
                "amount",
            ]
        )
        for _case_id, f in rollup.case_facts():
            writer.writerow(
                [
                    f.org_path,
                    f.accepted_on or "",
                    f.closed_on or "",
                    f.confirmed_on or "",
                    int(f.mediated),
                    int(f.success),
                    int(f.performed),
                    f.people,
                    f.amount,
                ]
            )
            count += 1
    return count


DUCK_SQL = """
SELECT
  count(*) FILTER (WHERE accepted_on BETWEEN $first AND $last) AS accepted,
  count(*) FILTER (WHERE mediated = 1 AND closed_on BETWEEN $first AND $last) AS mediated,
  count(*) FILTER (WHERE success = 1 AND closed_on BETWEEN $first AND $last) AS success,
  coalesce(sum(people) FILTER (WHERE mediated = 1 AND closed_on BETWEEN $first AND $last), 0)
    AS people,
  coalesce(sum(amount) FILTER (WHERE success = 1 AND closed_on BETWEEN $first AND $last), 0)
    AS amount,
  count(*) FILTER (WHERE performed = 1 AND closed_on BETWEEN $first AND $last) AS performed,
  count(*) FILTER (WHERE success = 1 AND confirmed_on BETWEEN $first AND $last) AS confirmed
FROM rows WHERE starts_with(org_path, $path)
"""


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def run(args: argparse.Namespace) -> None:
    import duckdb
    from django.utils import timezone

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.organisations.models import Organisation
    from tiaojie.statistics import periods, report
    from tiaojie.statistics.generate import generate_cases
    from tiaojie.statistics.models import StatCell
    from tiaojie.statistics.verify import differences

    seed_demo()
    started = time.perf_counter()
    made = generate_cases(args.cases, years=5)
    generation = time.perf_counter() - started
    print(
        f"{database_label()}: {made.cases:,} cases generated in {generation:.1f} s, "
        f"{StatCell.objects.count():,} cells"
    )
    started = time.perf_counter()
    found = differences()
    print(f"verify_statistics: {len(found)} differences ({time.perf_counter() - started:.1f} s)")

    workdir = Path(tempfile.mkdtemp(prefix="tiaojie-duck-"))
    try:
        rows = export_rows(workdir / "rows.csv")
        duck = duckdb.connect()
        duck.execute(
            f"COPY (SELECT * FROM read_csv_auto('{workdir / 'rows.csv'}')) "
            f"TO '{workdir / 'rows.parquet'}' (FORMAT parquet)"
        )
        duck.execute(f"CREATE VIEW rows AS SELECT * FROM '{workdir / 'rows.parquet'}'")
        print(f"DuckDB {duckdb.__version__}: {rows:,} raw rows in Parquet")
        today = timezone.localdate()
        last_month = periods.month_of(today.replace(day=1) - dt.timedelta(days=1))
        year = periods.parse(str(today.year))
        subjects = [
            ("city", Organisation.objects.filter(kind="city_bureau").first()),
            ("district", Organisation.objects.filter(name="东湖区司法局").first()),
            ("street", Organisation.objects.filter(name="东湖街道司法所").first()),
        ]
        print(f"{'report':<22}{'cells ms':>10}{'duckdb ms':>11}{'ratio':>8}  same")
        for label, org in subjects:
            if org is None:
                continue
            for period in (last_month, year):
                ours_ms, built = timed(lambda o=org, p=period: report.build(o, p), args.repeat)
                params = {"path": org.path, "first": period.first, "last": period.end}
                duck_ms, theirs = timed(
                    lambda p=params: duck.execute(DUCK_SQL, p).fetchone(), args.repeat
                )
                ours = [built.total.values.get((name, ""), Decimal(0)) for name in TOTALS]
                same = all(
                    Decimal(str(a)) == Decimal(str(b)) for a, b in zip(ours, theirs, strict=True)
                )
                print(
                    f"{label + ' ' + period.code:<22}{ours_ms:>10.1f}{duck_ms:>11.1f}"
                    f"{duck_ms / ours_ms:>7.1f}×  {'yes' if same else 'NO ' + str((ours, theirs))}"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tiaojie-bench-"))
    try:
        setup_django(args.database_url, workdir, FAST_HASHERS)
        original = create_database()
        try:
            run(args)
        finally:
            drop_database(original)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
