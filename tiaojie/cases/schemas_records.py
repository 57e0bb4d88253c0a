"""Response schemas of the records kept on a case, as the API lists and reads them
(``cases/api_records.py``): their ids are what ``?record=`` of a document download needs."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


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
    method: str
    party_visited: str
    performance: str
    satisfaction: str
    escalation_risk: bool
    notes: str
    visitor_name: str


class ConfirmationOut(Schema):
    id: int
    applied_on: dt.date
    court: str
    joint: bool
    outcome: str
    ruling_number: str
    decided_on: dt.date | None
    note: str


class AttachmentOut(Schema):
    id: int
    kind: str
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
