"""Synthetic history for benchmarks and load tests (``manage.py generate_cases``): cases in
every outcome over the last years, written in bulk, with the facts and cells they contribute
added by the same difference function the listener uses, so the figures stay exact.

The cases carry no parties (nothing personal to invent) and are numbered like real ones from
each committee's counter; their summaries say they are synthetic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
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
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, Station
from tiaojie.organisations.models import Organisation, path_segment
from tiaojie.statistics import bulk, rollup
from tiaojie.statistics.models import CaseFact

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
) -> Generated:
    """Add ``count`` synthetic cases spread over the last ``years`` years across every active
    committee (under ``under`` when given), ``chunk`` cases per transaction: each chunk's
    cases, records, facts and cell differences commit together, so the figures stay exact
    even if the run is stopped."""
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
    # Numbers continue each committee's yearly counter, as registration would; read once (a
    # MAX over every case per batch is what made long runs slow down).
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
    made = changed = 0
    while made < count:
        size = min(chunk, count - made)
        changed += _batch(rng, size, years, committees, clerk, types, last)
        made += size
        if progress is not None:
            progress(made)
    return Generated(made, changed)


@transaction.atomic
def _batch(
    rng: random.Random,
    size: int,
    years: int,
    committees: list[Organisation],
    clerk: User,
    types: list[DisputeType],
    last: dict[tuple[int, int], int],
) -> int:
    now = timezone.now()
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    span = years * 365
    picks = [
        (rng.choice(committees), now - dt.timedelta(days=rng.uniform(1, span))) for _ in range(size)
    ]
    touched: set[tuple[int, int]] = set()
    cases: list[Case] = []
    plans: list[str] = []
    for committee, registered_at in picks:
        local = registered_at.astimezone(zone)
        year = local.year
        last[(committee.pk, year)] += 1
        touched.add((committee.pk, year))
        sequence = last[(committee.pk, year)]
        outcome = _pick(rng, OUTCOMES)
        day = local.date()
        accepted_on = (
            day + dt.timedelta(days=rng.randint(0, 2))
            if outcome != "registered" and outcome != "declined"
            else None
        )
        closed_on = None
        if outcome in ("agreed", "failed", "terminated") and accepted_on is not None:
            closed_on = min(accepted_on + dt.timedelta(days=rng.randint(1, 40)), today)
        if outcome == "declined":
            closed_on = day
        status = outcome
        if (
            outcome in ("agreed", "failed", "terminated", "declined")
            and closed_on
            and (today - closed_on).days > 60
        ):
            status = CaseStatus.ARCHIVED
        amount = Decimal(rng.choice([0, 500, 2000, 8000, 30000, 120000]))
        cases.append(
            Case(
                number=format_number(committee, year, sequence) + "（合成）",
                year=year,
                sequence=sequence,
                committee=committee,
                committee_path=committee.path,
                dispute_type=rng.choice(types),
                source=_pick(rng, SOURCES),
                summary="合成数据：基准测试用案件",
                amount=amount or None,
                people_involved=rng.choice([2, 2, 2, 3, 4, 6, 12]),
                is_complex=rng.random() < 0.04,
                is_group=rng.random() < 0.01,
                status=status,
                registered_by=clerk,
                registered_at=registered_at,
                accepted_on=accepted_on,
                closed_on=closed_on,
                ended_as=outcome
                if outcome in ("agreed", "failed", "terminated", "declined")
                else "",
                end_reason=EndReason.NO_AGREEMENT if outcome in ("failed", "terminated") else "",
                decline_reason="before_other_body" if outcome == "declined" else "",
                routes_told=outcome in ("failed", "terminated"),
                performance=(
                    Performance.PERFORMED
                    if outcome == "agreed" and rng.random() < 0.97
                    else Performance.PENDING
                ),
                archived_on=closed_on if status == CaseStatus.ARCHIVED else None,
            )
        )
        plans.append(outcome)
    bulk.insert(Case, cases)
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(committee_id=c, year=y, last=last[(c, y)]) for c, y in sorted(touched)],
        update_conflicts=True,
        unique_fields=["committee", "year"],
        update_fields=["last"],
        batch_size=2000,
    )
    steps: list[CaseTransition] = []
    agreements: list[Agreement] = []
    confirmations: list[JudicialConfirmation] = []
    for case, outcome in zip(cases, plans, strict=True):
        if outcome in ("agreed", "failed", "terminated", "in_mediation") and case.accepted_on:
            steps.append(
                CaseTransition(
                    case=case,
                    action="start_mediation",
                    from_status=CaseStatus.ACCEPTED,
                    to_status=CaseStatus.IN_MEDIATION,
                    actor=clerk,
                    actor_name=clerk.full_name,
                    at=case.registered_at + dt.timedelta(days=1),
                )
            )
        if outcome == "agreed" and case.closed_on is not None:
            agreements.append(
                Agreement(
                    case=case,
                    kind=AgreementKind.WRITTEN if rng.random() < 0.7 else AgreementKind.ORAL,
                    number=f"合成-{case.pk}",
                    facts="合成数据",
                    content="合成数据",
                    performance_manner="当面",
                    formed_on=case.closed_on,
                    effective_on=case.closed_on,
                    created_by=clerk,
                )
            )
            if rng.random() < 0.05:
                confirmations.append(
                    JudicialConfirmation(
                        case=case,
                        applied_on=case.closed_on,
                        court="合成人民法院",
                        outcome=ConfirmationOutcome.CONFIRMED,
                        decided_on=case.closed_on,
                        created_by=clerk,
                    )
                )
    bulk.insert(CaseTransition, steps)
    bulk.insert(Agreement, agreements)
    bulk.insert(JudicialConfirmation, confirmations)
    # The figures: the new cases' facts, and their contributions added to the cells.
    # Read back through the query verification uses, over the id range (an IN list of tens of
    # thousands of ids costs more than the range).
    ids = {case.pk for case in cases}
    facts: list[CaseFact] = []
    added: rollup.Contributions = defaultdict(Decimal)
    in_range = Case.objects.filter(pk__gte=min(ids), pk__lte=max(ids))
    for case_id, fact in rollup.case_facts(in_range):
        if case_id not in ids:
            continue
        facts.append(CaseFact(case_id=case_id, **{n: getattr(fact, n) for n in rollup.FACT_FIELDS}))
        for cell, part in rollup.contributions(fact).items():
            added[cell] += part
    bulk.insert(CaseFact, facts)
    return bulk.add_to_cells(dict(added))
