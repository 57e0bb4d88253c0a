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
from collections.abc import Sequence
from decimal import Decimal

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
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import rollup
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
BATCH = 5000


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


def generate_cases(count: int, *, years: int = 5, seed: int = 2026) -> Generated:
    """Add ``count`` synthetic cases spread over the last ``years`` years across every active
    committee, in batches of ``BATCH`` (each one transaction)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    committees = list(Organisation.objects.filter(kind=OrganisationKind.COMMITTEE, status="active"))
    clerk = (
        User.objects.filter(organisation__kind=OrganisationKind.COMMITTEE).order_by("pk").first()
    )
    types = list(DisputeType.objects.filter(valid_to__isnull=True))
    if not committees or clerk is None or not types:
        raise ValueError("generate_cases needs committees, a committee account and dispute types")
    made = changed = 0
    while made < count:
        size = min(BATCH, count - made)
        changed += _batch(rng, size, years, committees, clerk, types)
        made += size
    return Generated(made, changed)


@transaction.atomic
def _batch(
    rng: random.Random,
    size: int,
    years: int,
    committees: list[Organisation],
    clerk: User,
    types: list[DisputeType],
) -> int:
    now = timezone.now()
    span = years * 365
    picks = [
        (rng.choice(committees), now - dt.timedelta(days=rng.uniform(1, span))) for _ in range(size)
    ]
    # Numbers continue each committee's yearly counter, as registration would.
    last: dict[tuple[int, int], int] = defaultdict(int)
    for row in CaseNumberCounter.objects.filter(committee__in=committees).values(
        "committee_id", "year", "last"
    ):
        last[(row["committee_id"], row["year"])] = row["last"]
    tops = Case.objects.values("committee_id", "year").annotate(top=Max("sequence")).order_by()
    for top in tops:
        key = (top["committee_id"], top["year"])
        last[key] = max(last[key], top["top"] or 0)
    cases: list[Case] = []
    plans: list[str] = []
    for committee, registered_at in picks:
        year = timezone.localtime(registered_at).year
        last[(committee.pk, year)] += 1
        sequence = last[(committee.pk, year)]
        outcome = _pick(rng, OUTCOMES)
        day = timezone.localdate(registered_at)
        accepted_on = (
            day + dt.timedelta(days=rng.randint(0, 2))
            if outcome != "registered" and outcome != "declined"
            else None
        )
        closed_on = None
        if outcome in ("agreed", "failed", "terminated") and accepted_on is not None:
            closed_on = min(
                accepted_on + dt.timedelta(days=rng.randint(1, 40)), timezone.localdate()
            )
        if outcome == "declined":
            closed_on = day
        status = outcome
        if (
            outcome in ("agreed", "failed", "terminated", "declined")
            and closed_on
            and (timezone.localdate() - closed_on).days > 60
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
    Case.objects.bulk_create(cases, batch_size=1000)
    for (committee_id, year), value in last.items():
        CaseNumberCounter.objects.update_or_create(
            committee_id=committee_id, year=year, defaults={"last": value}
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
    CaseTransition.objects.bulk_create(steps, batch_size=2000)
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    JudicialConfirmation.objects.bulk_create(confirmations, batch_size=2000)
    # The figures: the new cases' facts, and their contributions added to the cells.
    ids = [case.pk for case in cases]
    facts: list[CaseFact] = []
    added: rollup.Contributions = defaultdict(Decimal)
    for case_id, fact in rollup.case_facts(Case.objects.filter(pk__in=ids)):
        facts.append(CaseFact(case_id=case_id, **dataclasses.asdict(fact)))
        for cell, part in rollup.contributions(fact).items():
            added[cell] += part
    CaseFact.objects.bulk_create(facts, batch_size=2000)
    return rollup.apply_difference({}, dict(added))
