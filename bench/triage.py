#!/usr/bin/env python
"""Triage of a governance centre's queue at scale: ``triage_many`` against case-by-case.

Builds a throw-away database with the demo network, accounts and 东湖区's routing rules (through
the services, as ``routing.demo`` makes them), then N queued disputes (default 10,000) at the
two demo governance centres, inserted in bulk (bench only): each with an applicant and one or
two respondents living in a community or grid of 东湖区 (one community, two of a street, two
streets, or none recorded, in turn), a dispute type, amount, people involved and group flag drawn
at random so that every rule fires for some. It then times, in the same process:

1. Tiaojie: ``routing.triage.triage_many`` over the queue in pages of ``--page`` cases (the
   queue page shows 100): rules, committees and mediators loaded once a page, parties
   prefetched;
2. the baseline: ``routing.triage.triage`` case by case, as a view that triaged each row on its
   own would: the rules reloaded, the parties, the district's committees and the mediators
   queried for every case;

checks that both give the same rule, committee and mediators for every case, and prints
cases/s, the ratio and the queries per case. It asserts nothing about speed.

    .venv/bin/python bench/triage.py [--cases 10000] [--page 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from org_tree import database_label, throwaway_database

if TYPE_CHECKING:
    from tiaojie.routing.triage import Triage

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
BATCH = 2000


def prepare() -> None:
    """The demo network, accounts, 东湖区's rules and expertise, through the services."""
    from tiaojie.accounts.demo import seed_demo
    from tiaojie.accounts.models import User
    from tiaojie.routing import demo

    seed_demo()
    demo._rules(User.objects.get(username="demo_district"))
    demo._expertise()


def load_cases(total: int, seed: int) -> None:
    """``total`` queued disputes at the two centres, two or three parties each, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from tiaojie.accounts.models import User
    from tiaojie.cases.choices import CaseSource, CaseStatus, PartyRole
    from tiaojie.cases.models import Case, DisputeType, Party
    from tiaojie.organisations.models import Organisation

    rng = random.Random(seed)
    officers = [User.objects.get(username=u) for u in ("demo_street", "demo_district")]
    district = Organisation.objects.get(name="东湖区司法局")
    communities = list(
        Organisation.objects.filter(
            path__startswith=district.path, kind="committee", committee_kind="community"
        )
    )
    places: dict[int, list[Organisation]] = {
        c.pk: [c, *Organisation.objects.filter(parent=c)] for c in communities
    }
    types = list(DisputeType.objects.valid_on(timezone.localdate()))
    amounts = [None, 800, 3000, 12000, 48000, 120000, 260000]
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, total, BATCH):
            cases = []
            for index in range(start, min(total, start + BATCH)):
                officer = officers[index % 2]
                centre = officer.organisation
                number = f"（{now.year}）{centre.short_name}受字第{index + 1}号"
                people = rng.choice([2, 2, 2, 3, 5, 12, 30])
                amount = rng.choice(amounts)
                cases.append(
                    Case(
                        number=number,
                        intake_number=number,
                        year=now.year,
                        sequence=index + 1,
                        committee=centre,
                        committee_path=centre.path,
                        centre=centre,
                        dispute_type=rng.choice(types),
                        source=CaseSource.HOTLINE,
                        summary="来电反映纠纷",
                        amount=Decimal(amount) if amount is not None else None,
                        people_involved=people,
                        is_group=people >= 10,
                        risk_notes="情绪激动" if rng.random() < 0.1 else "",
                        status=CaseStatus.QUEUED,
                        registered_by=officer,
                        registered_at=now - dt.timedelta(minutes=rng.randrange(0, 20000)),
                    )
                )
            Case.objects.bulk_create(cases)
            parties = []
            for index, case in enumerate(cases):
                home = rng.choice(communities)
                mode = index % 4  # one community, a street, two streets, not recorded
                other = {
                    0: home,
                    1: rng.choice([c for c in communities if c.parent_id == home.parent_id]),
                    2: rng.choice(communities),
                    3: None,
                }[mode]
                roles = [PartyRole.APPLICANT, PartyRole.RESPONDENT]
                if rng.random() < 0.2:
                    roles.append(PartyRole.RESPONDENT)
                for role in roles:
                    # The fourth kind records no residence at all: the fallback's case.
                    where = (home if mode != 3 else None) if role == PartyRole.APPLICANT else other
                    parties.append(
                        Party(
                            case=case,
                            role=role,
                            name="当事人",
                            residence=rng.choice(places[where.pk]) if where else None,
                        )
                    )
            Party.objects.bulk_create(parties)


def signature(result: Triage) -> tuple[Any, ...]:
    return (
        result.rule.pk if result.rule else None,
        result.target.pk if result.target else None,
        tuple(s.mediator.pk for s in result.mediators),
    )


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def run(args: argparse.Namespace) -> None:
    import django
    from django.db import connection

    from tiaojie.cases.models import Case
    from tiaojie.routing.triage import triage, triage_many

    prepare()
    started = time.perf_counter()
    load_cases(args.cases, args.seed)
    loaded = time.perf_counter() - started
    ids = list(
        Case.objects.filter(status="queued")
        .order_by("registered_at", "id")
        .values_list("pk", flat=True)
    )
    print(
        f"Triage: {len(ids):,} queued disputes on {database_label()} "
        f"(Python {platform.python_version()}, Django {django.get_version()}); "
        f"loaded in {loaded:.1f} s."
    )

    def fast() -> dict[int, Triage]:
        out: dict[int, Triage] = {}
        for start in range(0, len(ids), args.page):
            # As the queue page loads them: with their dispute types and centres.
            page = list(
                Case.objects.filter(pk__in=ids[start : start + args.page]).select_related(
                    "dispute_type", "committee"
                )
            )
            out.update(triage_many(page))
        return out

    naive_ids = ids if not args.naive_sample else ids[: args.naive_sample]

    def naive() -> dict[int, Triage]:
        return {case.pk: triage(case) for case in Case.objects.filter(pk__in=naive_ids)}

    fast()  # warm up: imports, translations
    counter_fast, counter_naive = Counter(), Counter()
    with connection.execute_wrapper(counter_fast):
        t0 = time.perf_counter()
        together = fast()
        fast_s = time.perf_counter() - t0
    with connection.execute_wrapper(counter_naive):
        t0 = time.perf_counter()
        alone = naive()
        naive_s = time.perf_counter() - t0
    differ = [pk for pk in alone if signature(alone[pk]) != signature(together[pk])]
    if differ:
        raise SystemExit(
            f"triage_many and triage disagree on {len(differ)} cases, e.g. {differ[:5]}"
        )
    fired: dict[str, int] = {}
    for result in together.values():
        key = result.rule.name if result.rule else "(no rule: fallback)"
        fired[key] = fired.get(key, 0) + 1
    print(f"Both ways agree on all {len(alone):,} cases compared.\n")
    print("| way | cases | seconds | cases/s | queries/case |")
    print("|---|---|---|---|---|")
    for label, n, seconds, queries in (
        (f"triage_many, pages of {args.page}", len(together), fast_s, counter_fast.count),
        ("triage, case by case", len(alone), naive_s, counter_naive.count),
    ):
        print(f"| {label} | {n:,} | {seconds:.2f} | {n / seconds:,.0f} | {queries / n:.2f} |")
    ratio = (len(together) / fast_s) / (len(alone) / naive_s)
    print(f"\ntriage_many is {ratio:.1f}× faster per case.\n")
    print("Rules fired:")
    for name, n in sorted(fired.items(), key=lambda item: -item[1]):
        print(f"  {n:>6,}  {name}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=100, help="cases per triage_many call")
    parser.add_argument(
        "--naive-sample", type=int, default=0, help="time the baseline on this many only (0: all)"
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=2011)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_database(args.database_url, FAST_HASHERS):
        run(args)


if __name__ == "__main__":
    main()
