"""API schemas of cases: ``<Entity>In`` for input, ``<Entity>Out`` for output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import (
    AgreementKind,
    CaseSource,
    CaseStatus,
    ConfirmationOutcome,
    DeclineReason,
    EndReason,
    FollowUpMethod,
    Gender,
    LedgerImportStatus,
    PartyKind,
    PartyRole,
    Performance,
    Satisfaction,
    TransferKind,
)
from tiaojie.cases.workflow import Action
from tiaojie.core.api import MAX_PARTIES, DisputeTypeCode, InputSchema, LocalDateTime, codes


class DisputeTypeOut(Schema):
    code: str
    name: str
    statistics_code: str
    valid_from: dt.date
    valid_to: dt.date | None


class PartyIn(InputSchema):
    role: Annotated[str, codes(PartyRole)]
    name: str = Field(max_length=120)
    kind: Annotated[str, codes(PartyKind)] = "person"
    gender: Annotated[str, codes(Gender, blank=True)] = ""
    ethnicity: str = Field("", max_length=20)
    birth_date: dt.date | None = None
    occupation: str = Field("", max_length=60)
    id_number: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=200)
    credit_code: str = Field("", max_length=30)
    legal_representative: str = Field("", max_length=60)
    agent_name: str = Field("", max_length=60)
    agent_phone: str = Field("", max_length=30)
    agent_authority: str = Field("", max_length=200)
    residence_id: int | None = Field(
        None, description="the community (committee or grid id) the party lives in"
    )


class PartyOut(Schema):
    """A party with ID number, phones and address masked (see the personal-data endpoint)."""

    id: int
    role: Annotated[str, codes(PartyRole)]
    kind: Annotated[str, codes(PartyKind)]
    name: str
    gender: Annotated[str, codes(Gender, blank=True)]
    ethnicity: str
    birth_date: dt.date | None
    occupation: str
    id_number: str
    phone: str
    address: str
    credit_code: str
    legal_representative: str
    agent_name: str
    agent_phone: str
    agent_authority: str
    residence_id: int | None


class PartySavedOut(PartyOut):
    """The party as saved, with what the clerk should know about it."""

    warnings: list[str] = Field(
        default_factory=list,
        description=(
            "Non-blocking warnings in zh-Hans, e.g. a name with a character no installed font "
            "can print (the printed documents show an empty box there). The data was saved."
        ),
    )


class CaseFieldsIn(InputSchema):
    dispute_type: DisputeTypeCode
    source: Annotated[str, codes(CaseSource)]
    summary: str = Field(max_length=200)
    narrative: str = ""
    requests: str = ""
    referral_body: str = Field("", max_length=120)
    referral_reference: str = Field("", max_length=80)
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    people_involved: int = 2
    is_complex: bool = False
    is_group: bool = False
    risk_notes: str = ""
    is_public: bool = False


class CaseIn(CaseFieldsIn):
    parties: list[PartyIn] = Field(min_length=1, max_length=MAX_PARTIES)


class CaseUpdateIn(CaseFieldsIn):
    version: int


class Ref(Schema):
    id: int
    name: str


class MediatorOut(Schema):
    id: int
    full_name: str
    is_presiding: bool


class AgreementOut(Schema):
    number: str
    kind: Annotated[str, codes(AgreementKind)]
    facts: str
    content: str
    performance_manner: str
    performance_place: str
    performance_deadline: dt.date | None
    formed_on: dt.date
    effective_on: dt.date | None
    missing: list[str]


class CaseSummaryOut(Schema):
    id: int
    number: str
    status: Annotated[str, codes(CaseStatus)]
    summary: str
    dispute_type: DisputeTypeCode
    committee: Ref
    registered_at: dt.datetime
    is_complex: bool
    is_group: bool


class CaseOut(CaseSummaryOut):
    source: Annotated[str, codes(CaseSource)]
    wished_committee: Ref | None = Field(
        None,
        description=(
            "The committee the applicant asked to mediate (People's Mediation Law art. 17), "
            "chosen online from the directory; routing proposes it first when it can take the "
            "dispute. Null: no wish recorded."
        ),
    )
    referral_body: str
    referral_reference: str
    narrative: str
    requests: str
    amount: Decimal | None
    people_involved: int
    risk_notes: str
    is_public: bool
    accepted_on: dt.date | None
    due_on: dt.date | None
    extended_to: dt.date | None
    closed_on: dt.date | None
    archived_on: dt.date | None
    performance: Annotated[str, codes(Performance, blank=True)]
    version: int
    parties: list[PartyOut]
    mediators: list[MediatorOut]
    agreement: AgreementOut | None
    allowed_actions: list[str]
    missing_documents: list[str]


class CaseCreatedOut(CaseOut):
    """The case as registered, with what the clerk should know about it."""

    warnings: list[str] = Field(
        default_factory=list,
        description=(
            "Non-blocking warnings in zh-Hans, e.g. a name with a character no installed font "
            "can print (the printed documents show an empty box there). The data was saved."
        ),
    )


class TransitionIn(InputSchema):
    action: Annotated[str, codes(Action)]
    reason: str = ""
    version: int | None = None
    decline_reason: Annotated[str, codes(DeclineReason)] | None = None
    end_reason: Annotated[str, codes(EndReason)] | None = None
    routes_told: bool | None = None
    mediator_ids: list[int] | None = None
    presiding_id: int | None = None
    chosen_by_parties: bool | None = None


class TransitionDataOut(Schema):
    """What a move recorded beyond who, when and why; which keys appear depends on the action
    (accept/route: the committee; decline: decline_reason; start_mediation: the mediators;
    reach_agreement: agreement_number; fail/terminate: end_reason, routes_told; extend: until;
    mediator_add/mediator_withdraw: mediator; transfer: the committees it moved between)."""

    model_config = {"extra": "allow"}

    committee_id: int | None = None
    committee_name: str | None = None
    number: str | None = None
    rule_id: int | None = None
    overridden: bool | None = None
    decline_reason: Annotated[str, codes(DeclineReason)] | None = None
    mediator_ids: list[int] | None = None
    presiding_id: int | None = None
    mediator_names: list[str] | None = None
    agreement_number: str | None = None
    routes_told: bool | None = None
    end_reason: Annotated[str, codes(EndReason)] | None = None
    until: dt.date | None = None
    mediator: str | None = None
    transfer_id: int | None = None
    kind: Annotated[str, codes(TransferKind)] | None = None
    from_committee_id: int | None = None
    from_committee_name: str | None = None


class TransitionOut(Schema):
    action: str
    from_status: Annotated[str, codes(CaseStatus, blank=True)]
    to_status: Annotated[str, codes(CaseStatus)]
    actor_name: str
    at: dt.datetime
    reason: str
    data: TransitionDataOut


class InvestigationIn(InputSchema):
    held_at: LocalDateTime
    place: str = Field(max_length=120)
    interviewee: str = Field(max_length=120)
    investigators: str = Field(max_length=120)
    recorder: str = Field(max_length=60)
    content: str


class SessionIn(InputSchema):
    held_at: LocalDateTime
    place: str = Field(max_length=120)
    parties_present: str = Field(max_length=200)
    participants: str = Field("", max_length=200)
    recorder: str = Field(max_length=60)
    content: str
    rights_told: bool = True


class AgreementIn(InputSchema):
    kind: Annotated[str, codes(AgreementKind)]
    facts: str
    content: str
    performance_manner: str = Field(max_length=200)
    performance_place: str = Field("", max_length=120)
    performance_deadline: dt.date | None = None
    formed_on: dt.date


class PartySignatureIn(InputSchema):
    party_id: int
    fingerprinted: bool = Field(
        True, description="A person pressed a fingerprint (ignored for an organisation: it seals)"
    )
    by_agent: bool = False


class SignatureIn(InputSchema):
    """The signatures of one sitting, recorded together or not at all: any parties
    (``parties``, or one ``party_id``), the mediator's (``mediator``) and the seal (``seal``)."""

    signed_on: dt.date
    parties: list[PartySignatureIn] = Field(default_factory=list)
    party_id: int | None = None
    mediator: bool = False
    seal: bool = False
    fingerprinted: bool = True
    by_agent: bool = False


class SignedPartyOut(Schema):
    party_id: int
    name: str
    kind: Annotated[str, codes(PartyKind)]
    signed: bool
    signed_on: dt.date | None
    fingerprinted: bool
    by_agent: bool


class AgreementStateOut(Schema):
    """Where the agreement stands after the call: who has signed, what is missing, whether it is
    in effect; the case moves to ``agreed`` when the last signature puts it in effect."""

    agreement_id: int
    number: str
    kind: Annotated[str, codes(AgreementKind)]
    parties: list[SignedPartyOut]
    mediator_signed_on: dt.date | None
    sealed_on: dt.date | None
    missing: list[str]
    in_effect: bool
    effective_on: dt.date | None
    case_status: Annotated[str, codes(CaseStatus)]
    case_version: int


class PerformanceIn(InputSchema):
    status: Annotated[str, codes(Performance)]
    recorded_on: dt.date
    note: str = Field("", max_length=200)


class ConfirmationIn(InputSchema):
    applied_on: dt.date
    court: str = Field(max_length=120)
    joint: bool


class DecisionIn(InputSchema):
    outcome: Annotated[str, codes(ConfirmationOutcome)]
    decided_on: dt.date
    ruling_number: str = Field(max_length=80)
    note: str = Field("", max_length=200)


class FollowUpIn(InputSchema):
    visited_on: dt.date
    method: Annotated[str, codes(FollowUpMethod)]
    party_visited: str = Field(max_length=120)
    performance: Annotated[str, codes(Performance)]
    satisfaction: Annotated[str, codes(Satisfaction)]
    escalation_risk: bool = False
    notes: str = ""


class ExtensionIn(InputSchema):
    until: dt.date
    reason: str = Field(max_length=200)
    parties_consent: bool


class Created(Schema):
    id: int
    case_version: int


class LedgerImportedOut(Schema):
    """A small ledger, imported at once."""

    created: int


class LedgerQueuedOut(Schema):
    """A large ledger, queued: follow it at ``GET /cases/import/{import_id}``."""

    import_id: int
    status: Annotated[str, codes(LedgerImportStatus)]


class LedgerErrorOut(Schema):
    row: int | None
    column: str
    reason: str


class LedgerImportOut(Schema):
    id: int
    file_name: str
    status: Annotated[str, codes(LedgerImportStatus)]
    total_rows: int
    done_rows: int
    progress: int
    created_cases: int
    errors: list[LedgerErrorOut]
    created_at: dt.datetime
    finished_at: dt.datetime | None
