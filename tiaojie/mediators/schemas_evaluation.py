"""Request and response bodies of evaluation, promotion and honours in the registry's API
(schema names carry ``Mediator``/``Evaluation`` so they stay unique across apps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.mediators.choices import (
    Criterion,
    HonourTitle,
    PromotionAction,
    PromotionStatus,
    StarStatus,
)


class EvaluationWeightItem(Schema):
    criterion: Annotated[str, codes(Criterion)]
    weight: int = Field(ge=0, le=100)
    target: Decimal | None = Field(
        None, max_digits=7, decimal_places=1, description="the figure that earns full marks"
    )


class EvaluationWeightItemIn(InputSchema):
    """A criterion's weight as sent: its own class, so the schema shows the number a client may
    send (the answer's ``EvaluationWeightItem`` gives the decimal as a string)."""

    criterion: Annotated[str, codes(Criterion)]
    weight: int = Field(ge=0, le=100)
    target: Decimal | None = Field(
        None, max_digits=7, decimal_places=1, description="the figure that earns full marks"
    )


class EvaluationWeightsIn(InputSchema):
    weights: list[EvaluationWeightItemIn] = Field(max_length=20)


class EvaluationRunIn(InputSchema):
    title: str = Field(max_length=80)
    starts_on: dt.date
    ends_on: dt.date


class EvaluationOut(Schema):
    id: int
    title: str
    owner_id: int
    starts_on: dt.date
    ends_on: dt.date
    weights: list[EvaluationWeightItem]


class EvaluationScoreOut(Schema):
    mediator_id: int
    name: str
    rank: int
    total: Decimal
    # {criterion: {"value": "85.0" or null, "points": "85.0"}}
    parts: dict[str, Any]


class EvaluationDetailOut(EvaluationOut):
    scores: list[EvaluationScoreOut]


class MediatorPromotionIn(InputSchema):
    to_grade_id: int
    grounds: str = Field(max_length=2000)


class MediatorPromotionDecisionIn(InputSchema):
    action: Annotated[str, codes(PromotionAction)]
    reason: str = Field("", max_length=500)
    version: int | None = None


class MediatorPromotionOut(Schema):
    id: int
    mediator_id: int
    from_grade_id: int | None
    to_grade_id: int
    grounds: str
    status: Annotated[str, codes(PromotionStatus)]
    version: int


class MediatorHonourIn(InputSchema):
    title: Annotated[str, codes(HonourTitle)]
    name: str = Field("", max_length=60)
    year: int
    awarded_by: str = Field(max_length=80)


class MediatorHonourOut(Schema):
    id: int
    mediator_id: int
    title: Annotated[str, codes(HonourTitle)]
    name: str
    year: int
    awarded_by: str


class CommitteeStandardOut(Schema):
    committee_id: int
    committee_name: str
    checked: bool
    met: list[str]
    missing: list[str]


class CommitteeStarIn(InputSchema):
    committee_id: int
    year: int
    stars: int
    met: list[str] = Field(default_factory=list, max_length=50)
    grounds: str = Field("", max_length=2000)


class CommitteeStarOut(Schema):
    id: int
    committee_id: int
    year: int
    stars: int
    met: list[str]
    status: Annotated[str, codes(StarStatus)]
    version: int


class CommitteeLocalityOut(Schema):
    code: str
    name: str
