"""API schemas of the public side (the staff's operations; citizens use the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tiaojie.core.api import InputSchema, codes
from tiaojie.public.choices import Answer, Sender


class EngagementOut(Schema):
    invited: int
    answered: int
    both: int
    proxy: int
    rate: float | None = Field(description="both / invited; null when nobody was invited")


class MessageOut(Schema):
    id: int
    sender: Annotated[str, codes(Sender)]
    author_name: str
    text: str
    created_at: dt.datetime


class MessageIn(InputSchema):
    text: str = Field(max_length=2000)


class InvitationOut(Schema):
    id: int
    party_id: int
    sent_at: dt.datetime
    opened_at: dt.datetime | None
    agrees: Annotated[str, codes(Answer)] | None
    proposed_time: str
    statement: str
    answered_at: dt.datetime | None
    by_proxy: bool
