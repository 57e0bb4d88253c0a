"""Permission cases for video mediation: the case page's panel for whoever reads the case;
the rooms for the case's mediators and director (not yours: 404); the party's room behind its
link, where a wrong token is "not found" for everyone."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}


def _case_a() -> Any:
    from tiaojie.cases.tests.factories import register

    return register(User.objects.get(username=p.MEDIATOR_A))


def case_a() -> dict[str, int]:
    return {"pk": _case_a().pk}


def room_of_case_a() -> dict[str, int]:
    """A room committee A's mediator opened (and so sits in)."""
    from tiaojie.video.services import room_open

    return {"room_id": room_open(actor=User.objects.get(username=p.MEDIATOR_A), case=_case_a()).pk}


def _handlers(status: int, director: int | None = None) -> dict[str, int]:
    """The case's mediator gets ``status``; its director ``director`` (default the same); the
    sibling committee's mediator finds nothing; officers and grid workers do not handle."""
    return {
        p.MEDIATOR_A: status,
        p.DIRECTOR_A: status if director is None else director,
        p.MEDIATOR_B: 404,
    }


NOT_FOUND = {"token": "x" * 32}
PAGE_CASES: list[PageCase] = [
    PageCase("video:case_panel", case_a, READERS_A),
    PageCase("video:room_open", case_a, _handlers(302), method="post"),
    PageCase("video:room", room_of_case_a, _handlers(200)),
    # Without a party chosen: back to the room with the message.
    PageCase("video:invite", room_of_case_a, _handlers(302), method="post"),
    PageCase("video:room_close", room_of_case_a, _handlers(302), method="post"),
    # Without a file: 422 with the message.
    PageCase("video:recording_upload", room_of_case_a, _handlers(422), method="post"),
    # The exchange needs a seat, taken by entering the room: the director has not entered.
    # (A form post is no JSON signal: 400.)
    PageCase("video:staff_poll", room_of_case_a, _handlers(200, 404)),
    PageCase("video:staff_signal", room_of_case_a, _handlers(400, 404), method="post"),
    PageCase("video:staff_consent", room_of_case_a, _handlers(200, 404), method="post"),
    PageCase("video:join", lambda: NOT_FOUND, public=True, default=404),
    PageCase("video:party_poll", lambda: NOT_FOUND, public=True, default=404),
    PageCase("video:party_signal", lambda: NOT_FOUND, public=True, default=404, method="post"),
    PageCase("video:party_consent", lambda: NOT_FOUND, public=True, default=404, method="post"),
]


def api_case_a() -> dict[str, int]:
    return {"case_id": _case_a().pk}


def api_room_of_case_a() -> dict[str, int]:
    return {"room_id": room_of_case_a()["room_id"]}


# The body is built before the path: the invitation's room is made with it and kept here.
_invited: dict[str, int] = {}


def invitation_body() -> dict[str, int]:
    from tiaojie.video.models import Room

    room = Room.objects.get(pk=room_of_case_a()["room_id"])
    _invited["room_id"] = room.pk
    return {"party_id": room.case.parties.get(role="applicant").pk}


API_CASES: list[ApiCase] = [
    ApiCase(
        "video_rooms_list",
        "get",
        "/video/cases/{case_id}/rooms",
        api_case_a,
        expect=READERS_A,
        default=403,
    ),
    ApiCase(
        "video_room_open",
        "post",
        "/video/cases/{case_id}/rooms",
        api_case_a,
        expect=_handlers(201),
        default=403,
    ),
    ApiCase(
        "video_party_invite",
        "post",
        "/video/rooms/{room_id}/invitations",
        lambda: dict(_invited),
        body=invitation_body,
        expect=_handlers(200),
        default=403,
    ),
    ApiCase(
        "video_room_close",
        "post",
        "/video/rooms/{room_id}/close",
        api_room_of_case_a,
        expect=_handlers(200),
        default=403,
    ),
]
