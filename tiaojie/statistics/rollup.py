"""Keeping the cells equal to the sum of the facts.

``case_facts`` reads what each case counts for from its current rows (one query for one case
or for all); ``contributions`` turns a fact into the cells it adds to; ``refresh_case`` diffs
the new fact against the stored one and adds the difference to the cells. Running it twice
changes nothing the second time, which is what at-least-once delivery needs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from tiaojie.cases.choices import (
    OPEN_STATUSES,
    AgreementKind,
    CaseStatus,
    ConfirmationOutcome,
    Performance,
)
from tiaojie.cases.models import Agreement, Case, CaseTransition, JudicialConfirmation
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import levels
from tiaojie.statistics.choices import (
    BY_KIND,
    BY_SOURCE,
    BY_TYPE,
    OPEN_COMPLEX,
    OPEN_GROUP,
    STOCK_PERIOD,
    Indicator,
)
from tiaojie.statistics.models import CaseFact, PreventionFact, ScreeningFact, StatCell

# (period, organisation id, indicator, key) → value
CellKey = tuple[dt.date, int, str, str]
Contributions = dict[CellKey, Decimal]

MEDIATION_OUTCOMES = frozenset({CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.TERMINATED})
ONE = Decimal(1)


@dataclasses.dataclass(frozen=True)
class Fact:
    """What a case counts for: the fields of ``CaseFact`` that decide its contributions."""

    organisation_id: int
    org_path: str
    registered_on: dt.date
    accepted_on: dt.date | None
    closed_on: dt.date | None
    confirmed_on: dt.date | None
    dispute_type_code: str
    source: str
    organisation_kind: str
    accepted: bool
    mediated: bool
    success: bool
    oral: bool
    written: bool
    performed: bool
    confirmed: bool
    complex: bool
    people: int
    amount: Decimal
    # Open now (the live counts' stock cells, ADR 0055); last, with defaults, so a fact
    # built by hand for a closed case need not name them.
    open: bool = False
    open_complex: bool = False
    open_group: bool = False


FACT_FIELDS = [f.name for f in dataclasses.fields(Fact)]


def month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def contributions(fact: Fact | None) -> Contributions:
    """The cells a case adds to, and by how much (docs/statistics.md defines each one)."""
    out: Contributions = {}
    if fact is None:
        return out
    org = fact.organisation_id

    def add(day: dt.date, indicator: str, value: Decimal = ONE, key: str = "") -> None:
        if value:
            cell = (month(day), org, indicator, key)
            out[cell] = out.get(cell, Decimal(0)) + value

    add(fact.registered_on, Indicator.REGISTERED)
    if fact.accepted and fact.accepted_on is not None:
        add(fact.accepted_on, Indicator.ACCEPTED)
    if fact.mediated and fact.closed_on is not None:
        day = fact.closed_on
        add(day, Indicator.MEDIATED)
        add(day, Indicator.MEDIATED, key=f"{BY_SOURCE}:{fact.source}")
        add(day, Indicator.MEDIATED, key=f"{BY_TYPE}:{fact.dispute_type_code}")
        if fact.organisation_kind:
            add(day, Indicator.MEDIATED, key=f"{BY_KIND}:{fact.organisation_kind}")
        add(day, Indicator.PEOPLE, Decimal(fact.people))
        if fact.complex:
            add(day, Indicator.COMPLEX)
        if fact.success:
            add(day, Indicator.SUCCESS)
            add(day, Indicator.AMOUNT, fact.amount)
            if fact.oral:
                add(day, Indicator.ORAL)
            if fact.written:
                add(day, Indicator.WRITTEN)
            if fact.performed:
                add(day, Indicator.PERFORMED)
            if fact.confirmed and fact.confirmed_on is not None:
                add(fact.confirmed_on, Indicator.CONFIRMED)
    # The stock of open cases: a case adds one while it is open and leaves it when it is
    # closed, whatever month it is (the live counts, ADR 0055).
    if fact.open:
        add(STOCK_PERIOD, Indicator.OPEN)
        if fact.open_complex:
            add(STOCK_PERIOD, Indicator.OPEN, key=OPEN_COMPLEX)
        if fact.open_group:
            add(STOCK_PERIOD, Indicator.OPEN, key=OPEN_GROUP)
    return out


def prevention_contributions(row: PreventionFact | None) -> Contributions:
    if row is None:
        return {}
    period = month(row.recorded_on)
    return {
        (period, row.organisation_id, Indicator.PREVENTED_CASES, row.kind): ONE,
        (period, row.organisation_id, Indicator.PREVENTED_PEOPLE, row.kind): Decimal(row.people),
    }


def prevented_dispute_contributions(rows: Iterable[PreventionFact]) -> Contributions:
    """预防纠纷数: a case with any escalation prevented is one dispute prevented, counted once,
    where and in the month its first prevention was recorded."""
    first = min(rows, key=lambda r: (r.recorded_on, r.pk or 0), default=None)
    if first is None:
        return {}
    return {
        (month(first.recorded_on), first.organisation_id, Indicator.PREVENTED_DISPUTES, ""): ONE
    }


def screening_contributions(row: ScreeningFact | None) -> Contributions:
    if row is None:
        return {}
    period = month(row.reported_on)
    out: Contributions = {(period, row.organisation_id, Indicator.SCREENING_ROUNDS, ""): ONE}
    if row.findings:
        out[(period, row.organisation_id, Indicator.SCREENING_FINDINGS, "")] = Decimal(row.findings)
    return out


# --- Reading facts from the cases --------------------------------------------------------------


def _annotated(cases: QuerySet[Case]) -> QuerySet[Any, dict[str, Any]]:
    current = Agreement.objects.filter(case=OuterRef("pk"), superseded_at__isnull=True)
    confirmed = JudicialConfirmation.objects.filter(
        case=OuterRef("pk"), outcome=ConfirmationOutcome.CONFIRMED
    ).order_by("decided_on", "pk")
    return cases.annotate(
        _started=Exists(
            CaseTransition.objects.filter(case=OuterRef("pk"), action="start_mediation")
        ),
        _agreement_kind=Subquery(current.values("kind")[:1]),
        _confirmed_on=Subquery(confirmed.values("decided_on")[:1]),
    ).values(
        "pk",
        "committee_id",
        "committee__path",
        "committee__committee_kind",
        "registered_at",
        "accepted_on",
        "closed_on",
        "ended_as",
        "dispute_type__statistics_code",
        "source",
        "is_complex",
        "is_group",
        "status",
        "people_involved",
        "amount",
        "performance",
        "_started",
        "_agreement_kind",
        "_confirmed_on",
    )


def fact_from_row(row: Mapping[str, Any]) -> Fact:
    """The fact of one case from its row as ``_annotated`` reads it; the bulk generator builds
    the same row from the values it writes, so a generated case counts exactly as a read one."""
    mediated = bool(
        row["_started"] and row["ended_as"] in MEDIATION_OUTCOMES and row["closed_on"] is not None
    )
    success = mediated and row["ended_as"] == CaseStatus.AGREED
    kind = row["_agreement_kind"] if success else None
    confirmed_on = row["_confirmed_on"] if success else None
    is_open = row["status"] in OPEN_STATUSES
    return Fact(
        organisation_id=row["committee_id"],
        org_path=row["committee__path"],
        registered_on=timezone.localdate(row["registered_at"]),
        accepted_on=row["accepted_on"],
        closed_on=row["closed_on"] if mediated else None,
        confirmed_on=confirmed_on,
        dispute_type_code=row["dispute_type__statistics_code"],
        source=row["source"],
        organisation_kind=row["committee__committee_kind"] or "",
        accepted=row["accepted_on"] is not None,
        mediated=mediated,
        success=success,
        oral=kind == AgreementKind.ORAL,
        written=kind == AgreementKind.WRITTEN,
        performed=success and row["performance"] == Performance.PERFORMED,
        confirmed=confirmed_on is not None,
        complex=mediated and bool(row["is_complex"]),
        people=row["people_involved"] if mediated else 0,
        amount=(row["amount"] or Decimal(0)) if success else Decimal(0),
        open=is_open,
        open_complex=is_open and bool(row["is_complex"]),
        open_group=is_open and bool(row["is_group"]),
    )


def case_facts(cases: QuerySet[Case] | None = None) -> Iterator[tuple[int, Fact]]:
    """(case id, fact) of every case in ``cases`` (all cases when None), read in one query."""
    rows = _annotated(cases if cases is not None else Case.objects.all()).order_by()
    for row in rows.iterator(chunk_size=2000):
        yield row["pk"], fact_from_row(row)


def _stored(row: CaseFact | None) -> Fact | None:
    if row is None:
        return None
    return Fact(**{name: getattr(row, name) for name in FACT_FIELDS})


# --- Applying differences ------------------------------------------------------------------


def apply_difference(old: Contributions, new: Contributions) -> int:
    """Add ``new - old`` to the cells; return how many cells changed."""
    delta: Contributions = {}
    for cell in old.keys() | new.keys():
        change = new.get(cell, Decimal(0)) - old.get(cell, Decimal(0))
        if change:
            delta[cell] = change
    if not delta:
        return 0
    paths = dict(
        Organisation.objects.filter(pk__in={c[1] for c in delta}).values_list("pk", "path")
    )
    for (period, org, indicator, key), change in sorted(delta.items()):
        updated = StatCell.objects.filter(
            period=period, organisation_id=org, indicator=indicator, key=key, historical=False
        ).update(value=F("value") + change, org_path=paths[org])
        if not updated:
            StatCell.objects.create(
                period=period,
                organisation_id=org,
                org_path=paths[org],
                indicator=indicator,
                key=key,
                value=change,
            )
    # The level cells of the organisation and of every one above it, in this transaction.
    levels.add({(*cell, False): change for cell, change in delta.items()}, paths)
    return len(delta)


@transaction.atomic
def refresh_case(case_id: int) -> int:
    """Bring the case's fact and the cells up to date with the case as it is now."""
    if not Case.objects.select_for_update().filter(pk=case_id).exists():
        stored = CaseFact.objects.filter(case_id=case_id).first()
        changed = apply_difference(contributions(_stored(stored)), {})
        CaseFact.objects.filter(case_id=case_id).delete()
        return changed
    stored = CaseFact.objects.select_for_update().filter(case_id=case_id).first()
    fresh = next(case_facts(Case.objects.filter(pk=case_id)))[1]
    old = _stored(stored)
    if old == fresh:
        return 0
    changed = apply_difference(contributions(old), contributions(fresh))
    CaseFact.objects.update_or_create(case_id=case_id, defaults=dataclasses.asdict(fresh))
    return changed


@transaction.atomic
def record_prevention(
    *, case_id: int, committee_id: int, kind: str, people: int, recorded_on: dt.date
) -> int:
    """Record (or correct) a prevented escalation; the same report twice counts once."""
    org = Organisation.objects.get(pk=committee_id)
    of_case = list(PreventionFact.objects.select_for_update().filter(case_id=case_id))
    stored = next((r for r in of_case if r.kind == kind), None)
    old = _add(prevention_contributions(stored), prevented_dispute_contributions(of_case))
    row = stored or PreventionFact(case_id=case_id, kind=kind)
    row.organisation, row.org_path = org, org.path
    row.people, row.recorded_on = people, recorded_on
    row.save()
    after = [r for r in of_case if r.kind != kind] + [row]
    new = _add(prevention_contributions(row), prevented_dispute_contributions(after))
    return apply_difference(old, new)


def _add(*parts: Contributions) -> Contributions:
    out: Contributions = {}
    for part in parts:
        for cell, value in part.items():
            out[cell] = out.get(cell, Decimal(0)) + value
    return out


@transaction.atomic
def record_screening(
    *, round_id: int, organisation_id: int, reported_on: dt.date, findings: int, nil: bool
) -> int:
    """Record (or correct) a reported screening round; the same report twice counts once."""
    org = Organisation.objects.get(pk=organisation_id)
    stored = ScreeningFact.objects.select_for_update().filter(round_id=round_id).first()
    old = screening_contributions(stored)
    row = stored or ScreeningFact(round_id=round_id)
    row.organisation, row.org_path = org, org.path
    row.reported_on, row.findings, row.nil = reported_on, 0 if nil else findings, nil
    row.save()
    return apply_difference(old, screening_contributions(row))


# --- Recomputing from scratch -------------------------------------------------------------


def expected_cells() -> Contributions:
    """Every cell as recomputed from the raw rows: the cases themselves, and the prevention
    and screening reports received."""
    total: Contributions = defaultdict(Decimal)

    def add(parts: Iterable[tuple[CellKey, Decimal]]) -> None:
        for cell, value in parts:
            total[cell] += value

    for _case_id, fact in case_facts():
        add(contributions(fact).items())
    by_case: dict[int, list[PreventionFact]] = defaultdict(list)
    for prevention in PreventionFact.objects.all():
        add(prevention_contributions(prevention).items())
        by_case[prevention.case_id].append(prevention)
    for rows in by_case.values():
        add(prevented_dispute_contributions(rows).items())
    for screening in ScreeningFact.objects.all():
        add(screening_contributions(screening).items())
    return {cell: value for cell, value in total.items() if value}


@transaction.atomic
def rebuild() -> int:
    """Throw away the case facts and the cells and compute them again from the cases (after a
    bulk import, or when ``verify_statistics`` found a difference), then the level cells from
    the cells (imported history included). Returns the cell count."""
    CaseFact.objects.all().delete()
    StatCell.objects.filter(historical=False).delete()  # imported history stays
    facts = []
    for case_id, fact in case_facts():
        facts.append(CaseFact(case_id=case_id, **dataclasses.asdict(fact)))
        if len(facts) >= 2000:
            CaseFact.objects.bulk_create(facts)
            facts = []
    CaseFact.objects.bulk_create(facts)
    cells = expected_cells()
    paths = dict(
        Organisation.objects.filter(pk__in={c[1] for c in cells}).values_list("pk", "path")
    )
    StatCell.objects.bulk_create(
        [
            StatCell(
                period=period,
                organisation_id=org,
                org_path=paths[org],
                indicator=indicator,
                key=key,
                value=value,
            )
            for (period, org, indicator, key), value in cells.items()
        ],
        batch_size=2000,
    )
    levels.rebuild()
    return len(cells)
