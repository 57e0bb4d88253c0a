"""The respondent signs through the citizen API as through the link's pages: the agreement to
read, a code texted to the number the committee has, the drawn signature; the same refusals
(bad drawing, wrong code, nothing to sign, too many codes, a wrong link) and the same signing
log in the audit trail; once sealed, the same PDF bytes that /m/verify/ checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import AgreementSignature
from tiaojie.cases.services import agreements
from tiaojie.documents.models import DrawnSignature, SignedDocument
from tiaojie.documents.signing import sha256
from tiaojie.public.tests.helpers import PHONE, RESPONDENT_PHONE, code_for
from tiaojie.public.tests.test_signing import (
    a_minute_later,
    drawing,
    in_mediation_with_agreement,
    seal,
    sign,
)

pytestmark = pytest.mark.django_db

PHONE_APP = "TiaojieApp/1.0 (Android 14)"


def _api(link: str) -> str:
    token = re.fullmatch(r"/m/r/([A-Za-z0-9_-]+)/", link)
    assert token is not None
    return f"/api/v1/citizen/respond/{token.group(1)}"


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(
        url, body or {}, content_type="application/json", headers={"User-Agent": PHONE_APP}
    )


def test_the_respondent_signs_through_the_api_and_gets_the_sealed_pdf() -> None:
    applicant, case, link = in_mediation_with_agreement()
    api = _api(link)
    phone = Client()
    before = phone.get(f"{api}/signing").json()
    assert before["may_sign"] is True and before["signed_on"] is None
    assert "漏水致楼下天花板发霉" in before["agreement"]["facts"]
    assert "赔偿申请人2000元" in before["agreement"]["content"]

    a_minute_later()
    assert _post(phone, f"{api}/signing/code").status_code == 202
    signed = _post(
        phone, f"{api}/signing", {"signature": drawing(), "code": code_for(RESPONDENT_PHONE)}
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["signed_on"] == timezone.localdate().isoformat()
    assert signed.json()["may_sign"] is False
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    drawn = DrawnSignature.objects.get(signature__party=respondent)
    assert drawn.user_agent == PHONE_APP
    log = AuditEvent.objects.get(event_type=EventType.AGREEMENT_SIGNED_ON_PHONE)
    assert log.after is not None
    assert log.after["party"] == respondent.pk and log.after["by"] == "link"
    assert log.after["user_agent"] == PHONE_APP and len(log.after["pdf_sha256"]) == 64
    # The link's page says the same.
    assert "您已签署本协议" in Client().get(link + "sign/").content.decode()

    # Not sealed yet: no PDF.
    assert phone.get(f"{api}/signed.pdf").status_code == 404
    sign(applicant, reverse("public:sign", args=[case.pk]), PHONE)
    case = seal(case)
    document = SignedDocument.objects.get(case=case)
    after = phone.get(f"{api}/signing").json()
    assert after["signed_pdf"] is True and after["sha256"] == document.sha256
    pdf = phone.get(f"{api}/signed.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert sha256(pdf.content) == document.sha256
    assert pdf.content == applicant.get(reverse("public:signed_pdf", args=[case.pk])).content


def test_the_same_refusals_as_the_link_pages() -> None:
    _applicant, _case, link = in_mediation_with_agreement()
    api = _api(link)
    phone = Client()
    a_minute_later()
    assert _post(phone, f"{api}/signing/code").status_code == 202
    # A second code within the minute: wait.
    again = _post(phone, f"{api}/signing/code")
    assert again.status_code == 429 and again.json()["code"] == "too_soon"
    code = code_for(RESPONDENT_PHONE)
    # A blank drawing is refused before the code is tried, so the code still works after.
    blank = _post(phone, f"{api}/signing", {"signature": drawing(blank=True), "code": code})
    assert blank.status_code == 422 and blank.json()["code"] == "signature_invalid"
    not_png = _post(phone, f"{api}/signing", {"signature": "data:text/plain,hi", "code": code})
    assert not_png.status_code == 422
    wrong = "000000" if code != "000000" else "111111"
    refused = _post(phone, f"{api}/signing", {"signature": drawing(), "code": wrong})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_code"
    assert not AgreementSignature.objects.filter(party__role=PartyRole.RESPONDENT).exists()
    assert _post(phone, f"{api}/signing", {"signature": drawing(), "code": code}).status_code == 200

    # Signed once: nothing more to sign (neither a code nor a second signature).
    a_minute_later()
    twice = _post(phone, f"{api}/signing/code")
    assert twice.status_code == 409 and twice.json()["code"] == "not_signable"


def test_after_the_mediator_signed_nobody_signs_and_a_wrong_link_is_404() -> None:
    _applicant, case, link = in_mediation_with_agreement()
    api = _api(link)
    mediator = User.objects.get(username="demo_mediator")
    agreements.agreement_sign(
        actor=mediator, case=case, mediator=True, signed_on=timezone.localdate()
    )
    phone = Client()
    assert phone.get(f"{api}/signing").json()["may_sign"] is False
    a_minute_later()
    late = _post(phone, f"{api}/signing/code")
    assert late.status_code == 409 and late.json()["code"] == "not_signable"
    refused = _post(phone, f"{api}/signing", {"signature": drawing(), "code": "123456"})
    assert refused.status_code == 409
    assert not DrawnSignature.objects.exists()
    wrong = "/api/v1/citizen/respond/not-a-token"
    assert phone.get(f"{wrong}/signing").status_code == 404
    assert _post(phone, f"{wrong}/signing/code").status_code == 404
    assert (
        _post(phone, f"{wrong}/signing", {"signature": drawing(), "code": "1"}).status_code == 404
    )
    assert phone.get(f"{wrong}/signed.pdf").status_code == 404
