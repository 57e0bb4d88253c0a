"""Request and response bodies of the registry's API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.cases.choices import Gender
from tiaojie.core.api import MAX_ITEMS, DisputeTypeCode, InputSchema, codes
from tiaojie.mediators.choices import (
    CourseKind,
    CourseMode,
    Education,
    Employment,
    MediatorAction,
    MediatorStatus,
    MembershipRole,
    PoliticalStatus,
    Source,
)
from tiaojie.organisations.choices import CommitteeKind


class MembershipOut(Schema):
    id: int
    committee_id: int
    committee_name: str
    role: Annotated[str, codes(MembershipRole)]
    since: dt.date
    until: dt.date | None


class MediatorRecordOut(Schema):
    """A mediator; ``id_number``, ``phone`` and ``address`` masked (see ``/reveal``)."""

    id: int
    version: int
    name: str
    gender: Annotated[str, codes(Gender, blank=True)]
    birth_date: dt.date | None
    id_number: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str = Field(description="masked")
    employment: Annotated[str, codes(Employment)]
    source: Annotated[str, codes(Source)]
    education: Annotated[str, codes(Education, blank=True)]
    political_status: Annotated[str, codes(PoliticalStatus, blank=True)]
    certificate_number: str
    certified: bool
    grade_id: int | None
    grade_name: str
    expertise: list[str] = Field(description="dispute type codes")
    user_id: int | None
    status: Annotated[str, codes(MediatorStatus)]
    status_since: dt.date
    joined_on: dt.date
    left_on: dt.date | None
    memberships: list[MembershipOut]


class MediatorRecordIn(InputSchema):
    """What a mediator's record says. The ID number is checked with its check digit and
    identifies the person: one registered already answers 422 on ``id_number``."""

    name: str = Field(max_length=60)
    id_number: str = Field(max_length=30)
    employment: Annotated[str, codes(Employment)]
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=200)
    source: Annotated[str, codes(Source)] = Source.OTHER
    education: Annotated[str, codes(Education, blank=True)] = ""
    political_status: Annotated[str, codes(PoliticalStatus, blank=True)] = ""
    certificate_number: str = Field("", max_length=40)
    certified: bool = False
    grade_id: int | None = Field(None, description="a grade of the bureau's ladder")
    expertise: list[DisputeTypeCode] = Field(default_factory=list, max_length=MAX_ITEMS)
    joined_on: dt.date | None = None
    user_id: int | None = Field(None, description="the mediator's account, if they sign in")


class MediatorRecordCreateIn(MediatorRecordIn):
    committee_id: int
    role: Annotated[str, codes(MembershipRole)] = MembershipRole.MEMBER


class MediatorRecordUpdateIn(MediatorRecordIn):
    version: int = Field(description="the version read; a stale one answers 409")


class PersonalOut(Schema):
    id_number: str
    phone: str
    address: str


class MediatorTransitionIn(InputSchema):
    action: Annotated[str, codes(MediatorAction)]
    reason: str = Field("", max_length=500)
    on: dt.date | None = Field(None, description="the day it takes effect; default today")
    version: int | None = None


class MembershipIn(InputSchema):
    committee_id: int
    role: Annotated[str, codes(MembershipRole)] = MembershipRole.MEMBER
    since: dt.date | None = None


class MembershipEndIn(InputSchema):
    until: dt.date | None = None


class GradeOut(Schema):
    id: int
    bureau_id: int
    name: str
    rank: int


class LadderIn(InputSchema):
    grades: list[Annotated[str, Field(max_length=20)]] = Field(
        max_length=MAX_ITEMS, description="names, lowest first"
    )


class RosterImportOut(Schema):
    people: int
    memberships: int


class AttendanceImportOut(Schema):
    records: int


class CourseIn(InputSchema):
    title: str = Field(max_length=120)
    kind: Annotated[str, codes(CourseKind)]
    mode: Annotated[str, codes(CourseMode)]
    hours: Decimal = Field(max_digits=5, decimal_places=1, description="more than 0")
    starts_on: dt.date
    ends_on: dt.date
    teachers: str = Field("", max_length=200)


class CourseOut(Schema):
    id: int
    owner_id: int
    title: str
    kind: Annotated[str, codes(CourseKind)]
    mode: Annotated[str, codes(CourseMode)]
    hours: Decimal
    starts_on: dt.date
    ends_on: dt.date
    teachers: str


class AttendanceIn(InputSchema):
    course_id: int = Field(description="a course the caller can see; another answers 422")
    mediator_ids: list[int] = Field(max_length=MAX_ITEMS)
    hours: Decimal | None = Field(
        None, max_digits=5, decimal_places=1, description="default: the course's hours"
    )


class AttendanceOut(Schema):
    id: int
    course_id: int
    mediator_id: int
    hours: Decimal


class GapOut(Schema):
    mediator_id: int
    name: str
    joined_on: dt.date
    last_trained: dt.date | None
    due_since: dt.date


class CoverageOut(Schema):
    period_months: int
    new_mediator_days: int
    active: int
    untrained: list[GapOut]
    new_untrained: list[GapOut]


class HoursOut(Schema):
    mediator_id: int
    name: str
    courses: int
    hours: Decimal


class TrainingRuleIn(InputSchema):
    period_months: int = Field(ge=1, le=120)
    new_mediator_days: int = Field(ge=1, le=730)


class TrainingRuleOut(Schema):
    period_months: int
    new_mediator_days: int


class NormIn(InputSchema):
    committee_kind: Annotated[str, codes(CommitteeKind, blank=True)] = ""
    min_full_time: int = Field(ge=0, le=100)
    min_total: int = Field(ge=0, le=100)


class NormOut(Schema):
    bureau_id: int
    committee_kind: Annotated[str, codes(CommitteeKind, blank=True)]
    min_full_time: int
    min_total: int


class ShortfallOut(Schema):
    committee_id: int
    committee_name: str
    full_time: int
    total: int
    min_full_time: int
    min_total: int


class PolicyIn(InputSchema):
    insurer: str = Field(max_length=80)
    number: str = Field(max_length=60)
    cover: Decimal = Field(max_digits=12, decimal_places=2, description="元")
    starts_on: dt.date
    ends_on: dt.date


class PolicyOut(Schema):
    id: int
    mediator_id: int
    insurer: str
    number: str
    cover: Decimal
    starts_on: dt.date
    ends_on: dt.date


class ExpiringOut(Schema):
    mediator_id: int
    name: str
    ends_on: dt.date


class UninsuredOut(Schema):
    mediator_id: int
    name: str


class InsuranceOut(Schema):
    uninsured: list[UninsuredOut]
    expiring: list[ExpiringOut]
