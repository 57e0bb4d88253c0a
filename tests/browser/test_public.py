"""On a 360 px phone: a citizen signs in with the texted code (read from the outbox backend),
gives their real name, applies through the interview with a photo, and finds the application
in their list; the respondent answers through the texted link. Once in mediation with a
written agreement, both parties sign it on their phones (a drawn signature and a texted
code), the mediator signs and the seal comes last, and the signed PDF verifies on the public
page, by upload and by its hash. (The same journey through the staff's pages in one run is
test_online_end_to_end.py.)"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.citizen import (
    CITIZEN,
    PHONE,
    RESPONDENT,
    apply_for_a_leak,
    draw_and_sign,
    fits,
    phone_context,
    respondent_answers,
    sign_in_with_real_name,
    texted_link,
    verify_by_upload_and_hash,
)
from tests.browser.helpers import shoot
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.services import agreements
from tiaojie.cases.tests import factories
from tiaojie.documents.models import SignedDocument
from tiaojie.public.models import Invitation
from tiaojie.public.tests.helpers import routed_to_committee_a

pytestmark = pytest.mark.browser


def test_a_citizen_applies_and_the_respondent_answers(
    page: Page, browser: Browser, server_url: str
) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_real_name(page, server_url)
    apply_for_a_leak(page)
    case = Case.objects.get(source="online")
    assert case.status == CaseStatus.QUEUED
    assert case.committee.name == "东湖街道司法所"  # the street centre's queue
    page.get_by_role("link", name="我的申请").click()
    expect(page.locator("#my-applications")).to_contain_text("楼上漏水，天花板发霉")
    fits(page)
    shoot(page, "public-my-applications")

    link = texted_link(RESPONDENT)
    other = phone_context(browser)
    try:
        respondent_answers(other.new_page(), link)
    finally:
        other.close()
    invitation = Invitation.objects.get(case=case)
    assert invitation.agrees == "yes" and invitation.answered_at is not None

    _sign_both_and_verify(page, browser, case, link)


def _sign_both_and_verify(page: Page, browser: Browser, case: Case, link: str) -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = factories.with_session(
        mediator, factories.to_mediation(mediator, routed_to_committee_a(case))
    )
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
    server_url = page.url.split("/m/")[0]
    page.goto(f"{server_url}/m/cases/{case.pk}/")
    page.locator("#sign-link").click()
    expect(page.locator("#agreement-text")).to_contain_text("被申请人于十日内修复防水")
    draw_and_sign(page, CITIZEN)
    shoot(page, "public-signed")

    other = phone_context(browser)
    try:
        phone = other.new_page()
        phone.goto(link)
        phone.locator("#sign-link").click()
        draw_and_sign(phone, RESPONDENT)
    finally:
        other.close()

    agreements.agreement_signatures_record(
        actor=mediator, case=case, signed_on=today, mediator=True, seal=True
    )
    document = SignedDocument.objects.get(case=case)
    page.reload()
    expect(page.locator("#sha256")).to_have_text(document.sha256)
    verify_by_upload_and_hash(page, server_url, bytes(document.pdf), document.sha256)
    shoot(page, "public-verified")
