"""Request and response bodies of mediators' associations (schema names carry
``Association`` so they stay unique across apps)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.mediators.choices import AssociationRole


class AssociationOut(Schema):
    id: int
    name: str
    area_id: int | None = Field(description="the bureau whose committees and mediators may join")
    area_name: str
    current_members: int


class AssociationMemberOut(Schema):
    id: int
    version: int
    association_id: int
    association_name: str
    committee_id: int | None
    mediator_id: int | None
    name: str = Field(description="the committee's or the mediator's name")
    role: Annotated[
        str,
        codes(AssociationRole, blank=True, note="The mediator's office; empty for a committee."),
    ]
    joined: dt.date
    left: dt.date | None


class AssociationCommitteeIn(InputSchema):
    committee_id: int
    joined: dt.date | None = None


class AssociationMediatorIn(InputSchema):
    mediator_id: int
    role: Annotated[str, codes(AssociationRole)] = AssociationRole.MEMBER
    joined: dt.date | None = None


class AssociationMemberEndIn(InputSchema):
    left: dt.date | None = None
    version: int | None = Field(None, description="the version read")
