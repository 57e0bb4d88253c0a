"""API schemas of screening (names prefixed Screening: schema names are global)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import DisputeTypeCode, InputSchema, codes
from tiaojie.screening.choices import (
    Decision,
    EscalationKind,
    FindingStatus,
    Frequency,
    Level,
    MatchedBy,
    RiskLevel,
    RoundStatus,
)


class ScreeningRoundOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    level: Annotated[str, codes(Level)]
    frequency: Annotated[str, codes(Frequency)]
    period_start: dt.date
    due_on: dt.date
    status: Annotated[str, codes(RoundStatus)]
    nil_report: bool
    findings_count: int
    reported_on: dt.date | None
    reported_late: bool
    assignee_id: int | None
    version: int


class ScreeningFindingIn(InputSchema):
    place: str = Field(max_length=120, description="required: where it was found")
    people: str = Field("", max_length=200)
    what: str = Field("", max_length=2000)
    risk: Annotated[str, codes(RiskLevel)] = RiskLevel.LOW
    client_key: str = Field(
        "",
        max_length=64,
        description="the sender's key for this report (or the Idempotency-Key header): sent "
        "again, the finding already recorded is answered (200) and nothing more is recorded",
    )
    # A phone's position and note travel with the report, into what was found.
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class ScreeningFindingOut(Schema):
    id: int
    round_id: int
    place: str
    people: str
    what: str
    risk: Annotated[str, codes(RiskLevel)]
    status: Annotated[str, codes(FindingStatus)]
    case_id: int | None
    close_reason: str
    created_at: dt.datetime
    version: int


class ScreeningReportIn(InputSchema):
    nil: bool = Field(description="a nil report (零报告): nothing was found this period")
    version: int | None = None


class ScreeningFindingCaseIn(InputSchema):
    dispute_type: DisputeTypeCode
    summary: str = Field(min_length=1, max_length=200)
    applicant: str = Field(min_length=1, max_length=100)
    respondent: str = Field(min_length=1, max_length=100)
    version: int | None = None


class ScreeningFindingCaseOut(Schema):
    finding: ScreeningFindingOut
    case_id: int
    case_number: str


class ScreeningFindingCloseIn(InputSchema):
    reason: str = Field(min_length=1, max_length=200)
    version: int | None = None


class ScreeningEscalationIn(InputSchema):
    kind: Annotated[str, codes(EscalationKind)]
    people: int = Field(ge=1, le=100_000)
    recorded_on: dt.date
    note: str = Field("", max_length=200)


class ScreeningEscalationOut(Schema):
    id: int
    case_id: int
    kind: Annotated[str, codes(EscalationKind)]
    people: int
    recorded_on: dt.date
    note: str


class ScreeningCampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    owner_id: int


class ScreeningProgressOut(Schema):
    organisation: str
    target: int
    screened: int
    resolved: int


class ScreeningDayOut(Schema):
    day: dt.date
    screened: int
    resolved: int


class ScreeningCampaignDetailOut(ScreeningCampaignOut):
    progress: list[ScreeningProgressOut]
    days: list[ScreeningDayOut]


class ScreeningCountIn(InputSchema):
    day: dt.date
    screened: int = Field(ge=0, le=1_000_000)
    resolved: int = Field(ge=0, le=1_000_000)


class ScreeningHotspotOut(Schema):
    committee_id: int
    committee: str
    dispute_type: DisputeTypeCode
    week: dt.date
    count: int
    baseline: float
    mean: float
    hot: bool


class ScreeningDuplicateOut(Schema):
    id: int
    first_case_id: int
    second_case_id: int
    matched_by: Annotated[str, codes(MatchedBy)]
    decision: Annotated[str, codes(Decision)]
    note: str
    version: int


class ScreeningDecisionIn(InputSchema):
    decision: Annotated[str, codes(Decision)]
    note: str = Field("", max_length=200)
    version: int | None = None
