"""Response schemas of the records kept on a case, as the API lists and reads them
(``cases/api_records.py``): their ids are what ``?record=`` of a document download needs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tiaojie.cases.choices import (
    CaseStatus,
    ConfirmationOutcome,
    FollowUpMethod,
    PartyRole,
    Performance,
    Satisfaction,
)
from tiaojie.cases.models.records import Attachment
from tiaojie.core.api import InputSchema, codes


class InvestigationOut(Schema):
    id: int
    held_at: dt.datetime
    place: str
    interviewee: str
    investigators: str
    recorder: str
    content: str
    created_at: dt.datetime


class SessionOut(Schema):
    id: int
    held_at: dt.datetime
    place: str
    parties_present: str
    participants: str
    recorder: str
    content: str
    rights_told: bool
    created_at: dt.datetime


class FollowUpOut(Schema):
    id: int
    visited_on: dt.date
    method: Annotated[str, codes(FollowUpMethod)]
    party_visited: str
    performance: Annotated[str, codes(Performance)]
    satisfaction: Annotated[str, codes(Satisfaction)]
    escalation_risk: bool
    notes: str
    visitor_name: str


class ConfirmationOut(Schema):
    id: int
    applied_on: dt.date
    court: str
    joint: bool
    outcome: Annotated[str, codes(ConfirmationOutcome)]
    ruling_number: str
    decided_on: dt.date | None
    note: str


class AttachmentOut(Schema):
    id: int
    kind: Annotated[str, codes(Attachment.Kind)]
    title: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_name: str
    uploaded_at: dt.datetime


class CaseMediatorOut(Schema):
    """One assignment of a mediator to the case; withdrawn ones stay on record."""

    id: int
    mediator_id: int
    full_name: str
    is_presiding: bool
    chosen_by_parties: bool
    assigned_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str


class MediatorAddIn(InputSchema):
    mediator_id: int = Field(description="an active mediator or the director of the committee")
    version: int | None = Field(None, description="the case's version you read (409 if stale)")


class MediatorWithdrawIn(InputSchema):
    reason: str = Field(max_length=200, description="why the mediator steps aside (回避)")
    version: int | None = Field(None, description="the case's version you read (409 if stale)")


class LookupIn(InputSchema):
    """ID numbers or phones as the clerk typed them: in the body, so that they stay out of
    URLs and access logs."""

    values: list[str] = Field(max_length=30, description="ID numbers or phone numbers")


class DuplicateOut(Schema):
    id: int
    number: str
    summary: str
    status: Annotated[str, codes(CaseStatus)]
    registered_at: dt.datetime


class AppearanceOut(Schema):
    """A party of an earlier case with the same ID number or phone (the name, never the
    number itself)."""

    party_id: int
    name: str
    role: Annotated[str, codes(PartyRole)]
    case_id: int
    case_number: str
    registered_at: dt.datetime
