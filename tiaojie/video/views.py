"""Video mediation's pages: the panel on the case page, the mediator's room, the party's room
behind their link, and the small JSON exchange (poll, signal, consent) both rooms' script uses.

The browsers talk to each other directly (WebRTC); what passes through here is only how to
reach each other: offers, answers and network candidates, polled about once a second. That
needs no WebSocket server, so the application deploys as before (docs/video.md; ADR 0029).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.choices import OPEN_STATUSES
from tiaojie.cases.models import Party
from tiaojie.cases.rules import may_work_on
from tiaojie.core.access import PUBLIC, access
from tiaojie.core.errors import DomainError
from tiaojie.core.middleware import PERMISSIONS_POLICY
from tiaojie.core.types import AuthedRequest
from tiaojie.video import selectors, services
from tiaojie.video.choices import RoomStatus
from tiaojie.video.models import Participant, Room

# The one place the camera and microphone are wanted: the room pages, for this site only.
ROOM_PERMISSIONS = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)").replace(
    "microphone=()", "microphone=(self)"
)


def _room_page(response: HttpResponse) -> HttpResponse:
    response["Permissions-Policy"] = ROOM_PERMISSIONS
    return response


def _handles(request: AuthedRequest, room: Room) -> bool:
    return request.user.can(Capability.CASE_HANDLE) and may_work_on(request.user, room.case)


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The case page's panel: the video rooms held and the recordings kept."""
    case = selectors.case_or_404(request.user, pk)
    context = {
        "case": case,
        "rooms": selectors.rooms_of(case),
        "recordings": selectors.recordings_of(case),
        "may_open": request.user.can(Capability.CASE_HANDLE)
        and may_work_on(request.user, case)
        and case.status in OPEN_STATUSES,
    }
    return render(request, "video/case_panel.html", context)


@require_POST
@access(Capability.CASE_HANDLE)
def room_open(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    try:
        room = services.room_open(actor=request.user, case=case)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:case_detail", pk=case.pk)
    return redirect("video:room", room_id=room.pk)


@access(Capability.CASE_HANDLE)
def room(request: AuthedRequest, room_id: int) -> HttpResponse:
    """The mediator's room: the videos, who is here and who consented, invitations, recording."""
    room = selectors.room_or_404(request.user, room_id)
    seat = None
    if room.status == RoomStatus.OPEN and _handles(request, room):
        seat = services.staff_seat(actor=request.user, room=room)
    context = _staff_context(request, room, seat)
    return _room_page(render(request, "video/room.html", context))


def _staff_context(
    request: AuthedRequest, room: Room, seat: Participant | None, **extra: Any
) -> dict[str, Any]:
    seated = {p.party_id: p for p in room.participants.all() if p.party_id}
    parties = [
        (party, services.party_label(party), seated.get(party.pk))
        for party in Party.objects.filter(case=room.case)
    ]
    return {
        "room": room,
        "case": room.case,
        "seat": seat,
        "parties": parties,
        "recordings": room.recordings.select_related("attachment"),
        "may_act": seat is not None,
        **extra,
    }


@require_POST
@access(Capability.CASE_HANDLE)
def invite(request: AuthedRequest, room_id: int) -> HttpResponse:
    room = selectors.room_or_404(request.user, room_id)
    party_id = _int(request.POST.get("party"))
    party = Party.objects.filter(case=room.case, pk=party_id).first() if party_id else None
    seat = services.staff_seat(actor=request.user, room=room) if _handles(request, room) else None
    if party is None:
        messages.error(request, _("Choose a party of this case."))
        return redirect("video:room", room_id=room.pk)
    try:
        participant, link = services.party_invite(
            actor=request.user, room=room, party=party, site_url=request.build_absolute_uri("/")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("video:room", room_id=room.pk)
    # The link is shown once, here; only its hash is kept.
    context = _staff_context(request, room, seat, new_link=link, new_for=participant)
    return _room_page(render(request, "video/room.html", context))


@require_POST
@access(Capability.CASE_HANDLE)
def room_close(request: AuthedRequest, room_id: int) -> HttpResponse:
    room = selectors.room_or_404(request.user, room_id)
    try:
        services.room_close(actor=request.user, room=room)
        messages.success(request, _("The video session has ended."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:case_detail", pk=room.case_id)


@require_POST
@access(Capability.CASE_HANDLE)
def recording_upload(request: AuthedRequest, room_id: int) -> JsonResponse:
    room = selectors.room_or_404(request.user, room_id)
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"ok": False, "message": _("No recording was sent.")}, status=422)
    try:
        recording = services.recording_save(actor=request.user, room=room, file=file)
    except DomainError as error:
        return JsonResponse(
            {"ok": False, "code": error.code, "message": error.message}, status=error.status
        )
    return JsonResponse(
        {
            "ok": True,
            "message": _("The recording is kept with the case file."),
            "sha256": recording.attachment.sha256,
        },
        status=201,
    )


# --- The exchange both rooms' script uses -------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _state(participant: Participant, after: int | None) -> dict[str, Any]:
    """The room as one participant sees it; with ``after``, the signals for them since then
    (without, none: a browser that has just arrived starts from ``last_signal``)."""
    room = participant.room
    room.refresh_from_db(fields=["status"])
    services.seen(participant)
    present = {p.pk for p in services.present(room)}
    allowed, missing = services.recording_allowed(room)
    return {
        "me": participant.pk,
        "status": room.status,
        "participants": [
            {
                "id": p.pk,
                "label": p.label,
                "kind": p.kind,
                "present": p.pk in present,
                "consented": p.consented_at is not None,
            }
            for p in room.participants.all()
        ],
        "recording_allowed": allowed,
        "missing_consent": [p.label for p in missing],
        "signals": [] if after is None else services.signals_after(participant, after),
        "last_signal": services.last_signal(room),
        "ice_servers": services.ice_servers(),
    }


def _poll(participant: Participant, request: HttpRequest) -> JsonResponse:
    return JsonResponse(_state(participant, _int(request.GET.get("after"))))


def _signal(participant: Participant, request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"ok": False, "message": _("Unknown signal.")}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"ok": False, "message": _("Unknown signal.")}, status=400)
    try:
        signal = services.signal_send(
            participant=participant,
            kind=str(body.get("kind", "")),
            payload=body.get("payload"),
            to=_int(body.get("to")),
        )
    except DomainError as error:
        return JsonResponse(
            {"ok": False, "code": error.code, "message": error.message}, status=error.status
        )
    return JsonResponse({"ok": True, "id": signal.pk}, status=201)


def _consent(participant: Participant) -> JsonResponse:
    try:
        services.consent(participant=participant)
    except DomainError as error:
        return JsonResponse(
            {"ok": False, "code": error.code, "message": error.message}, status=error.status
        )
    return JsonResponse({"ok": True})


def _staff_seat(request: AuthedRequest, room_id: int) -> Participant:
    room = selectors.room_or_404(request.user, room_id)
    seat = room.participants.filter(user=request.user).first()
    if seat is None:
        raise Http404
    return seat


@require_GET
@access(Capability.CASE_HANDLE)
def staff_poll(request: AuthedRequest, room_id: int) -> JsonResponse:
    return _poll(_staff_seat(request, room_id), request)


@require_POST
@access(Capability.CASE_HANDLE)
def staff_signal(request: AuthedRequest, room_id: int) -> JsonResponse:
    return _signal(_staff_seat(request, room_id), request)


@require_POST
@access(Capability.CASE_HANDLE)
def staff_consent(request: AuthedRequest, room_id: int) -> JsonResponse:
    return _consent(_staff_seat(request, room_id))


def _party_seat(token: str) -> Participant:
    participant = services.participant_for_token(token)
    if participant is None:
        raise Http404
    return participant


@access(PUBLIC)
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The party's room behind their link (the token is the credential, as for the
    respondent's link: a wrong one is "not found")."""
    participant = _party_seat(token)
    context = {"participant": participant, "room": participant.room, "token": token}
    return _room_page(render(request, "video/join.html", context))


@require_GET
@access(PUBLIC)
def party_poll(request: HttpRequest, token: str) -> JsonResponse:
    return _poll(_party_seat(token), request)


@require_POST
@access(PUBLIC)
def party_signal(request: HttpRequest, token: str) -> JsonResponse:
    return _signal(_party_seat(token), request)


@require_POST
@access(PUBLIC)
def party_consent(request: HttpRequest, token: str) -> JsonResponse:
    return _consent(_party_seat(token))
