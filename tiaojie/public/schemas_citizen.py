"""Schemas of the citizen API (the mini-program): every class is named ``Citizen…`` so that
the OpenAPI components never clash with the staff's."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tiaojie.cases.choices import AgreementKind, CaseStatus, PartyKind
from tiaojie.core.api import DisputeTypeCode, InputSchema, codes
from tiaojie.mediators.choices import StudioKind
from tiaojie.public.choices import Answer, Sender


class CitizenCodeIn(InputSchema):
    phone: str = Field(max_length=20, description="mainland mobile number, 11 digits")


class CitizenSentOut(Schema):
    sent: bool = Field(description="always true: the same answer for known and unknown numbers")


class CitizenTokenIn(InputSchema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=6, description="the six digits texted")


class CitizenTokenOut(Schema):
    token: str = Field(description="send as Authorization: Bearer <token>; shown once")
    expires_at: dt.datetime
    verified: bool = Field(description="false: give the real name before applying")


class CitizenMeOut(Schema):
    phone: str = Field(description="masked")
    name: str
    verified: bool


class CitizenRealNameIn(InputSchema):
    name: str = Field(max_length=60)
    id_number: str = Field(max_length=24)


class CitizenDisputeTypeOut(Schema):
    code: str
    name: str


class CitizenOptionOut(Schema):
    value: str
    label: str


class CitizenQuestionOut(Schema):
    id: str
    text: str
    hint: str
    options: list[CitizenOptionOut] = Field(description="empty: answer in words")


class CitizenQaOut(Schema):
    question: str
    answer: str


class CitizenInterviewOut(Schema):
    dispute_type: DisputeTypeCode | None = None
    answered: list[CitizenQaOut]
    question: CitizenQuestionOut | None = Field(description="null: the interview is finished")


class CitizenStartIn(InputSchema):
    dispute_type: DisputeTypeCode


class CitizenAnswerIn(InputSchema):
    question: str = Field(max_length=40, description="the id of the question being answered")
    value: str = Field(max_length=2000)


class CitizenApplyIn(InputSchema):
    summary: str = Field(max_length=200, description="the dispute in one sentence")
    requests: str = Field(max_length=2000, description="what the applicant asks for")
    amount: str = Field("", max_length=20, description="yuan, if any")
    respondent_kind: Annotated[str, codes(PartyKind)] = PartyKind.PERSON
    respondent_name: str = Field(max_length=120)
    respondent_phone: str = Field("", max_length=20, description="texted a link if given")
    committee_id: int | None = Field(None, ge=1, description="a committee of the directory")
    mediator_id: int | None = Field(None, ge=1, description="a mediator of the directory")
    centre_id: int | None = Field(None, ge=1, description="a centre: routing decides")


class CitizenApplicationOut(Schema):
    id: int = Field(description="the case's id: the path of every operation on it")
    number: str
    summary: str
    dispute_type: DisputeTypeCode
    dispute_type_name: str
    committee: str
    wished_committee: str = Field(
        "", description="the committee the applicant asked for (empty: none), ADR 0041"
    )
    status: Annotated[str, codes(CaseStatus)]
    status_text: str = Field(description="the status in plain words")
    applied_at: dt.datetime


class CitizenOtherPartyOut(Schema):
    role_name: str
    name: str = Field(description="masked")
    phone: str = Field(description="masked; empty when unknown")


class CitizenEvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class CitizenBookingOut(Schema):
    id: int
    starts_at: dt.datetime
    minutes: int


class CitizenAgreementOut(Schema):
    number: str
    formed_on: dt.date | None
    kind: Annotated[str, codes(AgreementKind)]
    content: str
    performance_manner: str
    performance_deadline: dt.date | None


class CitizenRatingOut(Schema):
    score: int
    comment: str
    is_complaint: bool


class CitizenCaseOut(CitizenApplicationOut):
    progress: list[str] = Field(description="the steps reached, in plain words")
    other_parties: list[CitizenOtherPartyOut]
    evidence: list[CitizenEvidenceOut]
    bookings: list[CitizenBookingOut]
    bookable: bool
    agreement: CitizenAgreementOut | None
    may_sign: bool
    sign_waits_for: str = Field(
        "", description="why signing must wait (e.g. no mediation session recorded yet); empty"
    )
    signed: bool
    signed_pdf: bool = Field(description="the sealed, signed PDF can be downloaded")
    rating: CitizenRatingOut | None
    may_rate: bool


class CitizenMessageOut(Schema):
    id: int
    sender: Annotated[str, codes(Sender)]
    text: str
    created_at: dt.datetime


class CitizenMessageIn(InputSchema):
    text: str = Field(max_length=2000)


class CitizenSlotOut(Schema):
    id: int
    starts_at: dt.datetime
    minutes: int
    mediator: str


class CitizenBookIn(InputSchema):
    slot_id: int = Field(ge=1)


class CitizenSignIn(InputSchema):
    signature: str = Field(max_length=420_000, description="data:image/png;base64,…")
    code: str = Field(max_length=6)


class CitizenRatingIn(InputSchema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)
    is_complaint: bool = False


class CitizenRespondentOut(Schema):
    committee: str
    dispute_type_name: str
    status_text: str
    step: str | None = Field(description="agrees, proposed_time, statement; null: answered")
    agrees: Annotated[str, codes(Answer)] | None
    has_agreement: bool


class CitizenRespondentIn(InputSchema):
    step: str = Field(max_length=20)
    value: str = Field(max_length=2000)


class CitizenRespondentAgreementOut(Schema):
    """The written agreement as the respondent's signing page shows it (the facts included)."""

    number: str
    formed_on: dt.date | None
    facts: str
    content: str
    performance_manner: str
    performance_deadline: dt.date | None


class CitizenRespondentSigningOut(Schema):
    status_text: str
    agreement: CitizenRespondentAgreementOut | None = Field(
        description="null: no written agreement to sign on this case"
    )
    may_sign: bool = Field(
        description="in mediation, not yet signed by this party, nor by the mediator, nor sealed"
    )
    signed_on: dt.date | None = Field(description="the day this party signed; null: not yet")
    signed_pdf: bool = Field(description="sealed: the signed PDF can be downloaded")
    sha256: str = Field(description="the signed PDF's SHA-256 once sealed, else empty")


class CitizenHoursOut(Schema):
    weekday: int = Field(description="0 Monday … 6 Sunday")
    weekday_name: str
    opens: dt.time
    closes: dt.time


class CitizenDirectoryMediatorOut(Schema):
    id: int
    name: str
    grade: str
    expertise: list[str]
    committee_id: int


class CitizenDirectoryStudioOut(Schema):
    name: str
    kind: Annotated[str, codes(StudioKind)]
    kind_name: str = Field(description="品牌调解室 or 个人调解工作室, as shown")
    mediator: str = Field(description="the lead mediator's name (empty when none or not active)")


class CitizenDirectoryCommitteeOut(Schema):
    id: int
    name: str
    kind_name: str
    brand_name: str = Field(description="brand room or personal studio, if any")
    district_id: int | None
    district: str
    street_id: int | None
    street: str
    address: str
    phone: str = Field(description="the committee's office phone as published")
    hours: list[CitizenHoursOut]
    mediators: list[CitizenDirectoryMediatorOut]
    studios: list[CitizenDirectoryStudioOut] = Field(
        description="open brand rooms and personal studios of the registry"
    )


class CitizenPlaceOut(Schema):
    id: int
    name: str


class CitizenStreetOut(Schema):
    id: int
    name: str
    district_id: int | None


class CitizenDirectoryOut(Schema):
    districts: list[CitizenPlaceOut] = Field(description="every district listed (for filtering)")
    streets: list[CitizenStreetOut]
    committees: list[CitizenDirectoryCommitteeOut]
