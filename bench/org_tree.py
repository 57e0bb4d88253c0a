#!/usr/bin/env python
"""The organisation tree at scale: the materialised path against a naive recursive walk.

Builds a throw-away database holding a realistic tree of N organisations (one city, ~15
districts, ~20 justice offices each, committees, grids), then times, in the same process and
interleaved run by run, what Tiaojie does and what a tree without a path would have to do:

1. the descendants of a district (count and ids): ``descendants_of`` against one query per node;
2. the list a district officer sees (first page of 50 and the count): ``organisations_for``
   against the same list built from the walk;
3. the ancestors of a grid: read from its path against walking up parent by parent.

It prints medians, 95th percentiles, the ratio naive/tiaojie and the SQL queries each made.
It asserts nothing about speed and is not part of the test suite (see bench/README.md).

    .venv/bin/python bench/org_tree.py [--orgs 50000] [--database-url URL] [--repeat 50]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

PAGE_SIZE = 50
# Queries over a long id list are split so that no backend meets its parameter limit.
IN_CHUNK = 10_000

DISTRICTS = [
    "东湖",
    "西山",
    "南岸",
    "北城",
    "江滨",
    "青山",
    "汉阳",
    "新洲",
    "黄陂",
    "蔡甸",
    "江夏",
    "洪山",
    "硚口",
    "汉南",
    "临港",
]
COMMUNITY_WORDS = "东西南北新和平安康华兴福春阳光明翠柳梨园茶港钢花红卫青松桂香"


# --- Django, on a database of its own --------------------------------------------------------


def setup_django(
    database_url: str | None, workdir: Path, overrides: dict[str, Any] | None = None
) -> None:
    """Configure Django from config.settings.base, but on the benchmark's own database.

    The developer's var/ is never touched: development secrets for this run and the SQLite
    file live in ``workdir``. DEBUG is off so that no query log slows the timed runs.
    ``overrides`` replaces further settings (other benchmarks use it; this one does not).
    """
    os.environ["TIAOJIE_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_DEBUG"] = "1"  # base.py then needs no production secrets
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"

    import django
    from django.conf import settings

    from config.settings import base

    values = {name: getattr(base, name) for name in dir(base) if name.isupper()}
    values["DEBUG"] = False
    # On PostgreSQL the run gets a fresh database of its own, dropped at the end.
    values["DATABASES"]["default"]["TEST"] = {"NAME": f"tiaojie_bench_{os.getpid()}"}
    values.update(overrides or {})
    settings.configure(**values)
    django.setup()


def create_database() -> str:
    """Make the schema; returns the name to hand back to ``drop_database``."""
    from django.core.management import call_command
    from django.db import connection

    original = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0, interactive=False)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def drop_database(original: str) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(original, verbosity=0)


@contextmanager
def throwaway_database(
    database_url: str | None,
    overrides: dict[str, Any] | None = None,
    *,
    prefix: str = "tiaojie-bench-",
    fresh: bool = True,
) -> Iterator[Path]:
    """Django set up on a database of the benchmark's own, gone when the block ends.

    Every benchmark starts the same way: a temporary working directory for secrets and the
    SQLite file, ``setup_django``, the schema made, and all of it removed however the run ends.
    ``fresh=False`` measures the database ``database_url`` names as it is (neither made nor
    dropped). Yields the working directory.
    """
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        setup_django(database_url, workdir, overrides)
        if not fresh:
            yield workdir
            return
        original = create_database()
        try:
            yield workdir
        finally:
            drop_database(original)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def database_label() -> str:
    from django.db import connection

    queries = {"postgresql": "SHOW server_version", "sqlite": "SELECT sqlite_version()"}
    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    if connection.vendor not in queries:
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        row = cursor.fetchone()
    return f"{names[connection.vendor]} {row[0] if row else '?'}"


# --- The tree --------------------------------------------------------------------------------


@dataclass
class Shape:
    """How many of each level; community committees carry the grids."""

    districts: int
    offices_per_district: int
    grids: list[list[list[int]]] = field(default_factory=list)  # [district][office][committee]

    # Per district: the bureau, its association, a medical and a traffic committee.
    PER_DISTRICT = 4

    def stationed(self, office_index: int) -> bool:
        """Every third justice office also has a mediation room at the police station."""
        return office_index % 3 == 0

    def total(self) -> int:
        count = 2  # the city bureau and the city association
        for district in self.grids:
            count += self.PER_DISTRICT
            for index, office in enumerate(district):
                count += 2 + (1 if self.stationed(index) else 0)  # office, street committee
                count += sum(1 + grids for grids in office)
        return count


def plan_shape(n: int, rng: random.Random) -> Shape:
    """A tree of exactly ``n`` nodes shaped like a prefecture city (docs: domain.md §8)."""
    districts = min(len(DISTRICTS), max(1, round(n / 3300)))
    offices = min(20, max(1, round(n / districts / 165)))
    shape = Shape(districts, offices)
    fixed = 2 + districts * Shape.PER_DISTRICT
    fixed += sum(2 + (1 if shape.stationed(o) else 0) for o in range(offices)) * districts
    per_office = max(1.0, (n - fixed) / (districts * offices))
    committees = max(1, round(per_office / 8))  # a community committee and ~7 grids
    shape.grids = [
        [[rng.randint(4, 10) for _ in range(committees)] for _ in range(offices)]
        for _ in range(districts)
    ]
    # Trim or pad grids, one committee at a time, until the count is exact.
    cells = [office for district in shape.grids for office in district]
    step = 0
    while (difference := n - shape.total()) != 0:
        office = cells[step % len(cells)]
        slot = (step // len(cells)) % len(office)
        if difference > 0:
            office[slot] += 1
        elif office[slot] > 0:
            office[slot] -= 1
        elif all(g == 0 for o in cells for g in o):
            raise SystemExit(f"--orgs {n} is too small for the tree's fixed levels ({fixed})")
        step += 1
    return shape


class TreeBuilder:
    """Rows with ids chosen up front, so that each path is computed as the service does it:
    ``path = parent.path + path_segment(pk)``."""

    def __init__(self) -> None:
        self.rows: list[Organisation] = []

    def add(
        self,
        parent: Organisation | None,
        supervisor: Organisation | None,
        kind: str,
        name: str,
        **extra: Any,
    ) -> Organisation:
        from tiaojie.organisations.models import Organisation, path_segment

        pk = len(self.rows) + 1
        org = Organisation(
            pk=pk,
            kind=kind,
            name=name,
            parent_id=parent.pk if parent else None,
            supervising_office_id=supervisor.pk if supervisor else None,
            depth=parent.depth + 1 if parent else 0,
            path=(parent.path if parent else "") + path_segment(pk),
            **extra,
        )
        self.rows.append(org)
        return org


def community_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = "".join(rng.sample(COMMUNITY_WORDS, 2)) + "社区"
        if name not in taken:
            taken.add(name)
            return name


def build_tree(shape: Shape, rng: random.Random) -> TreeBuilder:
    from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, Sector, Station

    tree = TreeBuilder()
    city = tree.add(
        None,
        None,
        OrganisationKind.CITY_BUREAU,
        "临江市司法局",
        short_name="临江市",
        division_code="990100",
    )
    tree.add(city, city, OrganisationKind.ASSOCIATION, "临江市人民调解协会")
    for d, offices in enumerate(shape.grids):
        label = DISTRICTS[d]
        code = f"9901{d + 1:02d}"
        district = tree.add(
            city,
            city,
            OrganisationKind.DISTRICT_BUREAU,
            f"{label}区司法局",
            short_name=f"{label}区",
            division_code=code,
        )
        tree.add(district, district, OrganisationKind.ASSOCIATION, f"{label}区人民调解协会")
        for sector, title in ((Sector.MEDICAL, "医疗纠纷"), (Sector.TRAFFIC, "道路交通事故纠纷")):
            tree.add(
                district,
                district,
                OrganisationKind.COMMITTEE,
                f"{label}区{title}人民调解委员会",
                committee_kind=CommitteeKind.SECTORAL,
                sector=sector,
            )
        for o, committees in enumerate(offices):
            street = f"{label}第{o + 1}街道"
            office_code = f"{code}{o + 1:03d}"
            office = tree.add(
                district,
                district,
                OrganisationKind.JUSTICE_OFFICE,
                f"{street}司法所",
                short_name=street,
                division_code=office_code,
            )
            tree.add(
                office,
                office,
                OrganisationKind.COMMITTEE,
                f"{street}人民调解委员会",
                committee_kind=CommitteeKind.STREET,
                division_code=office_code,
            )
            if shape.stationed(o):
                tree.add(
                    office,
                    office,
                    OrganisationKind.COMMITTEE,
                    f"{street}派出所人民调解室",
                    committee_kind=CommitteeKind.STATIONED,
                    station=Station.POLICE,
                )
            taken: set[str] = set()
            for c, grids in enumerate(committees):
                community = community_name(rng, taken)
                committee = tree.add(
                    office,
                    office,
                    OrganisationKind.COMMITTEE,
                    f"{community}人民调解委员会",
                    short_name=community,
                    committee_kind=CommitteeKind.COMMUNITY,
                    division_code=f"{office_code}{c + 1:03d}",
                )
                for g in range(grids):
                    tree.add(committee, office, OrganisationKind.GRID, f"第{g + 1}网格")
    return tree


def load_tree(tree: TreeBuilder) -> None:
    """Insert level by level (parents first), then let the database's id sequence catch up."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from tiaojie.organisations.models import Organisation

    by_depth: dict[int, list[Organisation]] = {}
    for org in tree.rows:
        by_depth.setdefault(org.depth, []).append(org)
    with transaction.atomic():
        for depth in sorted(by_depth):
            Organisation.objects.bulk_create(by_depth[depth], batch_size=2000)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Organisation]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load; without it the planner guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE organisations_organisation")


# --- The two ways of reading the tree ---------------------------------------------------------


def naive_subtree_ids(org_id: int) -> list[int]:
    """Every id below ``org_id``: one query per node, as a tree with only ``parent`` must."""
    from tiaojie.organisations.models import Organisation

    ids: list[int] = []
    children = Organisation.objects.filter(parent=org_id).order_by().values_list("id", flat=True)
    for child in list(children):
        ids.append(child)
        ids.extend(naive_subtree_ids(child))
    return ids


def chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def level_walk_ids(org_id: int) -> list[int]:
    """Every id below ``org_id``, one ``parent__in`` query per level: the better naive walk."""
    from tiaojie.organisations.models import Organisation

    ids: list[int] = []
    frontier = [org_id]
    while frontier:
        below: list[int] = []
        for part in chunks(frontier):
            below.extend(
                Organisation.objects.filter(parent_id__in=part)
                .order_by()
                .values_list("id", flat=True)
            )
        ids.extend(below)
        frontier = below
    return ids


def tiaojie_descendants(district: Organisation) -> tuple[int, list[int]]:
    from tiaojie.organisations.models import Organisation

    qs = Organisation.objects.descendants_of(district)
    return qs.count(), list(qs.values_list("id", flat=True))


def walk_descendants(
    walk: Callable[[int], list[int]], district: Organisation
) -> tuple[int, list[int]]:
    ids = walk(district.pk)
    return len(ids), ids


def tiaojie_list(user: User) -> tuple[int, list[Organisation]]:
    """What the API's ``organisations_list`` does for its first page."""
    from tiaojie.organisations import selectors

    qs = selectors.organisations_for(user).order_by("path")
    return qs.count(), list(qs[:PAGE_SIZE])


def walk_list(walk: Callable[[int], list[int]], user: User) -> tuple[int, list[Organisation]]:
    """The same page and count from a walk: without a path there is no tree order, so by id."""
    from tiaojie.organisations.models import Organisation

    ids = [user.organisation_id, *walk(user.organisation_id)]
    if len(ids) > IN_CHUNK:
        raise SystemExit("the naive list needs one IN list; use a smaller --orgs")
    qs = Organisation.objects.filter(pk__in=ids).order_by("id")
    return qs.count(), list(qs[:PAGE_SIZE])


def tiaojie_ancestors(grid: Organisation) -> list[int]:
    from tiaojie.organisations.models import Organisation

    return [org.pk for org in Organisation.objects.ancestors_of(grid)]


def naive_ancestors(grid: Organisation) -> list[int]:
    """Up one parent at a time, one query each, then root first."""
    from tiaojie.organisations.models import Organisation

    chain: list[int] = []
    parent_id = grid.parent_id
    while parent_id is not None:
        parent = Organisation.objects.get(pk=parent_id)
        chain.append(parent.pk)
        parent_id = parent.parent_id
    return chain[::-1]


# --- Measuring -------------------------------------------------------------------------------


@dataclass
class Figures:
    median_ms: float
    p95_ms: float
    runs: int
    queries: int


@dataclass
class Row:
    operation: str
    tiaojie: Figures
    naive: Figures


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def compare(
    operation: str,
    ours: Callable[[], object],
    naive: Callable[[], object],
    *,
    repeat: int,
    budget: float,
    same: Callable[[Any, Any], bool],
) -> Row:
    """Run both ``repeat`` times, alternating, after a warm-up; stop early past ``budget`` s.

    Query counts come from one separate, untimed run each, so capturing costs nothing timed.
    """
    first_ours, first_naive = ours(), naive()
    if not same(first_ours, first_naive):
        raise SystemExit(f"{operation}: the two ways disagree, the comparison would be void")
    for _ in range(2):
        ours()
        naive()
    times: tuple[list[float], list[float]] = ([], [])
    started = time.perf_counter()
    for index in range(repeat):
        pair = (ours, naive) if index % 2 == 0 else (naive, ours)
        for fn in pair:
            t0 = time.perf_counter()
            fn()
            times[0 if fn is ours else 1].append((time.perf_counter() - t0) * 1000)
        if index >= 4 and time.perf_counter() - started > budget:
            break
    figures = [
        Figures(
            statistics.median(samples),
            percentile(samples, 0.95),
            len(samples),
            count_queries(fn),
        )
        for samples, fn in zip(times, (ours, naive), strict=True)
    ]
    return Row(operation, figures[0], figures[1])


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'operation':<44} {'tiaojie median/p95 ms':>22} {'naive median/p95 ms':>22} "
        f"{'naive/tiaojie':>13} {'queries t/n':>13} {'runs':>5}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        t, n = row.tiaojie, row.naive
        ratio = n.median_ms / t.median_ms if t.median_ms else float("inf")
        print(
            f"{row.operation:<44} {f'{t.median_ms:.2f} / {t.p95_ms:.2f}':>22} "
            f"{f'{n.median_ms:.2f} / {n.p95_ms:.2f}':>22} {f'{ratio:.1f}×':>13} "
            f"{f'{t.queries} / {n.queries}':>13} {min(t.runs, n.runs):>5}"
        )


def explain(district: Organisation) -> None:
    from tiaojie.organisations.models import Organisation

    plan = Organisation.objects.descendants_of(district).values_list("id", flat=True).explain()
    print("\nPlan of the descendant query:")
    print("  " + plan.replace("\n", "\n  "))


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--orgs", type=int, default=50_000, help="organisations (default 50000)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away SQLite file in a temporary directory",
    )
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each (default 50)")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds per operation before stopping early"
    )
    parser.add_argument("--seed", type=int, default=2011, help="random seed of the tree's shape")
    parser.add_argument("--explain", action="store_true", help="print the descendant query plan")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.orgs < 50:
        raise SystemExit("--orgs must be at least 50")
    with throwaway_database(args.database_url):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django

    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Role
    from tiaojie.accounts.services import AccountData, user_create
    from tiaojie.organisations.choices import OrganisationKind
    from tiaojie.organisations.models import Organisation

    rng = random.Random(args.seed)
    started = time.perf_counter()
    shape = plan_shape(args.orgs, rng)
    tree = build_tree(shape, rng)
    load_tree(tree)
    built = time.perf_counter() - started

    # The district of median size, and a grid in the middle of it.
    districts = sorted(
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT_BUREAU),
        key=lambda d: (Organisation.objects.descendants_of(d).count(), d.pk),
    )
    district = districts[len(districts) // 2]
    grids = list(
        Organisation.objects.descendants_of(district)
        .filter(kind=OrganisationKind.GRID)
        .order_by("path")
    )
    grid = grids[len(grids) // 2]
    officer = user_create(
        actor=None,
        data=AccountData(
            username="bench_district",
            full_name="基准测试",
            organisation=district,
            role=Role.BUREAU_OFFICER,
        ),
        password="bench-only-Aa1!",  # noqa: S106 - throw-away database
        enforce_policy=False,
    )
    user = User.objects.get(pk=officer.pk)  # as a request sees it: organisation loaded

    below = Organisation.objects.descendants_of(district).count()
    print(
        f"Organisation tree: {Organisation.objects.count():,} organisations on "
        f"{database_label()} (Python {platform.python_version()}, Django {django.get_version()})"
    )
    print(
        f"Built in {built:.1f} s: {shape.districts} district(s) × {shape.offices_per_district} "
        f"justice offices, committees and grids. District {district.name}: {below:,} below it; "
        f"grid at depth {grid.depth}."
    )
    print(f"Up to {args.repeat} timed runs each, alternating, after 3 untimed ones.\n")

    def same_descendants(a: tuple[int, list[int]], b: tuple[int, list[int]]) -> bool:
        return a[0] == b[0] and sorted(a[1]) == sorted(b[1])

    def same_list(a: tuple[int, list[Any]], b: tuple[int, list[Any]]) -> bool:
        return a[0] == b[0] and len(a[1]) == len(b[1])

    def same(a: object, b: object) -> bool:
        return a == b

    options: dict[str, Any] = {"repeat": args.repeat, "budget": args.budget}
    rows = [
        compare(
            "descendants of a district (count + ids)",
            lambda: tiaojie_descendants(district),
            lambda: walk_descendants(naive_subtree_ids, district),
            same=same_descendants,
            **options,
        ),
        compare(
            "  same, naive walk one level per query",
            lambda: tiaojie_descendants(district),
            lambda: walk_descendants(level_walk_ids, district),
            same=same_descendants,
            **options,
        ),
        compare(
            "district officer's list (page 50 + count)",
            lambda: tiaojie_list(user),
            lambda: walk_list(naive_subtree_ids, user),
            same=same_list,
            **options,
        ),
        compare(
            "  same, naive walk one level per query",
            lambda: tiaojie_list(user),
            lambda: walk_list(level_walk_ids, user),
            same=same_list,
            **options,
        ),
        compare(
            f"ancestors of a grid (depth {grid.depth})",
            lambda: tiaojie_ancestors(grid),
            lambda: naive_ancestors(grid),
            same=same,
            **options,
        ),
    ]
    print_table(rows)
    if args.explain:
        explain(district)


if __name__ == "__main__":
    main()
