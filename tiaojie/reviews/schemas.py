"""API schemas of case-file review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.reviews.choices import (
    RectificationAction,
    RectificationStatus,
    ReviewStatus,
    RoundStatus,
)


class ScoreItemIn(InputSchema):
    label: str = Field(max_length=80)
    weight: Decimal = Field(description="points; the items of a sheet add up to 100")
    guidance: str = Field("", max_length=300)


class ScoreItemOut(Schema):
    id: int
    order: int
    label: str
    guidance: str
    weight: Decimal


class SheetIn(InputSchema):
    name: str = Field(max_length=120)
    active: bool = True
    items: list[ScoreItemIn]


class SheetUpdateIn(SheetIn):
    version: int


class SheetOut(Schema):
    id: int
    owner_id: int
    name: str
    active: bool
    in_use: bool
    editable: bool
    copied_from_id: int | None
    version: int
    items: list[ScoreItemOut]


class RoundIn(InputSchema):
    name: str = Field(max_length=120)
    year: int
    quarter: int = Field(ge=1, le=4)
    sheet_id: int
    sample_share: int = Field(description="percentage of each committee's closed cases, 1–100")
    major_amount_threshold: Decimal = Field(Decimal("100000"), max_digits=14, decimal_places=2)
    flagged_mediator_ids: list[int] = []


class VersionIn(InputSchema):
    version: int | None = None
    reason: str = ""


class ProgressOut(Schema):
    total: int
    assigned: int
    scored: int
    by_reason: dict[str, int]


class RoundOut(Schema):
    id: int
    owner_id: int
    name: str
    year: int
    quarter: int
    sheet_id: int
    sample_share: int
    major_amount_threshold: Decimal
    flagged_mediator_ids: list[int]
    status: Annotated[str, codes(RoundStatus)]
    seed: int | None
    sampled_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int
    progress: ProgressOut


class ReviewOut(Schema):
    """A sampled file as its round lists it: numbers and names of organisations and staff."""

    id: int
    round_id: int
    case_id: int
    case_number: str
    committee_id: int
    committee_name: str
    reason: str
    reviewer_id: int | None
    reviewer_name: str
    status: Annotated[str, codes(ReviewStatus)]
    total: Decimal | None
    scored_at: dt.datetime | None
    version: int


class AssignIn(InputSchema):
    review_ids: list[int] = Field(max_length=1000)
    reviewer_id: int


class AutoAssignIn(InputSchema):
    reviewer_ids: list[int] | None = Field(
        None, description="limit the pool; by default every eligible reviewer of the area"
    )


class AutoAssignOut(Schema):
    assigned: int
    left: int


class ItemScoreIn(InputSchema):
    item_id: int
    score: Decimal
    note: str = Field("", max_length=300)


class ScoreIn(InputSchema):
    scores: list[ItemScoreIn]
    comments: str = ""
    version: int | None = None


class ItemScoreOut(Schema):
    item_id: int
    score: Decimal
    note: str


class PartyLineOut(Schema):
    role: str
    name: str = Field(description="surname only (张某)")


class CaseFileOut(Schema):
    """What the review needs of the case, and no personal data."""

    number: str
    dispute_type: str
    committee: str
    status: str
    ended_as: str
    registered_at: dt.datetime
    accepted_on: dt.date | None
    closed_on: dt.date | None
    archived_on: dt.date | None
    amount: Decimal | None
    presiding_mediator: str
    parties: list[PartyLineOut]
    documents: list[str]
    missing_documents: list[str]
    agreement_kind: str
    agreement_effective_on: dt.date | None
    investigations: int
    sessions: int
    follow_ups: int


class ReviewDetailOut(ReviewOut):
    comments: str
    items: list[ScoreItemOut]
    scores: list[ItemScoreOut]
    case_file: CaseFileOut


class GroupOut(Schema):
    id: int
    name: str
    reviewed: int
    average: Decimal | None
    minimum: Decimal | None
    lowest_items: list[tuple[str, Decimal]]


class ResultsOut(Schema):
    committees: list[GroupOut]
    mediators: list[GroupOut]


class RectificationIn(InputSchema):
    instructions: str
    deadline: dt.date


class RectificationMoveIn(InputSchema):
    action: Annotated[
        str,
        codes(
            RectificationAction, note="report (committee director), accept or send_back (bureau)."
        ),
    ]
    text: str = ""
    version: int | None = None


class RectificationOut(Schema):
    id: int
    review_id: int
    round_id: int
    case_number: str
    committee_id: int
    committee_name: str
    instructions: str
    deadline: dt.date
    overdue: bool
    status: Annotated[str, codes(RectificationStatus)]
    report: str
    requested_at: dt.datetime
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int
