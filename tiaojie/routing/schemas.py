"""API schemas of routing: ``<Entity>In`` for input, ``<Entity>Out`` for output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import CaseStatus
from tiaojie.core.api import DisputeTypeCode, InputSchema, codes
from tiaojie.organisations.choices import OrganisationKind, Sector
from tiaojie.routing.choices import Spread, Tier, TransferAction, TransferKind, TransferStatus


class RoutingRef(Schema):
    id: int
    name: str


class RoutingRuleIn(InputSchema):
    name: str = Field(max_length=80)
    priority: int = Field(ge=0)
    tier: Annotated[str, codes(Tier)]
    active: bool = True
    dispute_types: list[DisputeTypeCode] = Field(
        default_factory=list, description="codes; empty: any type"
    )
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    parties_min: int | None = None
    parties_max: int | None = None
    people_min: int | None = None
    requires_group: bool | None = None
    requires_complex: bool | None = None
    requires_risk: bool | None = None
    spread: Annotated[str, codes(Spread)] = "any"
    sector: Annotated[str, codes(Sector, blank=True)] = ""
    committee_id: int | None = None


class RoutingRuleUpdateIn(RoutingRuleIn):
    version: int


class RoutingRuleOut(Schema):
    id: int
    owner: RoutingRef
    name: str
    priority: int
    active: bool
    dispute_types: list[DisputeTypeCode]
    amount_min: Decimal | None
    amount_max: Decimal | None
    parties_min: int | None
    parties_max: int | None
    people_min: int | None
    requires_group: bool | None
    requires_complex: bool | None
    requires_risk: bool | None
    spread: Annotated[str, codes(Spread)]
    tier: Annotated[str, codes(Tier)]
    sector: Annotated[str, codes(Sector, blank=True)]
    committee: RoutingRef | None
    version: int


class RoutingVersionIn(InputSchema):
    version: int | None = None


class MediatorSuggestionOut(Schema):
    id: int
    full_name: str
    expert: bool
    load: int
    local: bool
    why: str


class RoutingWishOut(Schema):
    """The committee the applicant asked for (ADR 0041) and whether triage proposes it."""

    committee: RoutingRef
    followed: bool = Field(description="true: it is the suggested committee")
    note: str = Field(description="why it is proposed, or why not (zh-Hans)")


class TriageOut(Schema):
    rule: RoutingRef | None
    committee: RoutingRef | None
    reasons: list[str]
    target_note: str
    notes: list[str]
    wish: RoutingWishOut | None = None
    mediators: list[MediatorSuggestionOut]


class QueuedCaseOut(Schema):
    id: int
    number: str
    summary: str
    dispute_type: DisputeTypeCode
    centre: RoutingRef
    registered_at: dt.datetime
    waited_hours: int
    suggestion: TriageOut


class RouteIn(InputSchema):
    committee_id: int | None = Field(
        None, description="another committee than suggested (an override: reason required)"
    )
    reason: str = Field("", max_length=500)
    version: int | None = None


class RoutedOut(Schema):
    id: int
    number: str
    status: Annotated[str, codes(CaseStatus)]
    committee: RoutingRef
    overridden: bool
    rule_id: int | None


class TransferIn(InputSchema):
    to_organisation_id: int
    kind: Annotated[str, codes(TransferKind)] = "transfer"
    reason: str = Field(max_length=200)


class TransferDecisionIn(InputSchema):
    action: Annotated[str, codes(TransferAction)]
    reason: str = Field("", max_length=200)


class TransferOut(Schema):
    id: int
    case_id: int
    case_number: str
    from_committee: RoutingRef
    to_organisation: RoutingRef
    kind: Annotated[str, codes(TransferKind)]
    reason: str
    status: Annotated[str, codes(TransferStatus)]
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    version: int


class JointIn(InputSchema):
    committee_id: int
    reason: str = Field("", max_length=200)


class JointOut(Schema):
    committee: RoutingRef
    joined_at: dt.datetime
    reason: str


class ExpertiseIn(InputSchema):
    dispute_types: list[DisputeTypeCode] = Field(description="codes")


class ExpertiseOut(Schema):
    mediator: RoutingRef
    dispute_types: list[DisputeTypeCode]


class CentreIn(InputSchema):
    is_governance_centre: bool
    channels: list[str] = Field(default_factory=list)
    version: int


class CentreOut(Schema):
    id: int
    name: str
    kind: Annotated[str, codes(OrganisationKind)]
    is_governance_centre: bool
    channels: list[str]
    version: int
