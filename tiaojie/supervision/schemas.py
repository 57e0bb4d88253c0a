"""API schemas of supervision: ``<Entity>In`` for input, ``<Entity>Out`` for output."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import CaseStatus
from tiaojie.core.api import DisputeTypeCode, InputSchema, codes
from tiaojie.supervision.choices import CloseOutReason, SupervisionAction, SupervisionStatus
from tiaojie.supervision.trace import StepKind


class OrgRef(Schema):
    id: int
    name: str


class FiguresOut(Schema):
    carried_in: int
    new: int
    closed_out: int
    carried_out: int


class CloseOutOut(Schema):
    case_id: int
    closed_on: dt.date
    reason: str
    note: str
    closed_by: str
    at: dt.datetime


class LedgerItemOut(Schema):
    """One ledger row: parties by name only (never ID numbers, phones or addresses)."""

    id: int
    number: str
    registered_at: dt.datetime
    dispute_type: DisputeTypeCode
    parties: str
    summary: str
    committee: OrgRef
    responsible: str
    time_limit: dt.date | None
    status: Annotated[str, codes(CaseStatus)]
    supervision_id: int | None
    supervision_deadline: dt.date | None
    closed_on: dt.date | None
    close_out_reason: Annotated[str, codes(CloseOutReason, blank=True)]


class LedgerOut(Schema):
    organisation: OrgRef
    month: str = Field(description="YYYY-MM")
    frozen: bool = Field(description="the month is carried over: its figures are frozen")
    figures: FiguresOut
    count: int
    page: int
    page_size: int
    results: list[LedgerItemOut]


class CloseOutIn(InputSchema):
    reason: str = Field(description="agreement_performed, referred_on, declined, withdrawn, …")
    closed_on: dt.date | None = None
    note: str = Field("", max_length=200)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=200)


class ReopenedOut(Schema):
    case_id: int
    on_ledger: bool


class CarryOverIn(InputSchema):
    organisation_id: int
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")


class LedgerPeriodOut(Schema):
    organisation: OrgRef
    month: str
    carried_in: int
    new: int
    closed_out: int
    carried_out: int
    closed_at: dt.datetime
    closed_by: str


class SupervisionIn(InputSchema):
    deadline: dt.date | None = Field(None, description="a future working day; default from rules")
    instructions: str


class SupervisionTransitionIn(InputSchema):
    action: Annotated[str, codes(SupervisionAction, note="report, extend, close or escalate.")]
    reason: str = Field("", description="progress (report) or the reason (extend, escalate)")
    deadline: dt.date | None = Field(None, description="extend: the new deadline")
    outcome: str = Field("", description="close: how the supervision ends")
    version: int | None = None


class SupervisionReportOut(Schema):
    action: Annotated[str, codes(SupervisionAction)]
    author: str
    at: dt.datetime
    progress: str


class SupervisionSummaryOut(Schema):
    id: int
    case_id: int
    case_number: str
    committee: OrgRef
    supervising_org: OrgRef
    deadline: dt.date
    status: Annotated[str, codes(SupervisionStatus)]
    level: int
    overdue: bool


class SupervisionOut(SupervisionSummaryOut):
    opened_by: str
    opened_at: dt.datetime
    instructions: str
    outcome: str
    parent_id: int | None
    version: int
    reports: list[SupervisionReportOut]
    allowed_actions: list[str]


class PersonOut(Schema):
    id: int
    name: str


class StepOut(Schema):
    kind: Annotated[str, codes(StepKind)]
    status: Annotated[str, codes(CaseStatus, blank=True)]
    label: str
    organisation: OrgRef | None
    persons: list[PersonOut]
    start: dt.datetime
    end: dt.datetime | None
    calendar_days: int
    working_days: int
    deadline: dt.date | None
    missed: bool
    days_late: int
    supervision_id: int | None


class KindRowOut(Schema):
    kind: Annotated[str, codes(StepKind)]
    steps: int
    median_days: float
    max_days: int
    missed: int


class MissOut(Schema):
    case_id: int
    number: str
    kinds: list[str]


class TraceReportOut(Schema):
    subject: str
    start: dt.date
    end: dt.date
    steps: int
    missed: int
    truncated: bool
    rows: list[KindRowOut]
    cases: list[MissOut]
