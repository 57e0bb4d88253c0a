"""API schemas of video mediation (the staff's operations; the browsers' signalling and the
recording go through the room pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tiaojie.core.api import InputSchema, codes
from tiaojie.video.choices import ParticipantKind, RoomStatus


class VideoParticipantOut(Schema):
    id: int
    kind: Annotated[str, codes(ParticipantKind)]
    label: str = Field(description="role and masked name, as the others in the room see it")
    joined_at: dt.datetime | None
    consented_at: dt.datetime | None = Field(description="when they agreed to recording")


class VideoRecordingOut(Schema):
    id: int
    attachment_id: int
    title: str
    size: int
    sha256: str
    saved_at: dt.datetime


class VideoRoomOut(Schema):
    id: int
    case_id: int
    status: Annotated[str, codes(RoomStatus)]
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    room_url: str = Field(description="the mediator's room page")
    participants: list[VideoParticipantOut]
    recordings: list[VideoRecordingOut]


class VideoInviteIn(InputSchema):
    party_id: int


class VideoInviteOut(Schema):
    participant: VideoParticipantOut
    link: str = Field(description="the party's own link, shown once (also texted to them)")
