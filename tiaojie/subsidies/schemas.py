"""API schemas of the per-case subsidy: ``<Entity>In`` for input, ``<Entity>Out`` for output.
Amounts are decimal yuan with two places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.organisations.choices import CommitteeKind
from tiaojie.subsidies.choices import (
    ArchiveRule,
    Dimension,
    Exclusion,
    Recipient,
    SheetAction,
    SheetStatus,
    Tier,
)

TierCode = Annotated[str, codes(Tier)]


class BandIn(InputSchema):
    dimension: Annotated[str, codes(Dimension)]
    tier: TierCode
    lower: Decimal = Field(max_digits=14, decimal_places=2)
    upper: Decimal | None = Field(None, max_digits=14, decimal_places=2)


class AmountIn(InputSchema):
    committee_kind: Annotated[str, codes(CommitteeKind)]
    tier: TierCode
    amount: Decimal = Field(max_digits=10, decimal_places=2)


class RuleSetIn(InputSchema):
    """A version of the bureau's rules. ``bands``: per criterion, ranges lower ≤ value < upper
    (upper null: no limit) that together cover 0 upwards once; ``amounts``: all three tiers of
    each committee kind paid."""

    bureau_id: int | None = Field(None, description="Default: the caller's bureau.")
    name: str = Field(max_length=120)
    valid_from: dt.date
    bands: list[BandIn] = Field(default_factory=list)
    amounts: list[AmountIn] = Field(default_factory=list)
    require_registered: bool = True
    require_success: bool = True
    require_performed: bool = True
    count_oral: bool = False
    carry_over: bool = True
    archive_rule: Annotated[str, codes(ArchiveRule)] = ArchiveRule.MAJOR
    recipient: Annotated[str, codes(Recipient)] = Recipient.PRESIDING
    complex_tier: TierCode = Tier.DIFFICULT
    group_tier: TierCode = Tier.MAJOR
    version: int | None = None


class BandOut(Schema):
    dimension: Annotated[str, codes(Dimension)]
    tier: TierCode
    lower: Decimal
    upper: Decimal | None


class AmountOut(Schema):
    committee_kind: Annotated[str, codes(CommitteeKind)]
    tier: TierCode
    amount: Decimal


class RuleSetOut(Schema):
    id: int
    bureau_id: int
    name: str
    valid_from: dt.date
    require_registered: bool
    require_success: bool
    require_performed: bool
    count_oral: bool
    carry_over: bool
    archive_rule: Annotated[str, codes(ArchiveRule)]
    recipient: Annotated[str, codes(Recipient)]
    complex_tier: TierCode
    group_tier: TierCode
    bands: list[BandOut]
    amounts: list[AmountOut]
    version: int


class SheetComputeIn(InputSchema):
    committee_id: int | None = Field(None, description="Default: the caller's committee.")
    month: str = Field(pattern=r"^\d{4}-\d{2}$", max_length=7, description="YYYY-MM")
    version: int | None = None


class SheetTransitionIn(InputSchema):
    action: Annotated[str, codes(SheetAction)]
    reason: str = Field("", max_length=1000)
    version: int | None = None


class SubsidySheetSummaryOut(Schema):
    id: int
    committee_id: int
    committee_name: str
    month: str
    status: Annotated[str, codes(SheetStatus)]
    total: Decimal
    counted: int
    excluded: int
    stale: bool
    version: int


class ShareOut(Schema):
    mediator_id: int
    mediator_name: str
    amount: Decimal


class LineOut(Schema):
    case_id: int
    case_number: str
    closed_on: dt.date
    tier: TierCode
    basis: str
    why: str
    amount: Decimal
    exclusion: Annotated[str, codes(Exclusion)] | None
    # A case carried over from the paid month it ended in: that month and the note shown.
    carried_from: dt.date | None
    carry_note: str
    shares: list[ShareOut]


class MediatorTotalOut(Schema):
    mediator_id: int
    mediator_name: str
    cases: int
    total: Decimal


class AreaMediatorOut(MediatorTotalOut):
    committee_name: str


class SubsidySheetOut(SubsidySheetSummaryOut):
    rule_set_id: int | None
    paid_on: dt.date | None
    lines: list[LineOut]
    mediators: list[MediatorTotalOut]
    allowed_actions: list[str]
