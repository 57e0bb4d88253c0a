"""The citizen API (the mini-program's): a phone signs in with a texted code and gets a token
of its own, gives its real name, walks the interview, applies with evidence, follows its case
in plain words, writes to the mediator, books and cancels a time, and rates the service; a
respondent answers through the texted link. Every answer is what the pages give."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseSource, CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.workflow import transition
from tiaojie.mediators.tests.helpers import register
from tiaojie.organisations.models import Organisation
from tiaojie.public import booking
from tiaojie.public.models import Application, Booking, CitizenToken, Evidence, Invitation
from tiaojie.public.tests.helpers import (
    CITIZEN_ID,
    COMMITTEE_A,
    OTHER_PHONE,
    PHONE,
    RESPONDENT_PHONE,
    code_for,
    last_text,
    routed_to_committee_a,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/citizen"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def _json(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(f"{API}{path}", **extra)
    return call(f"{API}{path}", body, content_type="application/json", **extra)


def signed_in(phone: str = PHONE, *, real_name: bool = True) -> Client:
    """A client carrying a fresh citizen token for ``phone``."""
    anonymous = Client()
    assert _json(anonymous, "post", "/auth/code", {"phone": phone}).status_code == 202
    response = _json(anonymous, "post", "/auth/token", {"phone": phone, "code": code_for(phone)})
    assert response.status_code == 201, response.content
    client = Client(headers={"Authorization": f"Bearer {response.json()['token']}"})
    if real_name:
        response = _json(
            client, "post", "/me/real-name", {"name": "赵丽华", "id_number": CITIZEN_ID}
        )
        assert response.status_code in (200, 409)
    return client


def interviewed(client: Client) -> None:
    started = _json(client, "post", "/interview/start", {"dispute_type": "neighbours"})
    assert started.status_code == 200, started.content
    for question, value in (
        ("about", "leak"),
        ("repaired", "no"),
        ("loss", "3000"),
        ("talked", "yes"),
    ):
        response = _json(
            client, "post", "/interview/answer", {"question": question, "value": value}
        )
        assert response.status_code == 200, response.content


def applied(client: Client, **overrides: Any) -> dict[str, Any]:
    interviewed(client)
    committee = Organisation.objects.get(name=COMMITTEE_A)
    form: dict[str, Any] = {
        "summary": "楼上漏水，天花板发霉",
        "requests": "修好防水，赔偿3000元",
        "amount": "3000",
        "respondent_name": "孙大伟",
        "respondent_phone": RESPONDENT_PHONE,
        "committee_id": committee.pk,
    }
    form.update(overrides)
    form = {k: v for k, v in form.items() if v is not None}
    response = client.post(f"{API}/applications", form)
    assert response.status_code == 201, response.content.decode()
    return response.json()  # type: ignore[no-any-return]


# --- Signing in ---------------------------------------------------------------------------------


def test_a_phone_signs_in_with_a_texted_code_and_signs_out() -> None:
    client = signed_in(real_name=False)
    me = _json(client, "get", "/me").json()
    assert me == {"phone": me["phone"], "name": "", "verified": False}
    assert PHONE not in me["phone"] and me["phone"].startswith("138")
    token = CitizenToken.objects.get()
    # Only the hash is kept; the token expires.
    assert len(token.key_hash) == 64 and token.expires_at > timezone.now()
    assert _json(client, "post", "/auth/logout").status_code == 204
    assert _json(client, "get", "/me").status_code == 401
    assert AuditEvent.objects.filter(event_type=EventType.CITIZEN_TOKEN_REVOKED).exists()


def test_a_wrong_code_is_refused_in_chinese_and_codes_are_limited_per_phone() -> None:
    anonymous = Client()
    _json(anonymous, "post", "/auth/code", {"phone": PHONE})
    wrong = "000000" if code_for(PHONE) != "000000" else "111111"
    response = _json(anonymous, "post", "/auth/token", {"phone": PHONE, "code": wrong})
    assert response.status_code == 422
    assert response.json()["fields"]["code"] == ["验证码错误或已过期。"]
    again = _json(anonymous, "post", "/auth/code", {"phone": PHONE})
    assert again.status_code == 429 and again.json()["code"] == "too_soon"
    bad = _json(anonymous, "post", "/auth/code", {"phone": "123"})
    assert bad.status_code == 422 and "phone" in bad.json()["fields"]


def test_codes_are_limited_per_source(settings: Any) -> None:
    settings.TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR = 2
    anonymous = Client()
    for phone in (PHONE, OTHER_PHONE):
        assert _json(anonymous, "post", "/auth/code", {"phone": phone}).status_code == 202
    third = _json(anonymous, "post", "/auth/code", {"phone": "13600136000"})
    assert third.status_code == 429 and third.json()["code"] == "too_many_codes"


def test_the_real_name_step_checks_the_id_number_and_is_given_once() -> None:
    client = signed_in(real_name=False)
    bad = _json(
        client, "post", "/me/real-name", {"name": "赵丽华", "id_number": "420102199001011230"}
    )
    assert bad.status_code == 422 and "id_number" in bad.json()["fields"]
    # Not real-named yet: no interview.
    assert _json(client, "get", "/interview").status_code == 409
    ok = _json(client, "post", "/me/real-name", {"name": "赵丽华", "id_number": CITIZEN_ID})
    assert ok.json()["verified"] is True
    assert (
        _json(
            client, "post", "/me/real-name", {"name": "赵丽华", "id_number": CITIZEN_ID}
        ).status_code
        == 409
    )


# --- Applying -----------------------------------------------------------------------------------


def test_the_next_question_depends_on_the_last_answer_and_a_stale_answer_is_409() -> None:
    client = signed_in()
    started = _json(client, "post", "/interview/start", {"dispute_type": "neighbours"}).json()
    first = started["question"]
    assert first["id"] == "about" and first["options"]
    after = _json(
        client, "post", "/interview/answer", {"question": "about", "value": "leak"}
    ).json()
    assert after["question"]["id"] == "repaired"
    assert after["answered"][0]["answer"]
    stale = _json(client, "post", "/interview/answer", {"question": "about", "value": "noise"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    back = _json(client, "post", "/interview/back").json()
    assert back["question"]["id"] == "about"
    unknown = _json(client, "post", "/interview/start", {"dispute_type": "nope"})
    assert unknown.status_code == 422


def test_an_application_with_evidence_enters_the_intake_online_and_texts_the_respondent() -> None:
    client = signed_in()
    interviewed(client)
    committee = Organisation.objects.get(name=COMMITTEE_A)
    response = client.post(
        f"{API}/applications",
        {
            "summary": "楼上漏水，天花板发霉",
            "requests": "修好防水",
            "respondent_name": "孙大伟",
            "respondent_phone": RESPONDENT_PHONE,
            "committee_id": committee.pk,
            "files": [SimpleUploadedFile("ceiling.jpg", JPEG, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.source == CaseSource.ONLINE and case.status == CaseStatus.QUEUED
    assert body["status_text"] == "已收到，正在分派调委会"
    assert [e["name"] for e in body["evidence"]] == ["ceiling.jpg"]
    # The other side is masked.
    assert body["other_parties"][0]["name"] != "孙大伟"
    assert RESPONDENT_PHONE not in response.content.decode()
    assert "/m/r/" in last_text(RESPONDENT_PHONE)
    download = _json(client, "get", f"/applications/{case.pk}/evidence/{body['evidence'][0]['id']}")
    assert download.status_code == 200 and download.content == JPEG
    listed = _json(client, "get", "/applications").json()
    assert [a["id"] for a in listed] == [case.pk]


def test_evidence_of_the_wrong_type_is_refused_and_nothing_is_lost() -> None:
    client = signed_in()
    interviewed(client)
    committee = Organisation.objects.get(name=COMMITTEE_A)
    response = client.post(
        f"{API}/applications",
        {
            "summary": "楼上漏水",
            "requests": "修好防水",
            "respondent_name": "孙大伟",
            "committee_id": committee.pk,
            "files": [SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 422
    assert "files" in response.json()["fields"] or "file" in response.json()["fields"]
    # The interview is still there: the citizen sends again without retyping.
    assert _json(client, "get", "/interview").json()["question"] is None
    assert not Evidence.objects.exists() and not Application.objects.exists()


def test_an_application_to_a_mediator_of_the_directory_goes_to_their_committee() -> None:
    mediator = register(User.objects.get(username="demo_director"), name="王秀兰")
    client = signed_in()
    form = {"mediator_id": mediator.pk, "committee_id": "x"}
    refused = client.post(f"{API}/applications", form)
    assert refused.status_code == 422
    assert refused.json()["fields"]["committee_id"] == ["请输入整数。"]
    body = applied(client, committee_id=None, mediator_id=mediator.pk)
    application = Application.objects.get(case_id=body["id"])
    assert application.preferred_mediator_id == mediator.pk
    # The mediator's committee is the committee asked for, as on the pages (ADR 0041).
    assert application.case.wished_committee == Organisation.objects.get(name=COMMITTEE_A)
    assert body["wished_committee"] == COMMITTEE_A
    assert "王秀兰" in application.case.narrative


# --- Following ----------------------------------------------------------------------------------


def test_messages_with_the_mediator() -> None:
    client = signed_in()
    case_id = applied(client)["id"]
    sent = _json(client, "post", f"/applications/{case_id}/messages", {"text": "请尽快联系我"})
    assert sent.status_code == 201 and sent.json()["sender"] == "party"
    empty = _json(client, "post", f"/applications/{case_id}/messages", {"text": "  "})
    assert empty.status_code == 422 and empty.json()["fields"]["text"] == ["请填写留言。"]
    listed = _json(client, "get", f"/applications/{case_id}/messages").json()
    assert [m["text"] for m in listed] == ["请尽快联系我"]


def _tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_booking_a_free_time_once_and_cancelling_it() -> None:
    client = signed_in()
    case_id = applied(client)["id"]
    # Queued at the centre: nothing to book yet.
    assert _json(client, "get", f"/applications/{case_id}/slots").json() == []
    routed_to_committee_a(Case.objects.get(pk=case_id))
    slot = booking.slot_add(
        actor=User.objects.get(username="demo_mediator"), starts_at=_tomorrow_at(15)
    )
    slots = _json(client, "get", f"/applications/{case_id}/slots").json()
    assert [s["id"] for s in slots] == [slot.pk]
    made = _json(client, "post", f"/applications/{case_id}/bookings", {"slot_id": slot.pk})
    assert made.status_code == 201
    again = _json(client, "post", f"/applications/{case_id}/bookings", {"slot_id": slot.pk})
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    assert _json(client, "get", f"/applications/{case_id}/slots").json() == []
    cancelled = _json(client, "delete", f"/applications/{case_id}/bookings/{made.json()['id']}")
    assert cancelled.status_code == 204
    assert not Booking.objects.exists()
    assert [s["id"] for s in _json(client, "get", f"/applications/{case_id}/slots").json()] == [
        slot.pk
    ]
    assert AuditEvent.objects.filter(event_type=EventType.MEETING_CANCELLED).exists()


def test_rating_after_the_case_ended_once() -> None:
    client = signed_in()
    case_id = applied(client)["id"]
    early = _json(client, "post", f"/applications/{case_id}/rating", {"score": 5})
    assert early.status_code == 409 and early.json()["code"] == "not_closed"
    case = routed_to_committee_a(Case.objects.get(pk=case_id))
    mediator = User.objects.get(username="demo_mediator")
    case = transition(actor=mediator, case=case, action="accept")
    transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回调解申请",
        data={"end_reason": "party_withdraws"},
    )
    assert _json(client, "get", f"/applications/{case_id}").json()["may_rate"] is True
    out_of_range = _json(client, "post", f"/applications/{case_id}/rating", {"score": 9})
    assert out_of_range.status_code == 422 and "score" in out_of_range.json()["fields"]
    rated = _json(
        client, "post", f"/applications/{case_id}/rating", {"score": 4, "comment": "耐心"}
    )
    assert rated.status_code == 201 and rated.json()["score"] == 4
    twice = _json(client, "post", f"/applications/{case_id}/rating", {"score": 4})
    assert twice.status_code == 409 and twice.json()["code"] == "already_rated"


def test_signing_with_nothing_to_sign_is_409() -> None:
    client = signed_in()
    case_id = applied(client)["id"]
    response = _json(client, "post", f"/applications/{case_id}/signing/code")
    assert response.status_code == 409 and response.json()["code"] == "not_signable"
    assert _json(client, "get", f"/applications/{case_id}/signed.pdf").status_code == 404


# --- The respondent -----------------------------------------------------------------------------


def test_the_respondent_answers_through_the_texted_link() -> None:
    client = signed_in()
    applied(client)
    token = re.search(r"/m/r/([^/]+)/", last_text(RESPONDENT_PHONE)).group(1)  # type: ignore[union-attr]
    anonymous = Client()
    shown = _json(anonymous, "get", f"/respond/{token}").json()
    assert shown["step"] == "agrees" and "赵" not in str(shown)
    stale = _json(anonymous, "post", f"/respond/{token}", {"step": "statement", "value": "x"})
    assert stale.status_code == 409
    bad = _json(anonymous, "post", f"/respond/{token}", {"step": "agrees", "value": "maybe"})
    assert bad.status_code == 422
    for step, value in (
        ("agrees", "yes"),
        ("proposed_time", "周末上午"),
        ("statement", "我同意调解"),
    ):
        response = _json(anonymous, "post", f"/respond/{token}", {"step": step, "value": value})
        assert response.status_code == 200, response.content
    assert response.json()["step"] is None
    invitation = Invitation.objects.get()
    assert invitation.agrees == "yes" and invitation.proxy_by_id is None
    assert _json(anonymous, "get", "/respond/not-a-token").status_code == 404
