from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.organisations.choices import (
    CommitteeKind,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    Station,
)


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: Annotated[str, codes(OrganisationKind)]
    kind_label: str
    committee_kind: Annotated[str, codes(CommitteeKind, blank=True)]
    sector: Annotated[str, codes(Sector, blank=True)]
    station: Annotated[str, codes(Station, blank=True)]
    parent_id: int | None
    depth: int
    division_code: str
    address: str
    phone: str
    longitude: Decimal | None
    latitude: Decimal | None
    supervising_office_id: int | None
    established_on: dt.date | None
    status: Annotated[str, codes(OrganisationStatus)]
    status_changed_on: dt.date | None
    merged_into_id: int | None
    brand_name: str
    version: int


class OrganisationFieldsIn(InputSchema):
    name: str = Field(max_length=120)
    short_name: str = Field("", max_length=40)
    committee_kind: Annotated[str, codes(CommitteeKind, blank=True)] = ""
    sector: Annotated[str, codes(Sector, blank=True)] = ""
    station: Annotated[str, codes(Station, blank=True)] = ""
    division_code: str = Field("", max_length=12)
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    established_on: dt.date | None = None
    brand_name: str = Field("", max_length=80)


class OrganisationCreateIn(OrganisationFieldsIn):
    parent_id: int
    kind: Annotated[str, codes(OrganisationKind)]


class OrganisationUpdateIn(OrganisationFieldsIn):
    version: int


class OrganisationStatusIn(InputSchema):
    status: Annotated[str, codes(OrganisationStatus)]
    status_changed_on: dt.date | None = None
    merged_into_id: int | None = None
    reason: str = Field(min_length=1, max_length=200)
    version: int


class OrganisationMoveIn(InputSchema):
    parent_id: int
    reason: str = Field(min_length=1, max_length=200)
    version: int


class TreeImportOut(Schema):
    created: int
