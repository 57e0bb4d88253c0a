"""Request and response bodies of expert pools and consultations (schema names carry
``Expert`` so they stay unique across apps). Outside experts' personal data is masked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import DisputeTypeCode, InputSchema, codes
from tiaojie.mediators.choices import ExpertAction, ExpertStatus, OpinionFollowed, Profession


class ExpertPoolIn(InputSchema):
    name: str = Field(max_length=80)
    dispute_types: list[DisputeTypeCode] = Field(max_length=50)
    description: str = Field("", max_length=2000)
    version: int | None = Field(None, description="on a change: the version read")


class ExpertPoolOut(Schema):
    id: int
    version: int
    name: str
    owner_id: int
    owner_name: str
    dispute_types: list[DisputeTypeCode]
    description: str
    active_members: int


class ExpertMemberIn(InputSchema):
    """A registered mediator (``mediator_id``), or an outside expert (name, profession, ID
    number)."""

    mediator_id: int | None = None
    name: str = Field("", max_length=60)
    profession: Annotated[str, codes(Profession)] = ""
    field: str = Field(max_length=80, description="the field of expertise, e.g. 心血管内科")
    employer: str = Field("", max_length=120)
    title: str = Field("", max_length=40)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    since: dt.date | None = None


class ExpertMemberOut(Schema):
    id: int
    version: int
    pool_id: int
    mediator_id: int | None
    name: str
    profession: Annotated[str, codes(Profession)]
    field: str
    employer: str
    title: str
    id_number: str = Field(description="masked")
    phone: str = Field(description="masked")
    status: Annotated[str, codes(ExpertStatus)]
    since: dt.date
    status_since: dt.date
    left_on: dt.date | None


class ExpertMoveIn(InputSchema):
    action: Annotated[str, codes(ExpertAction)]
    reason: str = Field("", max_length=500)
    on: dt.date | None = Field(None, description="the day it takes effect; default today")
    version: int | None = None


class ExpertPersonalOut(Schema):
    id_number: str
    phone: str


class ExpertConsultationIn(InputSchema):
    expert_id: int
    question: str = Field(max_length=4000)
    asked_on: dt.date
    opinion: str = Field("", max_length=8000)
    answered_on: dt.date | None = None
    followed: Annotated[str, codes(OpinionFollowed)] = ""


class ExpertOpinionIn(InputSchema):
    opinion: str = Field(max_length=8000)
    answered_on: dt.date | None = None
    followed: Annotated[str, codes(OpinionFollowed)] = ""
    version: int | None = None


class ExpertConsultationOut(Schema):
    id: int
    version: int
    case_id: int
    expert_id: int
    expert_name: str
    expert_profession: Annotated[str, codes(Profession)]
    expert_field: str
    pool_name: str
    asked_on: dt.date
    question: str
    opinion: str
    answered_on: dt.date | None
    followed: Annotated[str, codes(OpinionFollowed)]
