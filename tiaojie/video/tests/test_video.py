"""Video mediation as the mediator and the parties meet it: a room on a case in scope, a link
per party (texted, naming nobody), the browsers' exchange, consent before recording enforced
by the server, the recording kept with the case file and audited; not yours is not found."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Attachment, Case
from tiaojie.cases.tests.factories import register
from tiaojie.cases.workflow import transition
from tiaojie.public.models import SmsMessage
from tiaojie.video import services
from tiaojie.video.models import Participant, Recording, Room, Signal

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 200


def _mediator() -> User:
    return User.objects.get(username="demo_mediator")


def _case() -> Case:
    return register(_mediator())


def _staff(username: str = "demo_mediator") -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _open(client: Client, case: Case) -> Room:
    response = client.post(reverse("video:room_open", args=[case.pk]))
    assert response.status_code == 302, response.content[:300]
    room = Room.objects.get(case=case)
    assert response["Location"] == reverse("video:room", args=[room.pk])
    return room


def _invite(client: Client, room: Room, role: str) -> str:
    party = room.case.parties.get(role=role)
    page = client.post(reverse("video:invite", args=[room.pk]), {"party": party.pk})
    assert page.status_code == 200
    found = re.search(r"/v/([\w-]+)/", page.content.decode())
    assert found is not None, "the link is shown to the mediator once"
    return found.group(1)


def _poll(client: Client, url: str, after: int | None = None) -> dict[str, Any]:
    response = client.get(url, {} if after is None else {"after": after})
    assert response.status_code == 200
    state: dict[str, Any] = json.loads(response.content)
    return state


def test_a_mediator_opens_a_room_and_invites_a_party_by_a_link_that_names_nobody() -> None:
    case = _case()
    mediator = _staff()
    room = _open(mediator, case)
    token = _invite(mediator, room, "applicant")

    seat = Participant.objects.get(room=room, party__role="applicant")
    assert seat.token_hash == services.token_hash(token) and token not in seat.token_hash
    applicant = case.parties.get(role="applicant")
    assert seat.label.startswith("申请人") and applicant.name not in seat.label
    text = SmsMessage.objects.order_by("-id").first()
    if applicant.phone:
        assert text is not None and f"/v/{token}/" in text.text
        assert applicant.name not in text.text and case.number not in text.text
    page = Client().get(reverse("video:join", args=[token]))
    assert page.status_code == 200
    assert "camera=(self)" in page["Permissions-Policy"]
    assert Client().get(reverse("video:join", args=["x" * 32])).status_code == 404
    kinds = set(
        AuditEvent.objects.filter(object_id=str(case.pk)).values_list("event_type", flat=True)
    )
    assert {EventType.VIDEO_ROOM_OPENED, EventType.VIDEO_PARTY_INVITED} <= kinds


def test_signals_pass_between_the_two_browsers_and_not_to_a_stranger() -> None:
    case = _case()
    mediator = _staff()
    room = _open(mediator, case)
    mediator.get(reverse("video:room", args=[room.pk]))
    token = _invite(mediator, room, "applicant")
    party = Client()
    party_poll = reverse("video:party_poll", args=[token])
    staff_poll = reverse("video:staff_poll", args=[room.pk])

    first = _poll(party, party_poll)
    assert first["signals"] == [] and first["status"] == "open"
    staff_state = _poll(mediator, staff_poll)
    sent = mediator.post(
        reverse("video:staff_signal", args=[room.pk]),
        json.dumps(
            {"kind": "offer", "payload": {"type": "offer", "sdp": "v=0"}, "to": first["me"]}
        ),
        content_type="application/json",
    )
    assert sent.status_code == 201
    got = _poll(party, party_poll, after=first["last_signal"])
    assert [(s["kind"], s["from"]) for s in got["signals"]] == [("offer", staff_state["me"])]
    assert got["signals"][0]["payload"]["sdp"] == "v=0"
    # The mediator does not read back what they sent.
    assert _poll(mediator, staff_poll, after=staff_state["last_signal"])["signals"] == []

    bad = party.post(
        reverse("video:party_signal", args=[token]),
        json.dumps({"kind": "exec", "payload": None}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "未知" in json.loads(bad.content)["message"]
    huge = party.post(
        reverse("video:party_signal", args=[token]),
        json.dumps({"kind": "offer", "payload": {"sdp": "x" * 30_000}}),
        content_type="application/json",
    )
    assert huge.status_code == 422


def test_a_recording_is_refused_until_everyone_who_joined_has_agreed() -> None:
    case = _case()
    mediator = _staff()
    room = _open(mediator, case)
    mediator.get(reverse("video:room", args=[room.pk]))
    token = _invite(mediator, room, "applicant")
    party = Client()
    _poll(party, reverse("video:party_poll", args=[token]))
    state = _poll(mediator, reverse("video:staff_poll", args=[room.pk]))
    assert state["recording_allowed"] is False and len(state["missing_consent"]) == 2

    upload = reverse("video:recording_upload", args=[room.pk])
    refused = mediator.post(upload, {"file": SimpleUploadedFile("r.webm", WEBM)})
    assert refused.status_code == 409
    assert "申请人" in json.loads(refused.content)["message"]
    assert not Attachment.objects.filter(case=case).exists()

    assert mediator.post(reverse("video:staff_consent", args=[room.pk])).status_code == 200
    assert party.post(reverse("video:party_consent", args=[token])).status_code == 200
    assert _poll(mediator, reverse("video:staff_poll", args=[room.pk]))["recording_allowed"]

    saved = mediator.post(upload, {"file": SimpleUploadedFile("r.webm", WEBM)})
    assert saved.status_code == 201, saved.content
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "video/webm" and "视频调解录像" in attachment.title
    recording = Recording.objects.get(room=room)
    assert len(recording.consents) == 2
    assert AuditEvent.objects.filter(event_type=EventType.VIDEO_RECORDING_SAVED).exists()
    assert AuditEvent.objects.filter(event_type=EventType.VIDEO_RECORDING_CONSENTED).count() == 2

    not_video = mediator.post(upload, {"file": SimpleUploadedFile("r.webm", b"MZ" + WEBM)})
    assert not_video.status_code == 422


def test_not_yours_is_not_found_and_an_officer_only_looks() -> None:
    case = _case()
    room = _open(_staff(), case)
    other = _staff("demo_mediator_b")
    assert other.get(reverse("video:room", args=[room.pk])).status_code == 404
    assert other.get(reverse("video:case_panel", args=[case.pk])).status_code == 404
    assert other.post(reverse("video:room_open", args=[case.pk])).status_code == 404
    officer = _staff("demo_street")
    panel = officer.get(reverse("video:case_panel", args=[case.pk]))
    assert panel.status_code == 200 and "data-open-video" not in panel.content.decode()


def test_closing_the_room_ends_it_for_everyone_and_forgets_the_signals() -> None:
    case = _case()
    mediator = _staff()
    room = _open(mediator, case)
    mediator.get(reverse("video:room", args=[room.pk]))
    token = _invite(mediator, room, "applicant")
    party = Client()
    party.post(
        reverse("video:party_signal", args=[token]),
        json.dumps({"kind": "hello", "payload": None}),
        content_type="application/json",
    )
    assert Signal.objects.filter(room=room).exists()
    assert mediator.post(reverse("video:room_close", args=[room.pk])).status_code == 302
    assert not Signal.objects.filter(room=room).exists()
    assert _poll(party, reverse("video:party_poll", args=[token]))["status"] == "closed"
    late = party.post(
        reverse("video:party_signal", args=[token]),
        json.dumps({"kind": "hello", "payload": None}),
        content_type="application/json",
    )
    assert late.status_code == 409


def test_a_case_that_has_ended_gets_no_new_room() -> None:
    mediator = _mediator()
    case = transition(actor=mediator, case=_case(), action="accept")
    case = transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回调解申请",
        data={"end_reason": "party_withdraws"},
    )
    client = _staff()
    panel = client.get(reverse("video:case_panel", args=[case.pk])).content.decode()
    assert "data-open-video" not in panel
    page = client.post(reverse("video:room_open", args=[case.pk]), follow=True)
    assert "案件已结束" in page.content.decode()
    assert not Room.objects.filter(case=case).exists()
