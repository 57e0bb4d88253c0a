"""Synthetic history for benchmarks and load tests (``manage.py generate_cases``): cases in
every outcome over the last years, written in bulk, with the facts and cells they contribute
computed by the functions the listener and ``verify_statistics`` use, so the figures stay
exact (ADR 0054).

Each case is planned as plain values; its rows (case, transition, agreement, confirmation,
fact) are tuples with ids taken in blocks from the tables' sequences, copied in without model
instances, and its fact is ``rollup.fact_from_row`` of the row ``case_facts`` would read back.
Into a fresh database (no cases yet) on PostgreSQL the whole run is one transaction with the
secondary indexes and foreign keys of the big tables dropped and built again at the end, the
search-posting triggers off (synthetic cases have no search tokens) and the cells added once;
otherwise each chunk commits with its cells, so stopping a run leaves the figures exact.

The cases carry no parties (nothing personal to invent) and are numbered like real ones from
each committee's counter; their summaries say they are synthetic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.choices import (
    AgreementKind,
    CaseSource,
    CaseStatus,
    ConfirmationOutcome,
    EndReason,
    Performance,
)
from tiaojie.cases.models import (
    Agreement,
    Case,
    CaseNumberCounter,
    CaseTransition,
    DisputeType,
    JudicialConfirmation,
)
from tiaojie.cases.numbering import format_number
from tiaojie.cases.postings import TRIGGER_NAMES
from tiaojie.core import bulk as core_bulk
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, Station
from tiaojie.organisations.models import Organisation, path_segment
from tiaojie.statistics import bulk, levels, rollup
from tiaojie.statistics.models import CaseFact, LevelCell, StatCell

# (outcome, share): most disputes end in an agreement (the seeds: success ≥ 95 % of mediated).
OUTCOMES = [
    ("agreed", 0.80),
    ("failed", 0.04),
    ("terminated", 0.02),
    ("declined", 0.03),
    ("in_mediation", 0.06),
    ("accepted", 0.03),
    ("registered", 0.02),
]
# One city's split of sources: own initiative 52 %, application 44 %, referrals 4 %.
SOURCES = [
    (CaseSource.INITIATIVE, 0.52),
    (CaseSource.APPLICATION, 0.44),
    (CaseSource.COURT, 0.01),
    (CaseSource.POLICE, 0.015),
    (CaseSource.PETITION, 0.01),
    (CaseSource.OTHER_DEPARTMENT, 0.005),
]
BATCH = 20_000


def _pick(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    point, total = rng.random(), 0.0
    for value, share in table:
        total += share
        if point <= total:
            return value
    return table[-1][0]


@dataclasses.dataclass
class Generated:
    cases: int
    cells_changed: int
    fresh: bool = False
    # Seconds per step (rows built in Python, rows copied, cells, indexes built again).
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


CITY_NAME = "临江市司法局（合成）"
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
]


def synthetic_city(*, offices: int = 12, communities: int = 10) -> Organisation:
    """The synthetic city the generator fills (made once, found afterwards): 12 districts of
    ``offices`` justice offices, each with a street committee and ``communities`` community
    committees, and a stationed room at every third office: about 1,500 committees."""
    city = Organisation.objects.filter(name=CITY_NAME, parent=None).first()
    if city is not None:
        return city
    city = _add_level(None, [dict(kind=OrganisationKind.CITY_BUREAU, name=CITY_NAME)])[0]
    districts = _add_level(
        city,
        [
            dict(kind=OrganisationKind.DISTRICT_BUREAU, name=f"{d}区司法局（合成）")
            for d in DISTRICTS
        ],
    )
    for district in districts:
        label = district.name.removesuffix("区司法局（合成）")
        for office in _add_level(
            district,
            [
                dict(kind=OrganisationKind.JUSTICE_OFFICE, name=f"{label}第{o + 1}街道司法所")
                for o in range(offices)
            ],
        ):
            street = office.name.removesuffix("司法所")
            rows = [
                dict(
                    kind=OrganisationKind.COMMITTEE,
                    name=f"{street}人民调解委员会",
                    committee_kind=CommitteeKind.STREET,
                )
            ]
            if office.pk % 3 == 0:
                rows.append(
                    dict(
                        kind=OrganisationKind.COMMITTEE,
                        name=f"{street}派出所人民调解室",
                        committee_kind=CommitteeKind.STATIONED,
                        station=Station.POLICE,
                    )
                )
            rows += [
                dict(
                    kind=OrganisationKind.COMMITTEE,
                    name=f"{street}第{c + 1}社区人民调解委员会",
                    committee_kind=CommitteeKind.COMMUNITY,
                )
                for c in range(communities)
            ]
            _add_level(office, rows)
    return city


def _add_level(parent: Organisation | None, rows: list[dict[str, Any]]) -> list[Organisation]:
    """Children of ``parent`` in bulk, their paths computed as the service does
    (``parent.path + path_segment(pk)``) once the ids are known."""
    made = Organisation.objects.bulk_create(
        [
            Organisation(
                parent=parent,
                supervising_office=parent,
                depth=parent.depth + 1 if parent else 0,
                path="",
                **row,
            )
            for row in rows
        ]
    )
    for org in made:
        org.path = (parent.path if parent else "") + path_segment(org.pk)
    Organisation.objects.bulk_update(made, ["path"])
    return made


def generate_cases(
    count: int,
    *,
    years: int = 5,
    seed: int = 2026,
    under: Organisation | None = None,
    chunk: int = BATCH,
    progress: Callable[[int], None] | None = None,
    fresh: bool | None = None,
    today: bool = False,
) -> Generated:
    """Add ``count`` synthetic cases spread over the last ``years`` years across every active
    committee (under ``under`` when given), ``chunk`` cases at a time.

    ``fresh`` (PostgreSQL only; by default when there are no cases yet): the whole run in one
    transaction with indexes and foreign keys dropped and built again, cells added once at the
    end; nothing is kept if it stops. Otherwise each chunk's cases, records, facts and cell
    differences commit together, so the figures stay exact even if the run is stopped.

    ``today``: every case registered today, between midnight and now, instead of over the
    years (the history ends the day before): the live counts' intake of today, which a bench
    on a database generated earlier otherwise never sees."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    committees_qs = Organisation.objects.filter(kind=OrganisationKind.COMMITTEE, status="active")
    if under is not None:
        committees_qs = committees_qs.filter(path__startswith=under.path)
    committees = list(committees_qs)
    clerk = (
        User.objects.filter(organisation__kind=OrganisationKind.COMMITTEE).order_by("pk").first()
    )
    types = list(DisputeType.objects.filter(valid_to__isnull=True))
    if not committees or clerk is None or not types:
        raise ValueError("generate_cases needs committees, a committee account and dispute types")
    if fresh is None:
        fresh = connection.vendor == "postgresql" and not Case.objects.exists()
    elif fresh and connection.vendor != "postgresql":
        raise ValueError("a fresh load (indexes dropped and rebuilt) is for PostgreSQL only")
    rows = _Rows(rng, years, committees, clerk, types, _last_numbers(committees))
    rows.today_only = today
    result = Generated(0, 0, fresh=fresh)
    if fresh:
        _fresh_load(rows, count, chunk, result, progress)
    else:
        while result.cases < count:
            size = min(chunk, count - result.cases)
            with transaction.atomic():
                made = _Made()
                rows.write(size, made, result.timings)
                result.cells_changed += _add_cells(made, result.timings)
            result.cases += size
            if progress is not None:
                progress(result.cases)
    return result


def _fresh_load(
    rows: _Rows,
    count: int,
    chunk: int,
    result: Generated,
    progress: Callable[[int], None] | None,
) -> None:
    """The whole load in one transaction: rows copied chunk by chunk into tables without
    their secondary indexes and foreign keys, the cells summed in Python and added once, the
    level cells summed from them in SQL, the indexes and keys built again (which checks every
    foreign key) before the commit."""
    made = _Made()
    with (
        transaction.atomic(),
        core_bulk.indexes_off(
            Case, CaseTransition, Agreement, JudicialConfirmation, CaseFact, StatCell, LevelCell
        ) as dropped,
        # Synthetic cases have no search tokens (``_Rows`` writes none): no postings to add.
        core_bulk.trigger_off(Case, *TRIGGER_NAMES),
    ):
        while result.cases < count:
            size = min(chunk, count - result.cases)
            rows.write(size, made, result.timings)
            result.cases += size
            if progress is not None:
                progress(result.cases)
        result.cells_changed = _add_cells(made, result.timings, level_cells=False)
        # Every level cell summed again from the cells, in SQL, once: spreading two million
        # cells to their ancestors in Python and upserting the sums cost more (ADR 0060).
        started = time.perf_counter()
        levels.rebuild()
        _clock(result.timings, "level cells (SQL)", started)
    result.timings["indexes and keys built again"] = dropped.rebuild_s


def _last_numbers(committees: list[Organisation]) -> dict[tuple[int, int], int]:
    """Each committee's last number of each year: numbers continue the yearly counters, as
    registration would; read once (a MAX over every case per batch made long runs slow)."""
    last: dict[tuple[int, int], int] = defaultdict(int)
    for row in CaseNumberCounter.objects.filter(committee__in=committees).values(
        "committee_id", "year", "last"
    ):
        last[(row["committee_id"], row["year"])] = row["last"]
    tops = (
        Case.objects.filter(committee__in=committees)
        .values("committee_id", "year")
        .annotate(top=Max("sequence"))
        .order_by()
    )
    for top in tops:
        key = (top["committee_id"], top["year"])
        last[key] = max(last[key], top["top"] or 0)
    return last


@dataclasses.dataclass
class _Made:
    """What a chunk (or a whole fresh run) added: the cell contributions summed, and the
    committees' yearly counters it moved."""

    cells: rollup.Contributions = dataclasses.field(default_factory=lambda: defaultdict(Decimal))
    counters: dict[tuple[int, int], int] = dataclasses.field(default_factory=dict)


def _add_cells(made: _Made, timings: dict[str, float], *, level_cells: bool = True) -> int:
    started = time.perf_counter()
    CaseNumberCounter.objects.bulk_create(
        [
            CaseNumberCounter(committee_id=c, year=y, last=n)
            for (c, y), n in sorted(made.counters.items())
        ],
        update_conflicts=True,
        unique_fields=["committee", "year"],
        update_fields=["last"],
        batch_size=2000,
    )
    changed = bulk.add_to_cells(dict(made.cells), level_cells=level_cells)
    _clock(timings, "cells and level cells" if level_cells else "cells", started)
    return changed


def _clock(timings: dict[str, float], step: str, started: float) -> float:
    now = time.perf_counter()
    timings[step] = timings.get(step, 0.0) + now - started
    return now


# The columns each generated row gives, in order; every other column takes its default.
CASE_COLUMNS = (
    "id", "number", "year", "sequence", "committee_id", "committee_path", "dispute_type_id",
    "source", "summary", "amount", "people_involved", "is_complex", "is_group", "status",
    "registered_by_id", "registered_at", "accepted_on", "closed_on", "ended_as", "end_reason",
    "decline_reason", "routes_told", "performance", "archived_on",
)  # fmt: skip
TRANSITION_COLUMNS = (
    "id", "case_id", "action", "from_status", "to_status", "actor_id", "actor_name", "at",
)  # fmt: skip
AGREEMENT_COLUMNS = (
    "id", "case_id", "kind", "number", "facts", "content", "performance_manner", "formed_on",
    "effective_on", "created_by_id",
)  # fmt: skip
CONFIRMATION_COLUMNS = (
    "id", "case_id", "applied_on", "court", "outcome", "decided_on", "created_by_id",
)  # fmt: skip
FACT_COLUMNS = ("case_id", *rollup.FACT_FIELDS)
fact_values = operator.attrgetter(*rollup.FACT_FIELDS)
ENDED = frozenset({"agreed", "failed", "terminated", "declined"})
MEDIATED = frozenset({"agreed", "failed", "terminated", "in_mediation"})
AMOUNTS = [Decimal(a) for a in (0, 500, 2000, 8000, 30000, 120000)]
PEOPLE = [2, 2, 2, 3, 4, 6, 12]


class _Rows:
    """Plans synthetic cases and writes their rows, chunk by chunk, as plain tuples."""

    def __init__(
        self,
        rng: random.Random,
        years: int,
        committees: list[Organisation],
        clerk: User,
        types: list[DisputeType],
        last: dict[tuple[int, int], int],
    ) -> None:
        self.rng, self.span, self.last = rng, years * 365, last
        self.committees = committees
        self.clerk_id, self.clerk_name = clerk.pk, clerk.full_name
        self.types = [(t.pk, t.statistics_code) for t in types]
        self.cases = core_bulk.Stripped(Case, CASE_COLUMNS)
        self.transitions = core_bulk.Stripped(CaseTransition, TRANSITION_COLUMNS)
        self.agreements = core_bulk.Stripped(Agreement, AGREEMENT_COLUMNS)
        self.confirmations = core_bulk.Stripped(JudicialConfirmation, CONFIRMATION_COLUMNS)
        self.facts = core_bulk.Stripped(CaseFact, FACT_COLUMNS)
        self.today_only = False

    def write(self, size: int, made: _Made, timings: dict[str, float]) -> None:
        """Plan ``size`` cases and insert their rows; add their contributions to the cells
        and their numbers to ``made``."""
        started = time.perf_counter()
        rng, clerk_id, clerk_name = self.rng, self.clerk_id, self.clerk_name
        now = timezone.now()
        zone = timezone.get_current_timezone()
        today = timezone.localdate()
        # Seconds since local midnight: today's intake is registered within them.
        elapsed = (now - dt.datetime.combine(today, dt.time(), tzinfo=zone)).total_seconds()
        cells = made.cells
        case_ids = iter(core_bulk.new_ids(Case, size))
        cases: list[tuple[Any, ...]] = []
        steps: list[tuple[Any, ...]] = []
        agreements: list[tuple[Any, ...]] = []
        confirmations: list[tuple[Any, ...]] = []
        facts: list[tuple[Any, ...]] = []
        for _ in range(size):
            committee = rng.choice(self.committees)
            if self.today_only:
                registered_at = now - dt.timedelta(seconds=rng.uniform(0, elapsed))
            else:
                registered_at = now - dt.timedelta(days=rng.uniform(1, self.span))
            local = registered_at.astimezone(zone)
            year = local.year
            key = (committee.pk, year)
            sequence = self.last[key] = self.last[key] + 1
            made.counters[key] = sequence
            outcome = _pick(rng, OUTCOMES)
            day = local.date()
            # Accepted within two days of registration, but not after today.
            accepted_on = (
                min(day + dt.timedelta(days=rng.randint(0, 2)), today)
                if outcome != "registered" and outcome != "declined"
                else None
            )
            closed_on = None
            if outcome in ("agreed", "failed", "terminated") and accepted_on is not None:
                closed_on = min(accepted_on + dt.timedelta(days=rng.randint(1, 40)), today)
            if outcome == "declined":
                closed_on = day
            status = outcome
            if outcome in ENDED and closed_on and (today - closed_on).days > 60:
                status = ARCHIVED
            amount = rng.choice(AMOUNTS) or None
            type_id, type_code = rng.choice(self.types)
            source = _pick(rng, SOURCES)
            people = rng.choice(PEOPLE)
            is_complex = rng.random() < 0.04
            is_group = rng.random() < 0.01
            performance = PERFORMED if outcome == "agreed" and rng.random() < 0.97 else PENDING
            case_id = next(case_ids)
            cases.append(
                (
                    case_id,
                    format_number(committee, year, sequence) + "（合成）",
                    year,
                    sequence,
                    committee.pk,
                    committee.path,
                    type_id,
                    source,
                    "合成数据：基准测试用案件",
                    amount,
                    people,
                    is_complex,
                    is_group,
                    status,
                    clerk_id,
                    registered_at,
                    accepted_on,
                    closed_on,
                    outcome if outcome in ENDED else "",
                    NO_AGREEMENT if outcome in ("failed", "terminated") else "",
                    "before_other_body" if outcome == "declined" else "",
                    outcome in ("failed", "terminated"),
                    performance,
                    closed_on if status == ARCHIVED else None,
                )
            )
            started_mediation = outcome in MEDIATED and accepted_on is not None
            if started_mediation:
                steps.append(
                    (
                        case_id,
                        "start_mediation",
                        ACCEPTED,
                        IN_MEDIATION,
                        clerk_id,
                        clerk_name,
                        registered_at + dt.timedelta(days=1),
                    )
                )
            kind = confirmed_on = None
            if outcome == "agreed" and closed_on is not None:
                kind = WRITTEN if rng.random() < 0.7 else ORAL
                agreements.append(
                    (
                        case_id,
                        kind,
                        f"合成-{case_id}",
                        "合成数据",
                        "合成数据",
                        "当面",
                        closed_on,
                        closed_on,
                        clerk_id,
                    )
                )
                if rng.random() < 0.05:
                    confirmed_on = closed_on
                    confirmations.append(
                        (case_id, closed_on, "合成人民法院", CONFIRMED, closed_on, clerk_id)
                    )
            # The row ``rollup.case_facts`` would read back for this case.
            fact = rollup.fact_from_row(
                {
                    "committee_id": committee.pk,
                    "committee__path": committee.path,
                    "committee__committee_kind": committee.committee_kind,
                    "registered_at": registered_at,
                    "accepted_on": accepted_on,
                    "closed_on": closed_on,
                    "ended_as": outcome if outcome in ENDED else "",
                    "dispute_type__statistics_code": type_code,
                    "source": source,
                    "is_complex": is_complex,
                    "is_group": is_group,
                    "status": status,
                    "people_involved": people,
                    "amount": amount,
                    "performance": performance,
                    "_started": started_mediation,
                    "_agreement_kind": kind,
                    "_confirmed_on": confirmed_on,
                }
            )
            facts.append((case_id, *fact_values(fact)))
            for cell, part in rollup.contributions(fact).items():
                cells[cell] += part
        started = _clock(timings, "rows planned (Python)", started)
        self.cases.insert(cases)
        self.transitions.insert(_numbered(CaseTransition, steps))
        self.agreements.insert(_numbered(Agreement, agreements))
        self.confirmations.insert(_numbered(JudicialConfirmation, confirmations))
        self.facts.insert(facts)
        _clock(timings, "rows copied", started)


def _numbered(model: type[Any], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``rows`` with an id from ``model``'s sequence in front of each."""
    return [
        (new_id, *row)
        for new_id, row in zip(core_bulk.new_ids(model, len(rows)), rows, strict=True)
    ]


# Plain strings of the codes written (psycopg writes a str, not the enum around it).
ARCHIVED = str(CaseStatus.ARCHIVED.value)
ACCEPTED = str(CaseStatus.ACCEPTED.value)
IN_MEDIATION = str(CaseStatus.IN_MEDIATION.value)
PERFORMED = str(Performance.PERFORMED.value)
PENDING = str(Performance.PENDING.value)
NO_AGREEMENT = str(EndReason.NO_AGREEMENT.value)
WRITTEN = str(AgreementKind.WRITTEN.value)
ORAL = str(AgreementKind.ORAL.value)
CONFIRMED = str(ConfirmationOutcome.CONFIRMED.value)
