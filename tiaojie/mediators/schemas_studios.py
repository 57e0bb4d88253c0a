"""Request and response bodies of the studios registry (schema names carry ``Studio`` so
they stay unique across apps)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiaojie.core.api import InputSchema, codes
from tiaojie.mediators.choices import StudioKind


class StudioOut(Schema):
    id: int
    version: int
    committee_id: int
    committee_name: str
    name: str
    kind: Annotated[str, codes(StudioKind)]
    mediator_id: int | None = Field(description="the lead mediator; always set for personal")
    mediator_name: str
    opened_on: dt.date
    closed_on: dt.date | None
    address: str
    hours: str


class StudioIn(InputSchema):
    committee_id: int
    name: str
    kind: Annotated[str, codes(StudioKind)]
    mediator_id: int | None = None
    opened_on: dt.date | None = None
    address: str = ""
    hours: str = ""


class StudioUpdateIn(InputSchema):
    name: str
    kind: Annotated[str, codes(StudioKind)]
    mediator_id: int | None = None
    opened_on: dt.date | None = None
    address: str = ""
    hours: str = ""
    version: int | None = Field(None, description="the version read")


class StudioCloseIn(InputSchema):
    closed_on: dt.date | None = None
    version: int | None = Field(None, description="the version read")
