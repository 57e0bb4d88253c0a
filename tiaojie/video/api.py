"""API of video mediation for the staff, on the same services and scope as the pages: the
rooms of a case, opening one, inviting a party (the link is returned once), closing it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Status

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Party
from tiaojie.core.api import ERRORS, caller
from tiaojie.video import selectors, services
from tiaojie.video.models import Participant, Room
from tiaojie.video.schemas import VideoInviteIn, VideoInviteOut, VideoRoomOut

router = Router(tags=["Video mediation"])


def _participant(p: Participant) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "label": p.label,
        "joined_at": p.joined_at,
        "consented_at": p.consented_at,
    }


def _room(room: Room) -> dict[str, Any]:
    return {
        "id": room.pk,
        "case_id": room.case_id,
        "status": room.status,
        "opened_at": room.opened_at,
        "closed_at": room.closed_at,
        "room_url": reverse("video:room", args=[room.pk]),
        "participants": [_participant(p) for p in room.participants.all()],
        "recordings": [
            {
                "id": r.pk,
                "attachment_id": r.attachment_id,
                "title": r.attachment.title,
                "size": r.attachment.size,
                "sha256": r.attachment.sha256,
                "saved_at": r.saved_at,
            }
            for r in room.recordings.select_related("attachment")
        ],
    }


@router.get(
    "/video/cases/{id:case_id}/rooms",
    response={200: list[VideoRoomOut], **ERRORS},
    operation_id="video_rooms_list",
)
def video_rooms_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_or_404(caller(request, Capability.CASE_CONTENT), case_id)
    return [_room(room) for room in selectors.rooms_of(case)]


@router.post(
    "/video/cases/{id:case_id}/rooms",
    response={201: VideoRoomOut, **ERRORS},
    operation_id="video_room_open",
)
def video_room_open(request: HttpRequest, case_id: int) -> Status[dict[str, Any]]:
    """Open a room for the case (its mediators; not for a case that has ended)."""
    actor = caller(request, Capability.CASE_HANDLE)
    case = selectors.case_or_404(actor, case_id)
    return Status(201, _room(services.room_open(actor=actor, case=case)))


@router.post(
    "/video/rooms/{id:room_id}/invitations",
    response={200: VideoInviteOut, **ERRORS},
    operation_id="video_party_invite",
)
def video_party_invite(request: HttpRequest, room_id: int, body: VideoInviteIn) -> dict[str, Any]:
    """Seat a party and text them their link; the link is in the answer once, never again."""
    actor = caller(request, Capability.CASE_HANDLE)
    room = selectors.room_or_404(actor, room_id)
    party = get_object_or_404(Party, case=room.case, pk=body.party_id)
    participant, link = services.party_invite(
        actor=actor, room=room, party=party, site_url=request.build_absolute_uri("/")
    )
    return {"participant": _participant(participant), "link": link}


@router.post(
    "/video/rooms/{id:room_id}/close",
    response={200: VideoRoomOut, **ERRORS},
    operation_id="video_room_close",
)
def video_room_close(request: HttpRequest, room_id: int) -> dict[str, Any]:
    actor = caller(request, Capability.CASE_HANDLE)
    room = selectors.room_or_404(actor, room_id)
    return _room(services.room_close(actor=actor, room=room))
