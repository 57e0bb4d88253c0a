#!/usr/bin/env python
"""The deadline scan at scale: the ORM selection against a hand-written SQL query.

Builds a throw-away database with N open cases (default 1,000,000; registered, queued,
accepted, in mediation and agreed, with their agreements), generated inside the database by one
``INSERT … SELECT`` over ``generate_series`` (PostgreSQL) or a recursive CTE (SQLite). One
district has its own accept rule, so the selection has two rule branches. Then it times:

1. Tiaojie: the near-due and overdue cases of every kind and level, as the scan selects them
   (``deadlines.queries.deadline_set`` for each pair, ids and start dates fetched);
2. the baseline: one hand-written SQL query (``UNION ALL`` of the same conditions, with the
   same date thresholds passed as parameters) returning the same rows;

checks both found the same (case, kind, level) rows, prints medians, p95 and the ratio, and
times ``run_scan`` itself twice: the first run raises every alert and notifies, the second
(idempotent) finds nothing to do. It asserts nothing about speed (bench/README.md).

    .venv/bin/python bench/overdue_scan.py [--cases 1000000] [--database-url URL] [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from org_tree import database_label, percentile, throwaway_database

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
Rows = set[tuple[int, str, str]]


# --- Data ------------------------------------------------------------------------------------


def literal(value: Any, vendor: str) -> str:
    """A column default as an SQL literal (bench-only SQL, values we made ourselves)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("true" if value else "false") if vendor == "postgresql" else str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        import json

        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def day(vendor: str, base: dt.date, minus: str) -> str:
    """``base`` minus ``minus`` days (an SQL integer expression), as a date."""
    if vendor == "postgresql":
        return f"(DATE '{base.isoformat()}' - ({minus}))"
    return f"date('{base.isoformat()}', (-({minus})) || ' days')"  # "-5 days" or "5 days"


def stamp(vendor: str, base: dt.datetime, minus: str) -> str:
    """``base`` (UTC) minus ``minus`` days, as a timestamp."""
    text = base.strftime("%Y-%m-%d %H:%M:%S")
    if vendor == "postgresql":
        return f"(TIMESTAMPTZ '{text}+00' - ({minus}) * INTERVAL '1 day')"
    return f"datetime('{text}', (-({minus})) || ' days')"


def series(vendor: str, total: int) -> str:
    """Rows ``i`` = 1..total with a pseudo-random bucket ``b`` (0..99) and the case's ages."""
    inner = (
        f"SELECT g AS i, (g * 31) % 100 AS b FROM generate_series(1, {total}) AS t(g)"
        if vendor == "postgresql"
        else f"WITH RECURSIVE t(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM t WHERE g < {total}) "
        "SELECT g AS i, (g * 31) % 100 AS b FROM t"
    )
    # reg: days since registration; acc: since acceptance; eff: since the agreement took effect.
    return (
        "SELECT i, b, "
        "CASE WHEN b < 8 THEN i % 10 WHEN b < 12 THEN i % 8 WHEN b < 70 THEN i % 40 + 1 "
        "ELSE i % 60 + 20 END AS reg, "
        "CASE WHEN b < 70 THEN i % 40 ELSE i % 60 + 19 END AS acc, "
        f"i % 60 AS eff FROM ({inner}) AS raw"
    )


STATUS = (
    "CASE WHEN x.b < 8 THEN 'registered' WHEN x.b < 12 THEN 'queued' "
    "WHEN x.b < 20 THEN 'accepted' WHEN x.b < 70 THEN 'in_mediation' ELSE 'agreed' END"
)


def load_cases(total: int, today: dt.date, now: dt.datetime) -> dict[str, float]:
    """Insert ``total`` cases and the agreements of the agreed ones, inside the database."""
    from django.db import connection, transaction

    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Role
    from tiaojie.cases.models import Agreement, Case, DisputeType
    from tiaojie.organisations.models import Organisation

    vendor = connection.vendor
    committees = list(
        Organisation.objects.filter(kind="committee", status="active").values_list("id", "path")
    )
    clerk = User.objects.filter(role=Role.MEDIATOR).values_list("pk", flat=True).first()
    dispute = DisputeType.objects.values_list("pk", flat=True).first()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_committee (k integer, id integer, path varchar(255))")
        cursor.executemany(
            "INSERT INTO bench_committee VALUES (%s, %s, %s)",
            [(k, pk, path) for k, (pk, path) in enumerate(committees)],
        )
        accepted = day(vendor, today, "x.acc")
        expressions: dict[str, str] = {
            "number": "'BENCH-' || x.i",
            "year": str(today.year),
            "sequence": "x.i",
            "committee_id": "c.id",
            "committee_path": "c.path",
            "dispute_type_id": str(dispute),
            "source": "'application'",
            "summary": "'邻里噪音纠纷'",
            "status": STATUS,
            "registered_by_id": str(clerk),
            "registered_at": stamp(vendor, now, "x.reg"),
            "accepted_on": f"CASE WHEN x.b >= 12 THEN {accepted} END",
            "due_on": f"CASE WHEN x.b >= 12 THEN {day(vendor, today, 'x.acc - 30')} END",
            "extended_to": f"CASE WHEN x.b >= 12 AND x.b < 70 AND x.i % 10 = 0 "
            f"THEN {day(vendor, today, 'x.acc - 60')} END",
            "closed_on": f"CASE WHEN x.b >= 70 THEN {day(vendor, today, 'x.eff')} END",
            "performance": "CASE WHEN x.b >= 70 AND x.i % 2 = 0 THEN 'performed' ELSE 'pending' END",
            "created_at": stamp(vendor, now, "0"),
            "updated_at": stamp(vendor, now, "0"),
        }
        fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        values = ", ".join(
            expressions.get(f.attname) or literal(f.get_default(), vendor) for f in fields
        )
        cursor.execute(
            f"INSERT INTO cases_case ({columns}) SELECT {values} FROM ({series(vendor, total)}) x "
            f"JOIN bench_committee c ON c.k = x.i % {len(committees)}"
        )
        timings["cases"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        effective = "c.closed_on"
        agreement_expr = {
            "case_id": "c.id",
            "kind": "'written'",
            "number": "'BENCH-A-' || c.id",
            "facts": "''",
            "content": "''",
            "performance_manner": "'现金'",
            "performance_deadline": (
                "(c.closed_on + 10)" if vendor == "postgresql" else "date(c.closed_on, '+10 days')"
            ),
            "formed_on": effective,
            "mediator_signed_on": effective,
            "sealed_on": effective,
            "effective_on": effective,
            "created_by_id": str(clerk),
            "created_at": stamp(vendor, now, "0"),
        }
        fields = [f for f in Agreement._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        values = ", ".join(
            agreement_expr.get(f.attname) or literal(f.get_default(), vendor) for f in fields
        )
        cursor.execute(
            f"INSERT INTO cases_agreement ({columns}) SELECT {values} FROM cases_case c "
            "WHERE c.status = 'agreed'"
        )
        cursor.execute("DROP TABLE bench_committee")
    timings["agreements"] = time.perf_counter() - t0
    if vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("VACUUM ANALYZE cases_agreement")
        timings["analyse"] = time.perf_counter() - t0
    return timings


def district_rule() -> str:
    """东湖区 gives 5 working days to accept (the default is 3): a second rule branch."""
    from tiaojie.deadlines.models import DeadlineRule
    from tiaojie.organisations.models import Organisation

    donghu = Organisation.objects.get(name="东湖区司法局")
    DeadlineRule.objects.create(
        owner=donghu, kind="accept", value=5, unit="working_days", near_due_days=2
    )
    return donghu.path


# --- The two selections ----------------------------------------------------------------------


def tiaojie_rows(ctx: Any) -> Rows:
    from tiaojie.cases.models import Case
    from tiaojie.deadlines.queries import PAIRS, deadline_set

    rows: Rows = set()
    for kind, level in PAIRS:
        columns = ("pk", "dl_start")  # as the scan fetches them (dl_start: annotated)
        found = deadline_set(Case.objects.all(), kind, level, ctx).order_by().values_list(*columns)
        rows.update((pk, kind, level) for pk, _start in found)
    return rows


def thresholds(ctx: Any, donghu: str) -> dict[str, Any]:
    """The date bounds the hand-written query takes as parameters, from the same calendar."""
    from tiaojie.deadlines.context import start_of_day

    books = ctx.books
    values: dict[str, Any] = {"today": ctx.today, "donghu": donghu + "%"}
    for name, rule in (
        ("a_dh", books["accept"].for_path(donghu)),
        ("a_def", books["accept"].default),
    ):
        first = ctx.first_start("accept", rule, ctx.today)
        last = ctx.last_start("accept", rule, ctx.near_limit(rule))
        values[f"{name}_over"] = start_of_day(first)
        values[f"{name}_near"] = start_of_day(last + dt.timedelta(days=1))
    mediation = books["mediation"].default
    values["m_limit"] = ctx.near_limit(mediation)
    confirmation = books["confirmation"].default
    values["c_first"] = ctx.first_start("confirmation", confirmation, ctx.today)
    values["c_last"] = ctx.last_start("confirmation", confirmation, ctx.near_limit(confirmation))
    follow = books["follow_up"].default
    values["f_first"] = ctx.first_start("follow_up", follow, ctx.today)
    values["f_last"] = ctx.last_start("follow_up", follow, ctx.near_limit(follow))
    return values


HAND_SQL = """
SELECT id, 'accept', 'overdue' FROM cases_case
 WHERE status IN ('queued', 'registered')
   AND registered_at < CASE WHEN committee_path LIKE %(donghu)s THEN %(a_dh_over)s
                            ELSE %(a_def_over)s END
UNION ALL
SELECT id, 'accept', 'near_due' FROM cases_case
 WHERE status IN ('queued', 'registered')
   AND ((committee_path LIKE %(donghu)s
         AND registered_at >= %(a_dh_over)s AND registered_at < %(a_dh_near)s)
     OR (committee_path NOT LIKE %(donghu)s
         AND registered_at >= %(a_def_over)s AND registered_at < %(a_def_near)s))
UNION ALL
SELECT id, 'mediation', 'overdue' FROM cases_case
 WHERE status IN ('accepted', 'in_mediation') AND COALESCE(extended_to, due_on) < %(today)s
UNION ALL
SELECT id, 'mediation', 'near_due' FROM cases_case
 WHERE status IN ('accepted', 'in_mediation')
   AND COALESCE(extended_to, due_on) BETWEEN %(today)s AND %(m_limit)s
UNION ALL
SELECT c.id, 'confirmation', 'near_due' FROM cases_case c
  JOIN cases_agreement a ON a.case_id = c.id AND a.superseded_at IS NULL
 WHERE c.status = 'agreed' AND a.kind = 'written'
   AND a.effective_on BETWEEN %(c_first)s AND %(c_last)s
   AND NOT EXISTS (SELECT 1 FROM cases_judicialconfirmation j
                    WHERE j.case_id = c.id AND j.applied_on >= a.effective_on)
UNION ALL
SELECT c.id, 'follow_up', 'overdue' FROM cases_case c
  JOIN cases_agreement a ON a.case_id = c.id AND a.superseded_at IS NULL
 WHERE c.status = 'agreed' AND c.performance = 'pending'
   AND a.performance_deadline < %(f_first)s
   AND NOT EXISTS (SELECT 1 FROM cases_followup f WHERE f.case_id = c.id)
UNION ALL
SELECT c.id, 'follow_up', 'near_due' FROM cases_case c
  JOIN cases_agreement a ON a.case_id = c.id AND a.superseded_at IS NULL
 WHERE c.status = 'agreed' AND c.performance = 'pending'
   AND a.performance_deadline BETWEEN %(f_first)s AND %(f_last)s
   AND NOT EXISTS (SELECT 1 FROM cases_followup f WHERE f.case_id = c.id)
"""


def hand_rows(params: dict[str, Any]) -> Rows:
    from django.db import connection

    ops = connection.ops
    adapted = {
        name: ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.datetime)
        else ops.adapt_datefield_value(value)
        if isinstance(value, dt.date)
        else value
        for name, value in params.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, adapted)
        return {(pk, kind, level) for pk, kind, level in cursor.fetchall()}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples, result


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000, help="open cases (default 1M)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away SQLite file in a temporary directory",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each selection")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_database(args.database_url, FAST_HASHERS):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django
    from django.utils import timezone

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.cases.models import Case
    from tiaojie.deadlines.context import DeadlineContext
    from tiaojie.deadlines.models import DeadlineAlert
    from tiaojie.deadlines.scan import run_scan
    from tiaojie.notifications.models import Notification

    seed_demo()
    today, now = timezone.localdate(), timezone.now()
    timings = load_cases(args.cases, today, now)
    donghu = district_rule()
    print(
        f"Overdue scan: {Case.objects.count():,} open cases on {database_label()} "
        f"(Python {platform.python_version()}, Django {django.get_version()})"
    )
    print("Loaded in " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + ".")

    ctx = DeadlineContext.build(today)
    params = thresholds(ctx, donghu)
    ours, theirs = tiaojie_rows(ctx), hand_rows(params)
    if ours != theirs:
        print(
            f"The two selections disagree: {len(ours - theirs)} only in Tiaojie's, "
            f"{len(theirs - ours)} only in the SQL's; the comparison would be void.",
            file=sys.stderr,
        )
        raise SystemExit(1)
    by_pair: dict[tuple[str, str], int] = {}
    for _pk, kind, level in ours:
        by_pair[(kind, level)] = by_pair.get((kind, level), 0) + 1
    print(
        f"Both select {len(ours):,} (case, deadline, level) rows: "
        + ", ".join(f"{k} {lv} {n:,}" for (k, lv), n in sorted(by_pair.items()))
    )
    t_samples: list[float] = []
    h_samples: list[float] = []
    for index in range(args.repeat):  # alternate which goes first
        order = [(t_samples, lambda: tiaojie_rows(ctx)), (h_samples, lambda: hand_rows(params))]
        for samples, fn in order if index % 2 == 0 else reversed(order):
            samples.extend(timed(fn, 1)[0])
    t_med, h_med = statistics.median(t_samples), statistics.median(h_samples)
    print(f"\n{'selection':<34} {'p50 ms':>10} {'p95 ms':>10} {'runs':>5}")
    for label, med, samples in (
        ("Tiaojie (ORM, 7 querysets)", t_med, t_samples),
        ("hand-written SQL (UNION ALL)", h_med, h_samples),
    ):
        p95 = percentile(samples, 0.95)
        print(f"{label:<34} {med:>10.0f} {p95:>10.0f} {len(samples):>5}")
    print(f"ratio Tiaojie / hand-written: {t_med / h_med:.2f}")

    print("\nrun_scan (raise, clear, notify, audit):")
    for label in ("first run", "second run (idempotent)"):
        t0 = time.perf_counter()
        result = run_scan(today)
        elapsed = time.perf_counter() - t0
        print(
            f"  {label:<26} {elapsed:>8.1f} s  raised {result.raised:,}, cleared "
            f"{result.cleared:,}, notified {result.notified:,}, open {result.open_alerts:,}"
        )
    print(
        f"  alerts {DeadlineAlert.objects.count():,}, notifications "
        f"{Notification.objects.count():,}"
    )


if __name__ == "__main__":
    main()
