#!/usr/bin/env python
"""The monthly subsidy sheet (以案定补) of a whole city, against a hand-written SQL aggregate.

Builds a throw-away database with a prefecture city (``org_tree``'s shape: about 1,100
committees at the default 9,000 organisations), 4,000 mediators spread over its committees,
and 100,000 cases that ended last month, inserted in bulk (``bulk_create``), with their
presiding (and for a fifth, a second) mediator and their agreements. The mix: mostly agreed and
performed; some failed, pending, oral, unarchived, not accepted; amounts and people involved
spread over the three tiers; some complex and group disputes. One rule set for the city
(community 30/80/150 元, street 50/200/400 元, sectoral and stationed 40/120/300 元; the
presiding mediator receives it). Then it times:

1. Tiaojie: ``sheets.compute_area(city, month)``: every committee's draft sheet computed,
   lines and shares written, totals aggregated in SQL (what the month's batch does);
   and ``sheets.judge_month`` alone (the same reading and judging, nothing written);
2. the baseline: one hand-written SQL query computing each case's amount with ``CASE``
   expressions and summing per committee and per mediator;

asserts that both give the same amount for every case, committee and mediator, and prints
medians and the ratios. It asserts nothing about speed (bench/README.md).

    .venv/bin/python bench/subsidies.py [--cases 100000] [--mediators 4000] [--orgs 9000]
                                        [--database-url URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from org_tree import build_tree, database_label, load_tree, plan_shape, throwaway_database

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
AMOUNTS = {
    "community": (30, 80, 150),
    "street": (50, 200, 400),
    "sectoral": (40, 120, 300),
    "stationed": (40, 120, 300),
}


def last_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def load(args: argparse.Namespace, rng: random.Random, month: dt.date) -> dict[str, Any]:
    """The city, its mediators and the month's cases, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from tiaojie.accounts.models import User
    from tiaojie.cases.models import Agreement, Case, CaseMediator, DisputeType
    from tiaojie.organisations.models import Organisation

    t0 = time.perf_counter()
    load_tree(build_tree(plan_shape(args.orgs, rng), rng))
    city = Organisation.objects.get(depth=0, kind="city_bureau")
    committees = list(Organisation.objects.filter(kind="committee").values_list("pk", "path"))
    timings = {"tree": time.perf_counter() - t0}

    t0 = time.perf_counter()
    officer = User.objects.create(
        username="bench_officer", full_name="局科员", role="bureau_officer", organisation=city
    )
    users = [
        User(
            username=f"m{i:05d}",
            full_name=f"调解员{i}",
            role="mediator",
            organisation_id=committees[i % len(committees)][0],
            password="!",  # noqa: S106 - Django's mark of an unusable password
        )
        for i in range(args.mediators)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    by_committee: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in User.objects.filter(role="mediator").values_list("pk", "organisation_id"):
        by_committee[org_id].append(pk)
    staffed = [(pk, path) for pk, path in committees if by_committee.get(pk)]
    timings["mediators"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    dispute = DisputeType.objects.values_list("pk", flat=True).first()
    assert dispute is not None, "the dispute-type dictionary is empty: migrate first"
    now = timezone.now()
    days = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - month
    cases, mediators, agreements = [], [], []
    with transaction.atomic():
        for i in range(args.cases):
            committee_id, path = staffed[i % len(staffed)]
            b = rng.randrange(100)
            closed = month + dt.timedelta(days=rng.randrange(days.days))
            ended = "agreed" if b < 88 else ("failed" if b < 95 else "terminated")
            cases.append(
                Case(
                    number=f"B{i:07d}",
                    year=month.year,
                    sequence=i + 1,
                    committee_id=committee_id,
                    committee_path=path,
                    dispute_type_id=dispute,
                    source="application",
                    summary="纠纷",
                    amount=Decimal(rng.choice([0, 800, 3000, 9000, 15000, 60000, 150000])),
                    people_involved=rng.choice([2, 2, 2, 3, 4, 6, 12, 25]),
                    is_complex=rng.random() < 0.06,
                    is_group=rng.random() < 0.02,
                    status="archived" if rng.random() < 0.8 else ended,
                    ended_as=ended,
                    registered_by=officer,
                    registered_at=now - dt.timedelta(days=60),
                    accepted_on=None if rng.random() < 0.01 else closed - dt.timedelta(days=5),
                    closed_on=closed,
                    performance="performed" if rng.random() < 0.93 else "pending",
                    archived_on=closed if rng.random() < 0.85 else None,
                )
            )
        Case.objects.bulk_create(cases, batch_size=5000)
        ids = dict(Case.objects.values_list("number", "pk"))
        for case in cases:
            pk = ids[case.number]
            staff = by_committee[case.committee_id]
            lead = rng.randrange(len(staff))
            if rng.random() < 0.995:  # a few cases with nobody presiding
                mediators.append(
                    CaseMediator(case_id=pk, mediator_id=staff[lead], is_presiding=True)
                )
            if len(staff) > 1 and rng.random() < 0.2:
                second = staff[(lead + 1) % len(staff)]
                mediators.append(CaseMediator(case_id=pk, mediator_id=second))
            if case.ended_as == "agreed":
                agreements.append(
                    Agreement(
                        case_id=pk,
                        kind="oral" if rng.random() < 0.1 else "written",
                        number=f"A{case.number}",
                        facts="事实",
                        content="内容",
                        performance_manner="现金",
                        formed_on=case.closed_on or month,
                        created_by=officer,
                    )
                )
        CaseMediator.objects.bulk_create(mediators, batch_size=5000)
        Agreement.objects.bulk_create(agreements, batch_size=5000)
    timings["cases"] = time.perf_counter() - t0
    return {"city": city, "officer": officer, "timings": timings, "committees": len(committees)}


def rules(city: Any, officer: Any, month: dt.date) -> None:
    from tiaojie.subsidies.services import rulesets
    from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

    d = Decimal
    tiers = ("general", "difficult", "major")
    rulesets.rule_set_create(
        actor=officer,
        bureau=city,
        data=RuleSetData(
            name="临江市以案定补标准",
            valid_from=month,
            bands=[
                Band("amount", "general", d(0), d(10000)),
                Band("amount", "difficult", d(10000), d(100000)),
                Band("amount", "major", d(100000), None),
                Band("people", "general", d(0), d(5)),
                Band("people", "difficult", d(5), d(20)),
                Band("people", "major", d(20), None),
            ],
            amounts=[
                Amount(kind, tier, d(value))
                for kind, values in AMOUNTS.items()
                for tier, value in zip(tiers, values, strict=True)
            ],
        ),
    )


# --- The two sides ---------------------------------------------------------------------------


def tiaojie_sheets(city: Any, month: dt.date) -> dict[str, dict[Any, Decimal]]:
    from django.db.models import Sum

    from tiaojie.subsidies.models import SubsidyLine, SubsidyShare, SubsidySheet
    from tiaojie.subsidies.services import sheets

    sheets.compute_area(city, month)
    return read_back(month, SubsidySheet, SubsidyLine, SubsidyShare, Sum)


def read_back(
    month: dt.date, sheet_model: Any, line: Any, share: Any, total: Any
) -> dict[str, dict[Any, Decimal]]:
    return {
        "case": {
            number: amount
            for number, amount in line.objects.filter(sheet__month=month).values_list(
                "case_number", "amount"
            )
            if amount
        },
        "committee": {
            pk: t
            for pk, t in sheet_model.objects.filter(month=month).values_list(
                "committee_id", "total"
            )
            if t
        },
        "mediator": dict(
            share.objects.filter(sheet__month=month)
            .values("mediator_id")
            .annotate(t=total("amount"))
            .values_list("mediator_id", "t")
        ),
    }


def judge_only(city: Any, month: dt.date) -> int:
    from tiaojie.organisations.models import Organisation
    from tiaojie.subsidies.services import sheets

    committees = Organisation.objects.filter(kind="committee", path__startswith=city.path)
    judged, _used = sheets.judge_month(committees, month)
    return sum(len(rows) for rows in judged.values())


def hand_sql(vendor: str) -> str:
    greatest = "GREATEST" if vendor == "postgresql" else "MAX"
    true = "true" if vendor == "postgresql" else "1"
    amount_case = " ".join(
        f"WHEN j.committee_kind = '{kind}' AND j.rank = {rank} THEN {value}"
        for kind, values in AMOUNTS.items()
        for rank, value in enumerate(values)
    )
    return f"""
WITH judged AS (
  SELECT c.id, c.number, c.committee_id, o.committee_kind, c.accepted_on, c.ended_as,
         c.performance, c.archived_on,
         {greatest}(
           CASE WHEN COALESCE(c.amount, 0) >= 100000 THEN 2
                WHEN COALESCE(c.amount, 0) >= 10000 THEN 1 ELSE 0 END,
           CASE WHEN c.people_involved >= 20 THEN 2 WHEN c.people_involved >= 5 THEN 1 ELSE 0 END,
           CASE WHEN c.is_complex = {true} THEN 1 ELSE 0 END,
           CASE WHEN c.is_group = {true} THEN 2 ELSE 0 END) AS rank,
         (SELECT a.kind FROM cases_agreement a
           WHERE a.case_id = c.id AND a.superseded_at IS NULL LIMIT 1) AS agreement_kind,
         (SELECT m.mediator_id FROM cases_casemediator m
           WHERE m.case_id = c.id AND m.is_presiding = {true} AND m.withdrawn_at IS NULL
           LIMIT 1) AS presiding
  FROM cases_case c JOIN organisations_organisation o ON o.id = c.committee_id
  WHERE o.path LIKE %s AND c.closed_on >= %s AND c.closed_on < %s AND c.ended_as <> ''
),
paid AS (
  SELECT j.number, j.committee_id, j.presiding,
         CASE {amount_case} ELSE 0 END AS amount
  FROM judged j
  WHERE j.accepted_on IS NOT NULL AND j.ended_as = 'agreed'
    AND COALESCE(j.agreement_kind, '') <> 'oral' AND j.performance = 'performed'
    AND NOT (j.rank = 2 AND j.archived_on IS NULL)
    AND j.presiding IS NOT NULL
)
SELECT 'case', number, amount FROM paid
UNION ALL SELECT 'committee', CAST(committee_id AS VARCHAR(20)), SUM(amount) FROM paid
  GROUP BY committee_id
UNION ALL SELECT 'mediator', CAST(presiding AS VARCHAR(20)), SUM(amount) FROM paid
  GROUP BY presiding
"""


def hand_sheets(city: Any, month: dt.date) -> dict[str, dict[Any, Decimal]]:
    from django.db import connection

    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    found: dict[str, dict[Any, Decimal]] = {"case": {}, "committee": {}, "mediator": {}}
    with connection.cursor() as cursor:
        cursor.execute(hand_sql(connection.vendor), [city.path + "%", month, end])
        for kind, key, amount in cursor.fetchall():
            value = Decimal(str(amount)).quantize(Decimal("0.01"))
            if value:
                found[kind][key if kind == "case" else int(key)] = value
    return found


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--mediators", type=int, default=4_000)
    parser.add_argument("--orgs", type=int, default=9_000, help="organisations in the city")
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create a throw-away database on; "
        "default: a throw-away SQLite file in a temporary directory",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_database(args.database_url, FAST_HASHERS):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(args.seed)
    month = last_month(timezone.localdate())
    world = load(args, rng, month)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rules(world["city"], world["officer"], month)
    print(
        f"Subsidy sheet: {args.cases:,} cases ended in {month:%Y-%m} at "
        f"{world['committees']:,} committees, {args.mediators:,} mediators, on "
        f"{database_label()} (Python {platform.python_version()}, Django {django.get_version()})"
    )
    print("Loaded in " + ", ".join(f"{k} {v:.1f} s" for k, v in world["timings"].items()) + ".")
    city = world["city"]
    ours = tiaojie_sheets(city, month)
    theirs = hand_sheets(city, month)
    for kind in ("case", "committee", "mediator"):
        if ours[kind] != theirs[kind]:
            differ = {
                k
                for k in set(ours[kind]) | set(theirs[kind])
                if ours[kind].get(k) != theirs[kind].get(k)
            }
            print(
                f"The two disagree on {len(differ)} {kind} amounts, e.g. "
                f"{sorted(differ, key=str)[:5]}",
                file=sys.stderr,
            )
            raise SystemExit(1)
    total = sum(ours["committee"].values(), Decimal(0))
    print(
        f"Both pay {len(ours['case']):,} cases, {len(ours['committee']):,} committees, "
        f"{len(ours['mediator']):,} mediators: {total:,.2f} 元 in all (identical per case, "
        "committee and mediator)."
    )
    sides = {
        "Tiaojie: compute_area (judge + write + SQL totals)": lambda: tiaojie_sheets(city, month),
        "Tiaojie: judge_month only (read + judge)": lambda: judge_only(city, month),
        "hand-written SQL aggregate": lambda: hand_sheets(city, month),
    }
    samples: dict[str, list[float]] = {label: [] for label in sides}
    for _ in range(args.repeat):
        for label, fn in sides.items():
            samples[label].append(timed(fn)[0])
    print(f"\n{'side':<54} {'median s':>9} {'runs':>5}")
    medians = {label: statistics.median(values) for label, values in samples.items()}
    for label, value in medians.items():
        print(f"{label:<54} {value:>9.2f} {len(samples[label]):>5}")
    base = medians["hand-written SQL aggregate"]
    for label in list(sides)[:2]:
        print(
            f"ratio {label.split(':')[1].split('(')[0].strip()} / hand-written: "
            f"{medians[label] / base:.1f}"
        )


if __name__ == "__main__":
    main()
