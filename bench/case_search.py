#!/usr/bin/env python
"""Chinese case search at scale: the search tokens against a full ILIKE scan.

Builds a throw-away database holding N cases whose narratives are assembled from the demo
stories (tiaojie/cases/demo_stories.py) with random names, places, companies and amounts, each
with ``search_tokens`` computed by ``search.index_text`` exactly as ``case_register`` does. It
then times, in the same process and interleaved query by query, what a case list search costs:

1. Tiaojie: the case list's own filter (``selectors.filtered_for``) over the cases the viewer
   (``--as``, default demo_city) may see, its count up to the cap and first page of 50 (on
   PostgreSQL from the search postings, ADR 0023);
2. the baseline: ``Q(narrative__icontains=q) | Q(summary__icontains=q)`` over the same cases,
   the same count and
   page: a full scan of the text, as a system without a search index would do (Django writes
   ``icontains`` as ``UPPER(col) LIKE UPPER('%q%')`` on PostgreSQL, ``LIKE`` on SQLite; the
   tables call it ILIKE, which costs the same);

for six classes of query: one character (房), two (工资), three or four (装修合同), a
person's name, frequent words (费, 医疗费) and case numbers (against ``number ILIKE``). It
prints medians, 95th percentiles, the ratio ILIKE/tiaojie and how many cases
each found. It asserts nothing about speed and is not part of the test suite (bench/README.md).

    .venv/bin/python bench/case_search.py [--cases 200000] [--database-url URL] [--explain]

With ``--load-only`` a PostgreSQL run keeps its generated database and stops; ``--reuse NAME``
later migrates that database (timing the migrations, e.g. the postings' backfill) and measures
on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from org_tree import create_database, database_label, drop_database, percentile, setup_django

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet

    from tiaojie.cases.models import Case

PAGE_SIZE = 50
BATCH = 10_000
# Bench-only: seeding the demo accounts should not spend ten seconds hashing passwords.
FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}

# --- Queries ---------------------------------------------------------------------------------

# What users type: frequent and rare characters, words of the stories, and a few misses.
ONE_CHAR = list("房漏狗水钱墙债医车费吵伤婚租猫梯腕舞薪霉")
TWO_CHARS = [
    "工资",
    "漏水",
    "物业",
    "赔偿",
    "噪音",
    "装修",
    "借款",
    "探视",
    "宅基",
    "医疗",
    "停车",
    "楼道",
    "合同",
    "欠薪",
    "疫苗",
    "电梯",
    "退还",
    "骨折",
    "补偿",
    "赡养",
]
LONGER = [
    "装修合同",
    "拖欠工资",
    "物业费",
    "经济补偿",
    "医疗费",
    "防水层",
    "狂犬疫苗",
    "赡养费",
    "预付卡",
    "广场舞",
    "宅基地",
    "劳动关系",
    "交警认定",
    "高空坠物",
    "探视孩子",
    "楼上漏水",
    "维修费用",
    "消防隐患",
    "误工费",
    "工资拖欠",
]
NAMES_SAMPLED = 20

# --- Varied text around the demo stories ----------------------------------------------------

GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建国志文辉力永健世广海山仁波宁贵"
    "福生龙元全胜学祥才发武新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和博诚先敬振会思"
    "群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦奇翰朗伯宏言鸣朋斌梁栋维启克伦翔旭鹏泽晨辰"
)
PLACE_CHARS = "东西南北新和平安康华兴福春阳光明翠柳梨园茶港钢花红卫青松桂香金银湖滨丰泰盛锦绣"
PLACE_FORMS = [
    "{w}小区{n}栋",
    "{w}社区{n}栋",
    "{w}花园{z}区",
    "{w}新村{n}栋",
    "{w}家园{n}期",
    "{w}路{n}号院",
    "{w}村{n}组",
    "{w}菜市场",
    "{w}路沿街商铺",
]
COMPANY_PREFIXES = ["临江市", "东湖区", "西山区", "江滨", "青山"]
COMPANY_KINDS = [
    "装饰工程有限公司",
    "物业服务有限公司",
    "劳务有限公司",
    "超市",
    "医院",
    "家政服务部",
    "汽车租赁有限公司",
    "建筑工程有限公司",
    "餐饮店",
    "商贸有限公司",
]
# Sentences a clerk adds to the facts as told; 0 to 2 of them follow each story.
MORE_FACTS = [
    "网格员{c}在日常走访中发现该矛盾，及时上报社区。",
    "{b}表示愿意协商，但认为{a}提出的要求过高。",
    "社区民警曾到场劝解，双方情绪暂时平复。",
    "双方系多年邻居，此前关系尚可。",
    "{a}情绪激动，表示如不能解决将向上级部门反映。",
    "调委会受理后，调解员先后分别约谈双方当事人。",
    "{a}提供了照片、收据等材料。",
    "{b}称事出有因，并非故意。",
    "经了解，该纠纷已持续{months}个月，双方曾自行协商两次。",
    "{a}的家属也多次到居委会反映情况。",
    "村委会干部曾出面协调，未果。",
    "{b}目前在外地务工，电话联系后同意回来参加调解。",
    "{c}作为证人证实了上述情况。",
    "{place}的多名住户联名反映此事。",
]


def person(rng: random.Random) -> str:
    from tiaojie.cases.demo_stories import GIVEN, SURNAMES

    pick = rng.random()
    if pick < 0.4:
        given = rng.choice(GIVEN)
    elif pick < 0.6:
        given = rng.choice(GIVEN_CHARS)
    else:
        given = rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def place(rng: random.Random) -> str:
    from tiaojie.cases.demo_stories import PLACES

    if rng.random() < 0.2:
        return rng.choice(PLACES)
    return rng.choice(PLACE_FORMS).format(
        w="".join(rng.sample(PLACE_CHARS, 2)), n=rng.randint(1, 30), z="ABCDE"[rng.randrange(5)]
    )


def company(rng: random.Random) -> str:
    from tiaojie.cases.demo_stories import COMPANIES

    if rng.random() < 0.3:
        return rng.choice(COMPANIES)
    words = "".join(rng.sample(PLACE_CHARS, 2))
    return rng.choice(COMPANY_PREFIXES) + words + rng.choice(COMPANY_KINDS)


# --- Generating the cases --------------------------------------------------------------------


@dataclass
class Committee:
    id: int
    path: str
    label: str  # what the case number shows: short name or name
    mediator_id: int
    codes: list[str]


@dataclass
class Generator:
    """Case rows as dicts of column values, as ``case_register`` would have saved them."""

    rng: random.Random
    committees: list[Committee]
    type_ids: dict[str, int]
    names: list[str] = field(default_factory=list)  # some applicants, for the name queries
    sequences: dict[tuple[int, int], int] = field(default_factory=dict)

    def case(self, now: dt.datetime) -> dict[str, Any]:
        from django.utils import timezone

        from tiaojie.cases import search
        from tiaojie.cases.choices import CaseStatus
        from tiaojie.cases.demo import SOURCES, STATES
        from tiaojie.cases.demo_stories import STORIES

        rng = self.rng
        committee = rng.choice(self.committees)
        code = rng.choice(committee.codes)
        summary, told, asked = rng.choice(STORIES[code])
        a, b, c = person(rng), person(rng), person(rng)
        amount = Decimal(rng.choice([800, 1500, 3000, 5000, 8600, 12000, 26000, 48000]))
        amount += rng.randrange(0, 100) * 10
        people = rng.choice([2, 2, 2, 3, 4, 12])
        values = {
            "a": a,
            "b": b,
            "c": c,
            "place": place(rng),
            "amount": f"{amount}",
            "company": company(rng),
            "months": rng.randint(2, 8),
            "people": people,
        }
        extra = "".join(s.format(**values) for s in rng.sample(MORE_FACTS, rng.randint(0, 2)))
        narrative = told.format(**values) + extra
        requests = asked.format(**values)
        # The parties, as the demo registers them: an organisation answers for some disputes.
        respondent = b
        if "{company}" in told or code in ("medical", "unpaid_wages", "property_management"):
            respondent = str(values["company"])
        if len(self.names) < 5000 and rng.random() < 0.01:
            self.names.append(a)
        registered_at = now - dt.timedelta(seconds=rng.randrange(0, 5 * 365 * 86400))
        year = timezone.localtime(registered_at).year
        sequence = self.sequences.get((committee.id, year), 0) + 1
        self.sequences[(committee.id, year)] = sequence
        pick, total, status = rng.random(), 0.0, CaseStatus.ARCHIVED.value
        for state, share in STATES:
            total += share
            if pick <= total:
                status = state
                break
        summary = summary.strip()
        return {
            "number": f"（{year}）{committee.label}人调字第{sequence}号",
            "year": year,
            "sequence": sequence,
            "committee_id": committee.id,
            "committee_path": committee.path,
            "dispute_type_id": self.type_ids[code],
            "source": rng.choice(SOURCES),
            "summary": summary,
            "narrative": narrative,
            "requests": requests,
            "amount": amount if "{amount}" in told + asked else None,
            "people_involved": people,
            "is_group": people >= 10,
            "status": status,
            "registered_by_id": committee.mediator_id,
            "registered_at": registered_at,
            "created_at": registered_at,
            "updated_at": registered_at,
            # Exactly what intake._search_text stores: summary, narrative, requests, parties.
            "search_tokens": search.index_text([summary, narrative, requests, a, respondent]),
        }

    def batches(self, total: int, now: dt.datetime) -> Iterator[list[dict[str, Any]]]:
        for start in range(0, total, BATCH):
            yield [self.case(now) for _ in range(min(BATCH, total - start))]


def prepare(seed: int) -> Generator:
    """The demo network and accounts, through the services; its committees with a mediator."""
    from tiaojie.accounts.demo import seed_demo
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Role
    from tiaojie.cases.demo import SECTOR_TYPES
    from tiaojie.cases.demo_stories import STORIES
    from tiaojie.cases.models import DisputeType

    seed_demo()
    type_ids = dict(DisputeType.objects.values_list("code", "id"))
    general = [c for c in STORIES if c not in ("medical", "traffic") and c in type_ids]
    committees: list[Committee] = []
    mediators = User.objects.filter(role=Role.MEDIATOR, organisation__kind="committee")
    for user in mediators.select_related("organisation").order_by("id"):
        org = user.organisation
        if any(c.id == org.pk for c in committees):
            continue
        codes = SECTOR_TYPES.get(org.sector) or general
        committees.append(Committee(org.pk, org.path, org.short_name or org.name, user.pk, codes))
    return Generator(random.Random(seed), committees, type_ids)


@dataclass
class Load:
    generate_s: float = 0.0  # Python: text, tokens
    insert_s: float = 0.0  # COPY / bulk_create
    index_s: float = 0.0  # rebuilding the GIN index (PostgreSQL)
    postings_s: float = 0.0  # posting the tokens, as rebuild_search_postings does (PostgreSQL)
    analyse_s: float = 0.0  # VACUUM ANALYZE (PostgreSQL)


def load_cases(generator: Generator, total: int, progress: bool) -> Load:
    """Insert ``total`` cases in batches of 10,000: COPY on PostgreSQL, bulk_create elsewhere.

    On PostgreSQL the GIN indexes the migrations made are dropped first and rebuilt from their
    own definitions afterwards, as a bulk load would do; the table is then vacuumed and
    analysed, as autovacuum does shortly after such a load."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tiaojie.cases import postings
    from tiaojie.cases.models import Case, CaseNumberCounter

    load = Load()
    now = timezone.now()
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    gin: list[tuple[str, str]] = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'cases_case' AND indexdef LIKE '%%USING gin%%'"
            )
            gin = [(str(name), str(definition)) for name, definition in cursor.fetchall()]
            for name, _ in gin:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            # Posted in one set-based pass afterwards, as a bulk load would (ADR 0023).
            cursor.execute("ALTER TABLE cases_case DISABLE TRIGGER cases_search_posting_insert")
    done = 0
    batches = generator.batches(total, now)
    while True:
        t0 = time.perf_counter()
        batch = next(batches, None)
        load.generate_s += time.perf_counter() - t0
        if batch is None:
            break
        t0 = time.perf_counter()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    raw = cursor.cursor  # psycopg's own cursor, for COPY
                    with raw.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(
                                [row.get(f.attname, defaults[f.attname]) for f in fields]
                            )
            else:
                Case.objects.bulk_create([Case(**row) for row in batch], batch_size=2000)
        load.insert_s += time.perf_counter() - t0
        done += len(batch)
        if progress and done % 100_000 == 0:
            print(f"  … {done:,} cases", file=sys.stderr, flush=True)
    CaseNumberCounter.objects.bulk_create(
        CaseNumberCounter(committee_id=committee, year=year, last=last)
        for (committee, year), last in generator.sequences.items()
    )
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _, definition in gin:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        load.index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        postings.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cases_case ENABLE TRIGGER cases_search_posting_insert")
        load.postings_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("VACUUM ANALYZE cases_search_posting")
        load.analyse_s = time.perf_counter() - t0
    return load


# --- The two ways of searching ---------------------------------------------------------------

Result = tuple[int, list[int]]


def first_page(qs: QuerySet[Case]) -> Result:
    """The count and the first page, as the case list shows them (newest first)."""
    return qs.count(), [case.pk for case in qs.order_by("-registered_at", "-id")[:PAGE_SIZE]]


def tiaojie_filter(q: str) -> Q:
    from tiaojie.cases import search

    condition = search.matches(q)
    if condition is None:
        raise SystemExit(f"{q!r} has no search tokens")
    return condition


def ilike_filter(q: str, *, requests: bool = False) -> Q:
    from django.db.models import Q

    condition = Q(narrative__icontains=q) | Q(summary__icontains=q)
    if requests:
        condition |= Q(requests__icontains=q)
    return condition


# Whose case list is searched (``--as``): both ways see only that user's cases, as the list.
VIEWER: list[Any] = []


def visible() -> QuerySet[Case]:
    from tiaojie.cases import selectors

    return selectors.cases_for(VIEWER[0])


def tiaojie_search(q: str) -> Result:
    """What the case list and ``GET /api/v1/cases?q=`` do: the viewer's cases through the list's
    own filter, the count up to the cap (``TIAOJIE_CASE_COUNT_CAP``, "10,000+" past it) and the
    first page, newest first."""
    from django.conf import settings

    from tiaojie.cases import selectors
    from tiaojie.cases.filters import filtered_cases
    from tiaojie.core import paging

    if hasattr(selectors, "filtered_for"):  # ADR 0080: the viewer's subtree given to the search
        _form, qs = selectors.filtered_for(VIEWER[0], {"q": q})
    else:  # an earlier commit
        _form, qs = filtered_cases(visible(), {"q": q})
    if hasattr(paging, "counted"):  # ADR 0059: a sample, then an estimate or the capped count
        found = paging.counted(qs, settings.TIAOJIE_CASE_COUNT_CAP, estimate=True)
        if found.ids is not None:
            qs = qs.filter(pk__in=found.ids)
        count = found.count
    else:  # an earlier commit, measured with this script for comparison
        count, _capped = paging.capped_count(qs, settings.TIAOJIE_CASE_COUNT_CAP)
    return count, [case.pk for case in qs.order_by("-registered_at", "-id")[:PAGE_SIZE]]


def ilike_search(q: str) -> Result:
    return first_page(visible().filter(ilike_filter(q)))


def number_scan(q: str) -> Result:
    """The baseline for a case number: ``number ILIKE '%q%'`` over the whole table, counted in
    full (it also finds 第131号 for 31号, which the number search does not)."""
    return first_page(visible().filter(number__icontains=q))


FREQUENT = ["费", "医", "车", "墙", "水", "赔偿", "医疗", "医疗费"]


def case_numbers(seed: int, n: int = 20) -> list[str]:
    """Numbers as users type them, from generated cases: the whole number, 人调字第N号, N号."""
    from tiaojie.cases.models import Case

    rng = random.Random(seed)
    numbers = list(Case.objects.order_by("?").values_list("number", flat=True)[:n])
    typed = []
    for index, number in enumerate(numbers):
        tail = number.split("人调字")[-1]
        typed.append([number, f"人调字{tail}", tail.lstrip("第")][index % 3])
    rng.shuffle(typed)
    return typed


# --- Measuring -------------------------------------------------------------------------------


@dataclass
class ClassRun:
    label: str
    queries: list[str]
    tiaojie_ms: list[float] = field(default_factory=list)
    ilike_ms: list[float] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # the queries as they ran
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)


def measure(
    label: str,
    queries: list[str],
    runs: int,
    budget: float,
    seed: int,
    baseline: Callable[[str], Result] | None = None,
) -> ClassRun:
    """``runs`` queries, every distinct one first, then drawn at random; both ways each time,
    alternating which goes first; stops early past ``budget`` seconds once every distinct
    query ran. Two untimed queries warm up first."""
    scan = baseline or ilike_search
    rng = random.Random(seed)
    order = rng.sample(queries, len(queries))
    order += [rng.choice(queries) for _ in range(max(0, runs - len(order)))]
    for q in order[:2]:
        tiaojie_search(q)
        scan(q)
    result = ClassRun(label, queries, order=order)
    started = time.perf_counter()
    for index, q in enumerate(order):
        found: dict[str, int] = {}
        for name in ("tiaojie", "ilike") if index % 2 == 0 else ("ilike", "tiaojie"):
            fn = tiaojie_search if name == "tiaojie" else scan
            t0 = time.perf_counter()
            count, _ = fn(q)
            elapsed = (time.perf_counter() - t0) * 1000
            (result.tiaojie_ms if name == "tiaojie" else result.ilike_ms).append(elapsed)
            found[name] = count
        result.counts.setdefault(q, (found["tiaojie"], found["ilike"]))
        if index + 1 >= len(queries) and time.perf_counter() - started > budget:
            break
    return result


def differs(counts: tuple[int, int]) -> bool:
    """More than 2% apart (or one of them zero and the other not); a count that stopped at
    the cap agrees with any count at or above it."""
    from django.conf import settings

    t, i = counts
    if t == settings.TIAOJIE_CASE_COUNT_CAP and i >= t:
        return False
    return abs(t - i) > 0.02 * max(t, i)


def print_table(results: list[ClassRun]) -> None:
    header = (
        f"{'query class':<22} {'tiaojie p50/p95 ms':>20} {'ILIKE p50/p95 ms':>20} "
        f"{'ILIKE/tiaojie':>13} {'median found t/i':>17} {'differ':>7} {'runs':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        t50, t95 = statistics.median(r.tiaojie_ms), percentile(r.tiaojie_ms, 0.95)
        i50, i95 = statistics.median(r.ilike_ms), percentile(r.ilike_ms, 0.95)
        found_t = statistics.median(c[0] for c in r.counts.values())
        found_i = statistics.median(c[1] for c in r.counts.values())
        different = sum(1 for c in r.counts.values() if differs(c))
        print(
            f"{r.label:<22} {f'{t50:.2f} / {t95:.2f}':>20} {f'{i50:.2f} / {i95:.2f}':>20} "
            f"{f'{i50 / t50:.1f}×' if t50 else '–':>13} "
            f"{f'{found_t:,.0f} / {found_i:,.0f}':>17} "
            f"{f'{different}/{len(r.counts)}':>7} {len(r.tiaojie_ms):>5}"
        )


def print_per_query(results: list[ClassRun]) -> None:
    """Each distinct query: its median times both ways and its counts, most matches first."""
    print(f"\n  {'class':<22} {'query':<8} {'tiaojie ms':>11} {'ILIKE ms':>10} {'found t/i':>18}")
    for r in results:
        times: dict[str, tuple[list[float], list[float]]] = {}
        for q, t, i in zip(r.order, r.tiaojie_ms, r.ilike_ms, strict=False):
            times.setdefault(q, ([], []))
            times[q][0].append(t)
            times[q][1].append(i)
        for q, (t_ms, i_ms) in sorted(times.items(), key=lambda item: -r.counts[item[0]][0]):
            t, i = r.counts[q]
            print(
                f"  {r.label:<22} {q:<8} {statistics.median(t_ms):>11.2f} "
                f"{statistics.median(i_ms):>10.2f} {f'{t:,} / {i:,}':>18}"
            )


def print_differences(results: list[ClassRun]) -> None:
    """The queries whose two counts differ, with the ILIKE count over the requests too, which
    tells apart text the baseline does not read from pairs that are not adjacent."""
    from tiaojie.cases.models import Case

    rows: list[str] = []
    for r in results:
        for q, (t, i) in r.counts.items():
            if differs((t, i)):
                wider = Case.objects.filter(ilike_filter(q, requests=True)).count()
                rows.append(f"  {r.label:<22} {q:<8} {t:>12,} {i:>10,} {wider:>18,}")
    if not rows:
        print("\nEvery query found the same number of cases both ways (within 2%).")
        return
    print("\nQueries whose counts differ by more than 2%:")
    print(f"  {'class':<22} {'query':<8} {'tiaojie':>12} {'ILIKE':>10} {'ILIKE + requests':>18}")
    print("\n".join(rows))
    print(
        "  Tiaojie indexes summary, narrative, requests and the parties' names; the baseline\n"
        "  reads summary and narrative only, so a word found only in the requests (拖欠工资 is\n"
        "  in the requests, the facts say 工资…未结清) or a respondent named only as a party\n"
        "  counts on the left alone. What remains above 'ILIKE + requests' are cases holding\n"
        "  every pair of the query but not side by side (王建 of 王建华 with 建国 of 李建国):\n"
        "  pairs give phrase semantics for two characters, only nearly for three or more."
    )


def explain(results: list[ClassRun]) -> None:
    """The SQL each way emits for one query per class, and its plan (EXPLAIN ANALYZE on
    PostgreSQL, EXPLAIN QUERY PLAN on SQLite)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    for r in results:
        q = r.queries[0]
        for name, fn in (("tiaojie", tiaojie_search), ("ILIKE", ilike_search)):
            with CaptureQueriesContext(connection) as captured:
                fn(q)
            # The count and the page; ADR 0059 may add the pairs' EXPLAIN, the sample, the id
            # range, or read no page at all (a count of 0).
            queries = captured.captured_queries
            names = ("count", "page") if len(queries) == 2 else [f"{i + 1}" for i in range(9)]
            for what, query in zip(names, queries, strict=False):
                if query["sql"].startswith("EXPLAIN"):
                    continue
                sql = query["sql"]
                shown = re.sub(r"^SELECT (.{200,}?) FROM", "SELECT <every column> FROM", sql)
                print(f"\n--- {r.label}, {q}, {name}, {what}:\n  {shown}")
                with connection.cursor() as cursor:
                    cursor.execute(prefix + sql)
                    lines = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
                print("  " + "\n  ".join(lines))


def table_sizes() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('cases_case')), "
            "pg_size_pretty(pg_indexes_size('cases_case')), "
            "(SELECT string_agg(indexrelname || ' ' || "
            "pg_size_pretty(pg_relation_size(indexrelid)), ', ') "
            " FROM pg_stat_user_indexes WHERE relname = 'cases_case' "
            " AND (indexrelname LIKE '%%trgm%%' OR indexrelname LIKE '%%reversed%%')), "
            "pg_size_pretty(pg_total_relation_size(to_regclass('cases_search_posting'))), "
            "(SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_search_posting'), "
            "pg_size_pretty(pg_database_size(current_database()))"
        )
        row = cursor.fetchone()
        settings = []
        for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name} {cursor.fetchone()[0]}")
    if row is None:
        return ""
    return (
        f"Table {row[0]} with TOAST, indexes {row[1]} ({row[2] or 'no trigram index'}); "
        f"postings {row[3] or 'none'} with their key (about {row[4] or 0:,} rows); "
        f"database {row[5]}; {', '.join(settings)}."
    )


# --- Main ------------------------------------------------------------------------------------


# The query classes, in the order they are measured (``--only`` names them).
CLASSES = [
    "1 character",
    "2 characters",
    "3–4 characters",
    "person's name",
    "frequent words",
    "case numbers",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=200_000, help="cases (default 200000)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away SQLite file in a temporary directory",
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="timed queries per class (default 200)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=240.0,
        help="seconds per query class before stopping early (default 240)",
    )
    parser.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="distinct queries per class, drawn from its list (default: all; a full scan at "
        "1,000,000 cases takes seconds, so a short run samples)",
    )
    parser.add_argument("--seed", type=int, default=2011, help="random seed of the data")
    parser.add_argument(
        "--as",
        dest="viewer",
        default="demo_city",
        help="whose case list to search (a demo account; default demo_city, the whole city)",
    )
    parser.add_argument("--explain", action="store_true", help="print one plan per class")
    parser.add_argument(
        "--only",
        action="append",
        choices=CLASSES,
        help="measure only this class (repeatable; default: every class)",
    )
    parser.add_argument(
        "--per-query", action="store_true", help="print each query's median times and counts"
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="PostgreSQL: generate and load, then stop and keep the database (for --reuse)",
    )
    parser.add_argument(
        "--reuse",
        metavar="DBNAME",
        help="PostgreSQL: measure on a database an earlier --load-only run kept (migrating it "
        "first), instead of generating one; it is kept. The load test's kept database "
        "(bench/load/run.py --keep) works too: the names are then sampled from its parties",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: leave the database on the server for inspection (drop it yourself)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.cases < 1000:
        raise SystemExit("--cases must be at least 1000")
    if (args.load_only or args.reuse) and not args.database_url:
        raise SystemExit("--load-only and --reuse need --database-url")
    workdir = Path(tempfile.mkdtemp(prefix="tiaojie-bench-"))
    try:
        if args.reuse:
            setup_django(args.database_url, workdir, FAST_HASHERS)
            reuse(args)
            return
        setup_django(args.database_url, workdir, FAST_HASHERS)
        original = create_database()
        try:
            run(args)
        finally:
            if (args.keep or args.load_only) and args.database_url:
                from django.db import connection

                print(f"\nKept the database {connection.settings_dict['NAME']}.")
            else:
                drop_database(original)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def keep_names(names: list[str]) -> None:
    """The sampled applicants' names, in a table of the kept database, for ``--reuse``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_names (name text)")
        cursor.executemany("INSERT INTO bench_names VALUES (%s)", [(n,) for n in names])


def reuse(args: argparse.Namespace) -> None:
    """Measure on a kept database: migrate it (new migrations backfill what they add; the time
    is printed), then measure as ``run`` does."""
    from django.core.management import call_command
    from django.db import connection, connections

    connection.close()
    connections["default"].settings_dict["NAME"] = args.reuse
    started = time.perf_counter()
    before = applied_migrations()
    call_command("migrate", verbosity=1, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s.")
    with connection.cursor() as cursor:
        if applied_migrations() != before:
            # New migrations may have filled tables; a database migrated already was analysed
            # when it was loaded (VACUUM ANALYZE of 1,000,000 cases takes minutes).
            cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT to_regclass('bench_names') IS NOT NULL")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SELECT name FROM bench_names")
            names = [str(row[0]) for row in cursor.fetchall()]
        else:
            names = party_names(args.seed)
    header(f"Reused {args.reuse}")
    measure_all(args, names)


def applied_migrations() -> int:
    from django.db.migrations.recorder import MigrationRecorder

    return MigrationRecorder.Migration.objects.count()


def party_names(seed: int) -> list[str]:
    """Applicants' names for a database no ``--load-only`` run made (the load test's, made by
    ``bench/load/run.py --keep``): sampled from its registered parties, whose names are in
    their cases' search tokens as the generated applicants' are."""
    from tiaojie.cases.models import Party

    names = sorted(
        set(Party.objects.filter(role="applicant", kind="person").values_list("name", flat=True))
    )
    return random.Random(seed).sample(names, min(NAMES_SAMPLED, len(names)))


def header(loaded: str) -> None:
    import django

    from tiaojie.cases.models import Case

    print(
        f"Case search: {Case.objects.count():,} cases on {database_label()} "
        f"(Python {platform.python_version()}, Django {django.get_version()})"
    )
    print(loaded)
    if sizes := table_sizes():
        print(sizes)


def run(args: argparse.Namespace) -> None:
    generator = prepare(args.seed)
    started = time.perf_counter()
    load = load_cases(generator, args.cases, progress=args.cases >= 500_000)
    built = time.perf_counter() - started
    names = random.Random(args.seed).sample(
        generator.names, min(NAMES_SAMPLED, len(generator.names))
    )
    steps = f"generating {load.generate_s:.1f} s, inserting {load.insert_s:.1f} s"
    if load.index_s or load.analyse_s:
        steps += (
            f", GIN index {load.index_s:.1f} s, postings {load.postings_s:.1f} s, "
            f"VACUUM ANALYZE {load.analyse_s:.1f} s"
        )
    header(f"Loaded in {built:.1f} s ({steps}); {len(generator.committees)} committees.")
    if args.load_only:
        keep_names(names)
        return
    measure_all(args, names)


def measure_all(args: argparse.Namespace, names: list[str]) -> None:
    from tiaojie.accounts.models import User
    from tiaojie.cases import selectors

    VIEWER[:] = [User.objects.select_related("organisation").get(username=args.viewer)]
    print(
        f"Searching as {args.viewer} ({VIEWER[0].organisation.name}), who sees "
        f"{selectors.cases_for(VIEWER[0]).count():,} cases."
    )
    print(
        f"Up to {args.queries} timed queries per class (stopping after {args.budget:.0f} s once "
        "each distinct query ran), both ways each, alternating, after 2 untimed ones.\n"
    )
    queries = [ONE_CHAR, TWO_CHARS, LONGER, names, FREQUENT, case_numbers(args.seed)]
    classes = [
        (label, words)
        for label, words in zip(CLASSES, queries, strict=True)
        if not args.only or label in args.only
    ]
    if args.distinct:
        classes = [
            (label, random.Random(args.seed).sample(words, min(args.distinct, len(words))))
            for label, words in classes
        ]
    results: list[ClassRun] = []
    for index, (label, words) in enumerate(classes):
        scan = number_scan if label == "case numbers" else None
        results.append(
            measure(label, words, args.queries, args.budget, args.seed + index, baseline=scan)
        )
    print_table(results)
    if args.per_query:
        print_per_query(results)
    print_differences(results)
    if args.explain:
        explain(results)


if __name__ == "__main__":
    main()
