"""The rules applied to one case: its tier, and whether (and to whom) it is paid.

Pure functions over plain values, so the same judgement serves the sheet, the recomputation of
a locked month and the benchmark, and a test can state each rule in a line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from tiaojie.subsidies.choices import (
    RANK_TIER,
    TIER_RANK,
    ArchiveRule,
    Dimension,
    Exclusion,
    Recipient,
    Tier,
)
from tiaojie.subsidies.models import SubsidyRuleSet

CENT = Decimal("0.01")
COMPLEX = "complex"
GROUP = "group"


@dataclass(frozen=True)
class Rules:
    """A rule set read once: its ranges per criterion and its amounts."""

    rule_set_id: int
    require_registered: bool
    require_success: bool
    require_performed: bool
    count_oral: bool
    carry_over: bool
    archive_rule: str
    recipient: str
    complex_tier: str
    group_tier: str
    bands: dict[str, list[tuple[Decimal, Decimal | None, str]]]
    amounts: dict[tuple[str, str], Decimal]

    @classmethod
    def of(cls, rule_set: SubsidyRuleSet) -> Rules:
        bands: dict[str, list[tuple[Decimal, Decimal | None, str]]] = {}
        for band in rule_set.bands.all():
            bands.setdefault(band.dimension, []).append((band.lower, band.upper, band.tier))
        return cls(
            rule_set_id=rule_set.pk,
            require_registered=rule_set.require_registered,
            require_success=rule_set.require_success,
            require_performed=rule_set.require_performed,
            count_oral=rule_set.count_oral,
            carry_over=rule_set.carry_over,
            archive_rule=rule_set.archive_rule,
            recipient=rule_set.recipient,
            complex_tier=rule_set.complex_tier,
            group_tier=rule_set.group_tier,
            bands=bands,
            amounts={(a.committee_kind, a.tier): a.amount for a in rule_set.amounts.all()},
        )

    def covers(self, committee_kind: str) -> bool:
        return (committee_kind, Tier.GENERAL) in self.amounts


@dataclass(frozen=True)
class Facts:
    """What the rules look at in one case that ended in the month."""

    case_id: int
    number: str
    closed_on: dt.date
    committee_kind: str
    accepted: bool
    agreed: bool
    oral: bool
    performed: bool
    archived: bool
    amount: Decimal | None
    parties: int
    people: int
    is_complex: bool
    is_group: bool
    # (mediator id, presiding) of the mediators on the case, withdrawn ones left out.
    mediators: tuple[tuple[int, bool], ...] = ()
    # The day the file was archived, if it was (a carried-over case shows when it qualified).
    archived_on: dt.date | None = None
    # The month of an earlier sheet beyond a draft that paid this case, if any.
    paid_in: dt.date | None = None


@dataclass
class Outcome:
    tier: str
    basis: str  # a Dimension, COMPLEX, GROUP or "" (nothing raised the tier)
    basis_value: str
    amount: Decimal = Decimal("0.00")
    exclusion: str = ""
    note: str = ""
    shares: list[tuple[int, Decimal]] = field(default_factory=list)


def tier_of(rules: Rules, facts: Facts) -> tuple[str, str, str]:
    """The highest tier any criterion reaches, and the first criterion that reached it (a group
    dispute, a complex one, the amount, people, parties)."""
    candidates: list[tuple[int, str, str]] = []
    if facts.is_group:
        candidates.append((TIER_RANK[Tier(rules.group_tier)], GROUP, ""))
    if facts.is_complex:
        candidates.append((TIER_RANK[Tier(rules.complex_tier)], COMPLEX, ""))
    measured = (
        (Dimension.AMOUNT, facts.amount if facts.amount is not None else Decimal(0)),
        (Dimension.PEOPLE, Decimal(facts.people)),
        (Dimension.PARTIES, Decimal(facts.parties)),
    )
    for dimension, value in measured:
        for lower, upper, tier in rules.bands.get(dimension, []):
            if lower <= value and (upper is None or value < upper):
                candidates.append((TIER_RANK[Tier(tier)], str(dimension), str(value)))
                break
    best = max((rank for rank, _, _ in candidates), default=0)
    if best == 0:
        return str(Tier.GENERAL), "", ""
    rank, basis, shown = next(c for c in candidates if c[0] == best)
    return str(RANK_TIER[rank]), basis, shown


def _exclusion(rules: Rules, facts: Facts, tier: str) -> tuple[str, str]:
    """Why the case is not paid (the first reason, in the order a clerk checks them)."""
    if rules.require_registered and not facts.accepted:
        return Exclusion.NOT_REGISTERED, ""
    if rules.require_success and not facts.agreed:
        return Exclusion.NOT_SUCCESSFUL, ""
    if facts.oral and not rules.count_oral:
        return Exclusion.ORAL, ""
    if rules.require_performed and not facts.performed:
        return Exclusion.NOT_PERFORMED, ""
    archive = rules.archive_rule == ArchiveRule.ALL or (
        rules.archive_rule == ArchiveRule.MAJOR and tier == Tier.MAJOR
    )
    if archive and not facts.archived:
        return Exclusion.NOT_ARCHIVED, ""
    if not rules.covers(facts.committee_kind):
        return Exclusion.KIND_NOT_COVERED, ""
    if facts.paid_in is not None:
        return Exclusion.ALREADY_PAID, f"{facts.paid_in.year}年{facts.paid_in.month}月"
    if not facts.mediators:
        return Exclusion.NO_MEDIATOR, ""
    if rules.recipient == Recipient.PRESIDING and not any(p for _, p in facts.mediators):
        return Exclusion.NO_PRESIDING, ""
    return "", ""


def shares(
    rules: Rules, amount: Decimal, mediators: tuple[tuple[int, bool], ...]
) -> list[tuple[int, Decimal]]:
    """Who receives ``amount``: the presiding mediator, or every mediator an equal share in
    whole fen, the fen left over going to the presiding one (else the first), so the shares add
    up to the amount exactly."""
    ordered = sorted(mediators, key=lambda m: (not m[1], m[0]))  # presiding first
    if rules.recipient == Recipient.PRESIDING:
        return [(ordered[0][0], amount)]
    each = (amount / len(ordered)).quantize(CENT, rounding=ROUND_DOWN)
    result = [(mediator, each) for mediator, _ in ordered]
    result[0] = (ordered[0][0], amount - each * (len(ordered) - 1))
    return result


def judge(rules: Rules, facts: Facts) -> Outcome:
    tier, basis, value = tier_of(rules, facts)
    exclusion, note = _exclusion(rules, facts, tier)
    outcome = Outcome(tier=tier, basis=basis, basis_value=value, exclusion=exclusion, note=note)
    if not exclusion:
        outcome.amount = rules.amounts[(facts.committee_kind, tier)]
        outcome.shares = shares(rules, outcome.amount, facts.mediators)
    return outcome
