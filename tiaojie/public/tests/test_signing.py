"""Signing the agreement on the phone: each party draws a signature and confirms with a
texted code; the mediator signs after them and the seal comes last; the signed PDF carries
the drawings, its SHA-256 and the signing log are in the audit trail, and the public page
verifies the PDF or its hash, saying nothing about the people."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import agreements
from tiaojie.cases.tests import factories
from tiaojie.core.errors import Conflict
from tiaojie.documents.models import DrawnSignature, SignedDocument
from tiaojie.documents.signing import sha256
from tiaojie.public.models import Application, OneTimeCode
from tiaojie.public.tests.helpers import (
    PHONE,
    RESPONDENT_PHONE,
    apply_online,
    code_for,
    last_text,
    routed_to_committee_a,
    sign_in,
)
from tiaojie.public.tokens import token_issue

pytestmark = pytest.mark.django_db


def drawing(blank: bool = False) -> str:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(image).line(
            [(20, 80), (90, 30), (160, 90), (260, 40)], fill="black", width=4
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def in_mediation_with_agreement(*, session: bool = True) -> tuple[Client, Case, str]:
    """An online application, routed, accepted, in mediation (with a session recorded unless
    ``session`` is False) with a written agreement drawn up; the applicant's client and the
    respondent's link."""
    applicant = Client()
    sign_in(applicant)
    case = apply_online(applicant)
    link = re.search(r"(/m/r/[A-Za-z0-9_-]+/)", last_text(RESPONDENT_PHONE))
    assert link is not None
    mediator = User.objects.get(username="demo_mediator")
    case = factories.to_mediation(mediator, routed_to_committee_a(case))
    if session:
        case = factories.with_session(mediator, case)
    today = timezone.localdate()
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="楼上卫生间防水老化，漏水致楼下天花板发霉。",
        content="被申请人于十日内修复防水，并赔偿申请人2000元。",
        performance_manner="转账",
        formed_on=today,
    )
    return applicant, case, link.group(1)


def a_minute_later() -> None:
    """Time passes: the last code was asked for more than a minute ago (one a minute)."""
    OneTimeCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))


def sign(client: Client, url: str, phone: str, picture: str | None = None) -> None:
    a_minute_later()
    assert client.post(url, {"action": "send"}).status_code == 200
    response = client.post(
        url, {"action": "sign", "signature": picture or drawing(), "code": code_for(phone)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def seal(case: Case) -> Case:
    mediator = User.objects.get(username="demo_mediator")
    today = timezone.localdate()
    # The staff's signing form: the mediator, then the seal; in effect, the case is agreed.
    agreements.agreement_signatures_record(
        actor=mediator, case=case, signed_on=today, mediator=True, seal=True
    )
    return Case.objects.get(pk=case.pk)


def test_both_parties_sign_on_the_phone_and_the_sealed_pdf_verifies() -> None:
    applicant, case, link = in_mediation_with_agreement()
    own = reverse("public:sign", args=[case.pk])
    page = applicant.get(own).content.decode()
    assert "被申请人于十日内修复防水" in page and "发送签署验证码" in page
    sign(applicant, own, PHONE)
    assert "您已签署本协议" in applicant.get(own).content.decode()
    text = last_text(PHONE)
    assert "孙大伟" not in text and case.number not in text  # the code text names nobody

    respondent = Client()
    sign(respondent, link + "sign/", RESPONDENT_PHONE)
    assert DrawnSignature.objects.filter(signature__agreement__case=case).count() == 2
    logs = AuditEvent.objects.filter(event_type=EventType.AGREEMENT_SIGNED_ON_PHONE)
    assert logs.count() == 2
    entry = logs.first()
    assert entry is not None and entry.after is not None
    assert {"signed_at", "source", "user_agent", "pdf_sha256"} <= set(entry.after)

    case = seal(case)
    assert case.status == CaseStatus.AGREED
    document = SignedDocument.objects.get(case=case)
    pdf = bytes(document.pdf)
    assert pdf.startswith(b"%PDF") and sha256(pdf) == document.sha256
    assert pdf.count(b"/Subtype /Image") >= 2  # each party's drawing is in the PDF
    hashed = AuditEvent.objects.get(event_type=EventType.SIGNED_AGREEMENT_HASHED)
    assert hashed.after is not None
    assert hashed.after["sha256"] == document.sha256
    assert len(hashed.after["signed_on_phone"]) == 2

    download = applicant.get(reverse("public:signed_pdf", args=[case.pk]))
    assert download.status_code == 200 and download.content == pdf
    assert respondent.get(link + "sign/agreement.pdf").content == pdf

    anyone = Client()
    upload = io.BytesIO(pdf)
    upload.name = "agreement.pdf"
    answer = anyone.post(reverse("public:verify"), {"document": upload}).content.decode()
    assert "有效" in answer and "人民调解协议书" in answer
    assert "赵丽华" not in answer and "孙大伟" not in answer and case.number not in answer
    by_hash = anyone.post(reverse("public:verify"), {"sha256": document.sha256.upper()})
    assert "有效" in by_hash.content.decode()
    changed = anyone.post(reverse("public:verify"), {"sha256": "0" * 64}).content.decode()
    assert "无效" in changed


def test_a_wrong_code_or_an_empty_drawing_signs_nothing_and_keeps_the_drawing() -> None:
    applicant, case, _link = in_mediation_with_agreement()
    url = reverse("public:sign", args=[case.pk])
    a_minute_later()
    applicant.post(url, {"action": "send"})
    picture = drawing()
    page = applicant.post(url, {"action": "sign", "signature": picture, "code": "000000"})
    assert page.status_code == 200 and "验证码错误或已过期" in page.content.decode()
    assert picture in page.content.decode()  # the drawing is drawn back, not lost
    empty = applicant.post(
        url, {"action": "sign", "signature": drawing(blank=True), "code": code_for(PHONE)}
    )
    assert "请在框内签名" in empty.content.decode()
    assert not DrawnSignature.objects.exists()


def test_the_seal_comes_last_and_nobody_signs_on_the_phone_after_the_mediator() -> None:
    applicant, case, _link = in_mediation_with_agreement()
    mediator = User.objects.get(username="demo_mediator")
    today = timezone.localdate()
    with pytest.raises(Conflict) as early:
        agreements.agreement_sign(actor=mediator, case=case, seal=True, signed_on=today)
    assert early.value.code == "seal_last"
    agreements.agreement_sign(actor=mediator, case=case, mediator=True, signed_on=today)
    url = reverse("public:sign", args=[case.pk])
    assert "发送签署验证码" not in applicant.get(url).content.decode()
    applicant.post(url, {"action": "send"})
    assert "验证码" not in last_text(PHONE) or last_text(PHONE).count("验证码") == 1
    assert not DrawnSignature.objects.exists()


def test_signing_waits_for_a_session_record() -> None:
    applicant, case, link = in_mediation_with_agreement(session=False)
    own = reverse("public:sign", args=[case.pk])
    waits = "调解员记录调解情况后，方可签署协议。"
    page = applicant.get(own).content.decode()
    assert waits in page and "发送签署验证码" not in page
    refused = applicant.post(own, {"action": "send"}).content.decode()
    assert waits in refused
    respondent = Client()
    assert waits in respondent.get(link + "sign/").content.decode()
    citizen = Application.objects.get(case=case).citizen
    api = Client(headers={"Authorization": f"Bearer {token_issue(citizen=citizen).raw}"})
    answer = api.post(f"/api/v1/citizen/applications/{case.pk}/signing/code")
    assert answer.status_code == 409 and answer.json()["code"] == "session_required"
    assert answer.json()["message"] == waits
    detail = api.get(f"/api/v1/citizen/applications/{case.pk}").json()
    assert detail["may_sign"] is False and detail["sign_waits_for"] == waits
    assert not OneTimeCode.objects.filter(purpose="sign").exists()
    assert not DrawnSignature.objects.exists()

    factories.with_session(User.objects.get(username="demo_mediator"), case)
    assert "发送签署验证码" in applicant.get(own).content.decode()
    sign(applicant, own, PHONE)
    assert "您已签署本协议" in applicant.get(own).content.decode()


def test_other_citizens_and_wrong_links_see_nothing() -> None:
    _applicant, case, link = in_mediation_with_agreement()
    stranger = Client()
    sign_in(stranger, "13600136000")
    assert stranger.get(reverse("public:sign", args=[case.pk])).status_code == 404
    assert stranger.get(reverse("public:signed_pdf", args=[case.pk])).status_code == 404
    assert Client().get(reverse("public:sign", args=[case.pk])).status_code == 302  # sign in
    assert Client().get("/m/r/not-a-token/sign/").status_code == 404
    # No signed PDF before the seal, even for the party.
    assert Client().get(link + "sign/agreement.pdf").status_code == 404
    assert case.parties.filter(role=PartyRole.RESPONDENT).exists()


def test_verification_is_limited_per_source(settings: object) -> None:
    cache.clear()  # the count lives in the cache, which outlives a test's transaction
    settings.TIAOJIE_VERIFY_PER_SOURCE_HOUR = 2  # type: ignore[attr-defined]
    client = Client()
    for _ in range(2):
        assert client.post(reverse("public:verify"), {"sha256": "a" * 64}).status_code == 200
    assert client.post(reverse("public:verify"), {"sha256": "a" * 64}).status_code == 429
    not_pdf = io.BytesIO(b"hello")
    not_pdf.name = "x.pdf"
    cache.clear()
    answer = client.post(reverse("public:verify"), {"document": not_pdf}).content.decode()
    assert "不是 PDF" in answer or "PDF" in answer
