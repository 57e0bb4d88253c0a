#!/usr/bin/env python
"""Statistics at scale: reports and dashboard queries from the roll-ups (the level cells of
ADR 0045) against DuckDB scanning the raw rows.

Either builds a throw-away database (demo network, the synthetic city of ~1,500 committees,
N cases from ``generate_cases``: bulk, figures kept exact) or, with ``--existing``, reads a
database already filled by ``manage.py generate_cases --city`` (for 1M/10M runs, which take
longer than one sitting). Then, for the city, a district and a street, the monthly and the
annual report (``report.build``: every row and column from the cells) and the dashboard's
queries (12-month trend, dispute-type mix, headline totals and rates, and the live counts:
today's intake, open, open complex and open group cases), each against DuckDB computing the
same figures by scanning the raw case rows exported to Parquet in the same run; the mix, the
totals and the live counts also against main's way of computing them (before ADR 0055), in
the same process on the same database. The raw rows are
read from the case tables by ``rollup.case_facts`` (what ``verify_statistics`` recomputes
from), not from the cells. Checks every figure is identical, prints p50/p95 and the ratio.
Asserts nothing about speed (bench/README.md).

    .venv/bin/python bench/statistics_reports.py [--cases 200000] [--database-url URL]
        [--existing] [--repeat 20] [--skip-verify]
"""

# line() runs both measures at once, before the loops move on: late binding is harmless.
# ruff: noqa: B023

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from org_tree import database_label, throwaway_database

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
COLUMNS = [
    "org_path",
    "registered_on",
    "accepted_on",
    "closed_on",
    "confirmed_on",
    "dispute_type_code",
    "source",
    "organisation_kind",
    "accepted",
    "mediated",
    "success",
    "oral",
    "written",
    "performed",
    "confirmed",
    "complex",
    "people",
    "amount",
    "open",
    "open_complex",
    "open_group",
]
# The report as DuckDB computes it from the raw rows: (row prefix, indicator, key, value).
DUCK_REPORT = """
WITH r AS (
  SELECT *, substr(org_path, 1, $plen) AS row_path FROM rows
  WHERE starts_with(org_path, $path)
), m AS (SELECT * FROM r WHERE mediated AND closed_on BETWEEN $first AND $last)
SELECT row_path, 'registered', '', count(*) FROM r
  WHERE registered_on BETWEEN $first AND $last GROUP BY 1
UNION ALL SELECT row_path, 'accepted', '', count(*) FROM r
  WHERE accepted AND accepted_on BETWEEN $first AND $last GROUP BY 1
UNION ALL SELECT row_path, 'mediated', '', count(*) FROM m GROUP BY 1
UNION ALL SELECT row_path, 'mediated', 'source:' || source, count(*) FROM m GROUP BY 1, 3
UNION ALL SELECT row_path, 'mediated', 'type:' || dispute_type_code, count(*) FROM m GROUP BY 1, 3
UNION ALL SELECT row_path, 'mediated', 'kind:' || organisation_kind, count(*) FROM m
  WHERE organisation_kind <> '' GROUP BY 1, 3
UNION ALL SELECT row_path, 'people', '', sum(people) FROM m GROUP BY 1
UNION ALL SELECT row_path, 'complex', '', count(*) FROM m WHERE complex GROUP BY 1
UNION ALL SELECT row_path, 'success', '', count(*) FROM m WHERE success GROUP BY 1
UNION ALL SELECT row_path, 'amount', '', sum(amount) FROM m WHERE success GROUP BY 1
UNION ALL SELECT row_path, 'oral', '', count(*) FROM m WHERE success AND oral GROUP BY 1
UNION ALL SELECT row_path, 'written', '', count(*) FROM m WHERE success AND written GROUP BY 1
UNION ALL SELECT row_path, 'performed', '', count(*) FROM m WHERE success AND performed GROUP BY 1
UNION ALL SELECT row_path, 'confirmed', '', count(*) FROM r
  WHERE success AND confirmed AND confirmed_on BETWEEN $first AND $last GROUP BY 1
"""
DUCK_TREND = """
SELECT month, indicator, count(*) FROM (
  SELECT date_trunc('month', accepted_on)::date AS month, 'accepted' AS indicator FROM rows
    WHERE starts_with(org_path, $path) AND accepted AND accepted_on BETWEEN $first AND $last
  UNION ALL SELECT date_trunc('month', closed_on)::date, unnest(
      CASE WHEN success AND performed THEN ['mediated', 'success', 'performed']
           WHEN success THEN ['mediated', 'success'] ELSE ['mediated'] END)
    FROM rows WHERE starts_with(org_path, $path) AND mediated
      AND closed_on BETWEEN $first AND $last
) GROUP BY 1, 2
"""
DUCK_TYPES = """
SELECT 'type:' || dispute_type_code, count(*) FROM rows
WHERE starts_with(org_path, $path) AND mediated AND closed_on BETWEEN $first AND $last
GROUP BY 1
"""
DUCK_TOTALS = """
SELECT
  count(*) FILTER (WHERE accepted AND accepted_on BETWEEN $first AND $last),
  count(*) FILTER (WHERE mediated AND closed_on BETWEEN $first AND $last),
  count(*) FILTER (WHERE success AND closed_on BETWEEN $first AND $last),
  count(*) FILTER (WHERE success AND performed AND closed_on BETWEEN $first AND $last),
  coalesce(sum(amount) FILTER (WHERE success AND closed_on BETWEEN $first AND $last), 0)
FROM rows WHERE starts_with(org_path, $path)
"""
DUCK_LIVE = """
SELECT count(*) FILTER (WHERE registered_on = $today), count(*) FILTER (WHERE open),
  count(*) FILTER (WHERE open_complex), count(*) FILTER (WHERE open_group)
FROM rows WHERE starts_with(org_path, $path)
"""
CASE_INDICATORS = {
    "registered",
    "accepted",
    "mediated",
    "people",
    "complex",
    "success",
    "amount",
    "oral",
    "written",
    "performed",
    "confirmed",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--existing",
        action="store_true",
        help="Read the database at --database-url as generate_cases --city left it.",
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-verify", action="store_true", help="Skip verify_statistics.")
    parser.add_argument(
        "--today-intake",
        type=int,
        default=1000,
        help="Cases registered today added to the city (generate_cases --today) when it has "
        "none yet today, so the live counts' intake is not 0; 0 adds none.",
    )
    return parser.parse_args(argv)


def export_rows(path: Path) -> int:
    """The raw rows a scan reads: each case's holder path and what decides its figures,
    recomputed from the case tables (``rollup.case_facts``), not read from the roll-ups."""
    from tiaojie.statistics import rollup

    count = 0
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for _case_id, fact in rollup.case_facts():
            writer.writerow(
                [
                    ""
                    if (v := getattr(fact, name)) is None
                    else (int(v) if v is True or v is False else v)
                    for name in COLUMNS
                ]
            )
            count += 1
    return count


def add_today_intake(city: Any, count: int) -> None:
    """Give today an intake: the generated history ends the day before, so today's count of
    the live figures was 0 in every run. ``count`` cases registered today are added (chunk by
    chunk, figures exact), once a day: nothing when the city already has cases today."""
    from django.utils import timezone

    from tiaojie.statistics.generate import generate_cases
    from tiaojie.statistics.models import CaseFact

    today = timezone.localdate()
    already = CaseFact.objects.filter(org_path__startswith=city.path, registered_on=today).count()
    if already or not count:
        print(f"today's intake: {already:,} cases registered today ({today})")
        return
    started = time.perf_counter()
    made = generate_cases(count, under=city, today=True, fresh=False, seed=today.toordinal())
    print(
        f"today's intake: {made.cases:,} cases registered today ({today}) added by "
        f"generate_cases --today in {time.perf_counter() - started:.1f} s"
    )


# A measure: the call a user waits for (what the page or the API calls; for DuckDB, the query
# and its fetch), and how its result becomes the figures compared, done after the timing.
Measure = tuple[Callable[[], Any], Callable[[Any], Any]]


def timed(measure: Measure, repeat: int) -> tuple[float, float, Any]:
    """p50 and p95 of the call in ms, and the last result as figures. Only the call is timed:
    turning a result into comparable figures (URLs parsed, Decimals made) is the benchmark's
    own work, done once afterwards, on both sides alike."""
    fn, figures = measure
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, figures(result)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def ours_report(built: Any, org_path: str) -> dict[tuple[str, str, str], Decimal]:
    out: dict[tuple[str, str, str], Decimal] = {}
    for row in [*built.rows]:
        path = row.organisation.path if row.organisation is not None else org_path
        for (indicator, key), value in row.values.items():
            if indicator in CASE_INDICATORS and value:
                out[(path, indicator, key)] = _dec(value)
    return out


def duck_report(duck: Any, org: Any, period: Any) -> list[tuple[Any, ...]]:
    params = {
        "path": org.path,
        "plen": len(org.path) + 11,
        "first": period.first,
        "last": period.end,
    }
    return list(duck.execute(DUCK_REPORT, params).fetchall())


def duck_report_figures(rows: list[tuple[Any, ...]]) -> dict[tuple[str, str, str], Decimal]:
    out: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row_path, indicator, key, value in rows:
        # Cases of a grid or association count in the row of its parent, as in the report.
        out[(row_path, indicator, key)] += _dec(value)
    return {k: v for k, v in out.items() if v}


# --- The dashboard's figures as main computed them (before ADR 0055), the same-run baseline --


def main_type_mix(org: Any, period: Any) -> list[dict[str, Any]]:
    """Two queries: the period's dictionary columns, then the level cells (named in Python)."""
    from django.db.models import Sum
    from django.urls import reverse

    from tiaojie.statistics import dashboard, report
    from tiaojie.statistics.choices import BY_TYPE, Indicator
    from tiaojie.statistics.models import LevelCell

    names = dict(report.type_columns(period))
    rows = (
        LevelCell.objects.filter(
            organisation=org,
            period__gte=period.first,
            period__lte=period.last,
            indicator=Indicator.MEDIATED,
            key__startswith=f"{BY_TYPE}:",
        )
        .values("key")
        .annotate(total=Sum("value"))
        .order_by("-total")
    )
    base = reverse("statistics:figure_cases")
    return [
        {
            "name": names.get(r["key"].split(":", 1)[1], r["key"]),
            "value": float(r["total"] or 0),
            "url": dashboard._drill(org, period.code, Indicator.MEDIATED, r["key"], base=base),
        }
        for r in rows
        if r["total"]
    ]


def pairs(items: Any) -> dict[Any, Decimal]:
    """A mapping or (key, value) rows as figures to compare."""
    return {k: _dec(v) for k, v in (items.items() if isinstance(items, dict) else items)}


def mix_figures(mix: list[dict[str, Any]]) -> dict[str, Decimal]:
    """A type mix as its drill-down keys and values, what DuckDB's figures are compared with."""
    return {parse_qs(urlparse(t["url"]).query)["key"][0]: _dec(t["value"]) for t in mix}


def main_figures(org: Any, period: Any) -> dict[tuple[str, str], Decimal]:
    """``report.figures`` as main had it before ADR 0060 (through the ORM), so that this
    baseline stays the same while ``report.figures`` changes."""
    from django.db.models import Sum

    from tiaojie.statistics.models import LevelCell

    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for cell in (
        LevelCell.objects.filter(
            organisation=org, period__gte=period.first, period__lte=period.last
        )
        .values("indicator", "key")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        out[(cell["indicator"], cell["key"])] += cell["total"] or Decimal(0)
    return dict(out)


def main_totals(org: Any, period: Any) -> dict[str, Decimal]:
    """Every indicator and key of the period summed (``report.figures`` before ADR 0055),
    six kept."""
    from tiaojie.statistics.choices import Indicator

    figures = main_figures(org, period)
    return totals_of(
        *(
            figures.get((i, ""), Decimal(0))
            for i in (
                Indicator.ACCEPTED,
                Indicator.MEDIATED,
                Indicator.SUCCESS,
                Indicator.PERFORMED,
                Indicator.AMOUNT,
            )
        )
    )


def main_live(org: Any, today: dt.date) -> dict[str, Decimal]:
    """Today's intake from the case facts, the open counts over the subtree's cases."""
    from tiaojie.cases.models import Case
    from tiaojie.statistics.models import CaseFact

    open_cases = Case.objects.filter(committee_path__startswith=org.path).open()
    return {
        "today": _dec(
            CaseFact.objects.filter(org_path__startswith=org.path, registered_on=today).count()
        ),
        "open": _dec(open_cases.count()),
        "complex_open": _dec(open_cases.filter(is_complex=True).count()),
        "group_open": _dec(open_cases.filter(is_group=True).count()),
    }


def totals_of(
    accepted: Any, mediated: Any, success: Any, performed: Any, amount: Any
) -> dict[str, Decimal]:
    """The dashboard's headline figures and rates from the five sums."""
    from tiaojie.statistics import report

    return {
        "accepted": _dec(accepted),
        "mediated": _dec(mediated),
        "success": _dec(success),
        "success_rate": _dec(report.rate(_dec(success), _dec(mediated))),
        "performance_rate": _dec(report.rate(_dec(performed), _dec(success))),
        "amount": _dec(amount),
    }


def run(args: argparse.Namespace) -> None:
    import duckdb
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from tiaojie.cases.models import Case
    from tiaojie.organisations.models import Organisation
    from tiaojie.statistics import dashboard, periods, report
    from tiaojie.statistics.generate import generate_cases, synthetic_city
    from tiaojie.statistics.models import LevelCell, StatCell
    from tiaojie.statistics.verify import differences

    if not args.existing:
        from tiaojie.accounts.demo import seed_demo

        seed_demo()
        city = synthetic_city()
        started = time.perf_counter()
        made = generate_cases(args.cases, years=5, under=city)
        print(f"generation: {made.cases:,} cases in {time.perf_counter() - started:.1f} s")
    city = synthetic_city()
    add_today_intake(city, args.today_intake)
    committees = Organisation.objects.filter(path__startswith=city.path, kind="committee")
    print(
        f"{database_label()}: {Case.objects.count():,} cases in {committees.count():,} "
        f"committees, {StatCell.objects.count():,} cells, "
        f"{LevelCell.objects.count():,} level cells"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database())), "
                "pg_size_pretty(pg_total_relation_size('cases_case')), "
                "pg_size_pretty(pg_total_relation_size('statistics_statcell')), "
                "pg_size_pretty(pg_total_relation_size('statistics_levelcell')), "
                "pg_size_pretty(pg_total_relation_size('statistics_casefact')), "
                "pg_size_pretty(pg_total_relation_size('cases_search_posting'))"
            )
            total, cases, cells, level, facts, postings = cursor.fetchone()
        print(
            f"database {total} (cases {cases}, cells {cells}, level cells {level}, "
            f"case facts {facts}, "
            f"search postings {postings}: synthetic cases carry no parties, so no tokens)"
        )
    if not args.skip_verify:
        started = time.perf_counter()
        found = differences()
        print(
            f"verify_statistics: {len(found)} differences ({time.perf_counter() - started:.1f} s)"
        )

    workdir = Path(tempfile.mkdtemp(prefix="tiaojie-duck-"))
    try:
        started = time.perf_counter()
        rows = export_rows(workdir / "rows.csv")
        duck = duckdb.connect()
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{workdir / 'rows.csv'}', header=true, "
            "types={'amount': 'DECIMAL(16,2)', 'dispute_type_code': 'VARCHAR', "
            "'organisation_kind': 'VARCHAR', 'source': 'VARCHAR'})) "
            f"TO '{workdir / 'rows.parquet'}' (FORMAT parquet)"
        )
        (workdir / "rows.csv").unlink()
        duck.execute(
            f"CREATE VIEW rows AS SELECT * REPLACE (accepted::BOOLEAN AS accepted, "
            "mediated::BOOLEAN AS mediated, success::BOOLEAN AS success, oral::BOOLEAN AS oral, "
            "written::BOOLEAN AS written, performed::BOOLEAN AS performed, "
            "confirmed::BOOLEAN AS confirmed, complex::BOOLEAN AS complex, "
            "open::BOOLEAN AS open, open_complex::BOOLEAN AS open_complex, "
            "open_group::BOOLEAN AS open_group) "
            f"FROM '{workdir / 'rows.parquet'}'"
        )
        size = (workdir / "rows.parquet").stat().st_size / 2**20
        print(
            f"DuckDB {duckdb.__version__}: {rows:,} raw rows exported to Parquet ({size:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        today = timezone.localdate()
        last_month = periods.month_of(today.replace(day=1) - dt.timedelta(days=1))
        last_year = periods.parse(str(today.year - 1))
        district = Organisation.objects.filter(parent=city).order_by("path").first()
        street = Organisation.objects.filter(parent=district).order_by("path").first()
        assert district is not None and street is not None
        subjects = [("city", city), ("district", district), ("street", street)]
        print(
            f"{'query':<34}{'cells p50':>10}{'p95':>8}{'duckdb p50':>12}{'p95':>8}"
            f"{'ratio':>8}  figures identical"
        )
        verdicts: list[bool] = []

        def line(label: str, ours: Measure, theirs: Measure) -> None:
            o50, o95, a = timed(ours, args.repeat)
            d50, d95, b = timed(theirs, args.repeat)
            same = a == b
            verdicts.append(same)
            print(
                f"{label:<34}{o50:>9.1f}ms{o95:>7.1f}{d50:>11.1f}ms{d95:>7.1f}"
                f"{d50 / o50:>7.1f}×  {'yes' if same else 'NO'} ({len(a)} figures)"
            )

        for name, org in subjects:
            assert org is not None
            for period in (last_month, last_year):
                line(
                    f"report {name} {period.code}",
                    (lambda: report.build(org, period), lambda r: ours_report(r, org.path)),
                    (lambda: duck_report(duck, org, period), duck_report_figures),
                )
            months = dashboard.last_twelve_months(today)
            window = {"path": org.path, "first": months[0], "last": periods.month_of(today).end}
            line(
                f"dashboard trend {name}",
                (
                    lambda: dashboard.trend(org, months),
                    lambda t: {
                        (m, i): _dec(v)
                        for i, values in t["series"].items()
                        for m, v in zip(months, values, strict=True)
                        if v
                    },
                ),
                (
                    lambda: duck.execute(DUCK_TREND, window).fetchall(),
                    lambda rows: {(m, i): _dec(v) for m, i, v in rows},
                ),
            )
            year = {"path": org.path, "first": last_year.first, "last": last_year.end}
            line(
                f"dashboard types {name}",
                (lambda: dashboard.type_mix(org, last_year), mix_figures),
                (lambda: duck.execute(DUCK_TYPES, year).fetchall(), pairs),
            )
        # The dashboard's totals and live counts, and the mix again, each also as main
        # computed them: ours / main / DuckDB in one line, all three compared.
        reverse("statistics:figure_cases")  # the URL resolver warm before any timing
        print(
            f"\n{'query':<34}{'ours p50':>10}{'p95':>8}{'main p50':>10}{'duckdb p50':>12}"
            f"{'duck/ours':>10}{'duck/main':>10}  figures identical"
        )

        def line3(
            label: str,
            ours: Measure,
            old: Measure,
            theirs: Measure,
            *,
            show: bool = False,
        ) -> None:
            o50, o95, a = timed(ours, args.repeat)
            m50, _m95, m = timed(old, args.repeat)
            d50, _d95, b = timed(theirs, args.repeat)
            same = a == b == m
            verdicts.append(same)
            print(
                f"{label:<34}{o50:>9.1f}ms{o95:>7.1f}{m50:>9.1f}ms{d50:>11.1f}ms"
                f"{d50 / o50:>9.1f}×{d50 / m50:>9.1f}×  {'yes' if same else 'NO'} "
                f"({len(a)} figures)"
            )
            if show:
                print(" " * 4 + ", ".join(f"{k} {v:,.0f}" for k, v in a.items()))

        for name, org in subjects:
            assert org is not None
            year = {"path": org.path, "first": last_year.first, "last": last_year.end}
            line3(
                f"type mix {name}",
                (lambda: dashboard.type_mix(org, last_year), mix_figures),
                (lambda: main_type_mix(org, last_year), mix_figures),
                (lambda: duck.execute(DUCK_TYPES, year).fetchall(), pairs),
            )
            line3(
                f"totals and rates {name}",
                (lambda: dashboard.totals(org, last_year), pairs),
                (lambda: main_totals(org, last_year), pairs),
                (
                    lambda: duck.execute(DUCK_TOTALS, year).fetchone(),
                    lambda row: totals_of(*(row or ())),
                ),
            )
            now = {"path": org.path, "today": today}
            line3(
                f"live counts {name}",
                (lambda: dashboard.case_counts(org), pairs),
                (lambda: main_live(org, today), pairs),
                (
                    lambda: duck.execute(DUCK_LIVE, now).fetchone(),
                    lambda row: dict(
                        zip(
                            ["today", "open", "complex_open", "group_open"],
                            map(_dec, row or ()),
                            strict=True,
                        )
                    ),
                ),
                show=True,
            )
        print(
            "all figures identical to DuckDB over the raw rows: "
            + ("yes" if all(verdicts) else "NO")
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_database(args.database_url, FAST_HASHERS, fresh=not args.existing):
        run(args)


if __name__ == "__main__":
    main()
