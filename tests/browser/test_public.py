"""On a 360 px phone: a citizen signs in with the texted code (read from the outbox backend),
gives their real name, applies through the interview with a photo, and finds the application
in their list; the respondent answers through the texted link. Once in mediation with a
written agreement, both parties sign it on their phones (a drawn signature and a texted
code), the mediator signs and the seal comes last, and the signed PDF verifies on the public
page, by upload and by its hash."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import shoot
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.services import agreements
from tiaojie.cases.tests import factories
from tiaojie.core.crypto import blind_index
from tiaojie.core.validators import id_number_check_char
from tiaojie.documents.models import SignedDocument
from tiaojie.public.models import Invitation, OneTimeCode, SmsMessage
from tiaojie.public.tests.helpers import routed_to_committee_a

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
CITIZEN = "13800138000"
RESPONDENT = "13700137000"
ID_PREFIX = "42010219900101123"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 400


def _last_text(phone: str) -> str:
    message = SmsMessage.objects.filter(phone_index=blind_index(phone, purpose="sms.phone")).first()
    assert message is not None
    return message.text


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_a_citizen_applies_and_the_respondent_answers(
    page: Page, browser: Browser, server_url: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{server_url}/m/login/")
    _fits(page)
    page.locator("#id_phone").fill(CITIZEN)
    page.get_by_role("button", name="获取验证码").click()
    code = re.search(r"\d{6}", _last_text(CITIZEN))
    assert code is not None
    page.locator("#id_code").fill(code.group(0))
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="实名认证")).to_be_visible()
    page.locator("#id_name").fill("赵丽华")
    page.locator("#id_id_number").fill(ID_PREFIX + id_number_check_char(ID_PREFIX))
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", name="申请调解")).to_be_visible()
    _fits(page)
    page.get_by_label("邻里").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#question")).to_have_text("您和邻居因为什么事发生纠纷？")
    page.get_by_role("button", name="漏水").click()
    expect(page.locator("#question")).to_have_text("漏水是否已经修好？")
    page.get_by_role("button", name="否").click()
    page.locator("textarea[name=value]").fill("3000")
    page.get_by_role("button", name="下一步").click()
    _fits(page)
    shoot(page, "public-interview")
    page.get_by_role("button", name="是").click()

    expect(page.get_by_role("heading", name="最后一步")).to_be_visible()
    page.locator("#id_summary").fill("楼上漏水，天花板发霉")
    page.locator("#id_requests").fill("修好防水，赔偿3000元")
    page.locator("#id_respondent_name").fill("孙大伟")
    page.locator("#id_respondent_phone").fill(RESPONDENT)
    committee = page.locator("#id_committee option", has_text="东湖社区人民调解委员会").first
    page.locator("#id_committee").select_option(value=committee.get_attribute("value"))
    assert page.locator("#id_files").get_attribute("capture") is not None
    page.locator("#id_files").set_input_files(
        {"name": "ceiling.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    _fits(page)
    shoot(page, "public-details")
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("#case-status")).to_have_text("已收到，正在分派调委会")
    _fits(page)
    case = Case.objects.get(source="online")
    assert case.status == CaseStatus.QUEUED
    assert case.committee.name == "东湖街道司法所"  # the street centre's queue
    page.get_by_role("link", name="我的申请").click()
    expect(page.locator("#my-applications")).to_contain_text("楼上漏水，天花板发霉")
    _fits(page)
    shoot(page, "public-my-applications")

    link = re.search(r"https?://\S+/m/r/[A-Za-z0-9_-]+/", _last_text(RESPONDENT))
    assert link is not None
    other = browser.new_context(locale="zh-CN", viewport=PHONE)
    other.set_default_timeout(TIMEOUT_MS)
    try:
        phone = other.new_page()
        phone.goto(link.group(0))
        _fits(phone)
        phone.get_by_role("button", name="同意调解").click()
        phone.locator("#value").fill("工作日晚上")
        phone.get_by_role("button", name="下一步").click()
        phone.locator("#value").fill("漏水是老房子的问题，愿意分担。")
        phone.get_by_role("button", name="提交答复").click()
        expect(phone.locator("#answered")).to_contain_text("您的答复已转交调委会")
        shoot(phone, "public-respondent")
    finally:
        other.close()
    invitation = Invitation.objects.get(case=case)
    assert invitation.agrees == "yes" and invitation.answered_at is not None

    _sign_both_and_verify(page, browser, case, link.group(0))


def _draw_and_sign(page: Page, phone: str) -> None:
    """Ask for the signing code, draw a signature with the pointer, type the code, sign."""
    # Time passes: the sign-in code was asked for more than a minute ago (one a minute).
    OneTimeCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    page.get_by_role("button", name="发送签署验证码").click()
    pad = page.locator("#signature-pad")
    expect(pad).to_be_visible()
    _fits(page)
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for x, y in ((80, 40), (130, 110), (190, 50), (260, 100)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()
    code = re.search(r"\d{6}", _last_text(phone))
    assert code is not None
    page.locator("#id_code").fill(code.group(0))
    page.get_by_role("button", name="签署调解协议").click()
    expect(page.locator("#signed")).to_contain_text("您已签署本协议")


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
    page.goto(page.url.split("/m/")[0] + f"/m/cases/{case.pk}/")
    page.locator("#sign-link").click()
    expect(page.locator("#agreement-text")).to_contain_text("被申请人于十日内修复防水")
    _draw_and_sign(page, CITIZEN)
    shoot(page, "public-signed")

    other = browser.new_context(locale="zh-CN", viewport=PHONE)
    other.set_default_timeout(TIMEOUT_MS)
    try:
        phone = other.new_page()
        phone.goto(link)
        phone.locator("#sign-link").click()
        _draw_and_sign(phone, RESPONDENT)
    finally:
        other.close()

    agreements.agreement_signatures_record(
        actor=mediator, case=case, signed_on=today, mediator=True, seal=True
    )
    document = SignedDocument.objects.get(case=case)
    page.reload()
    expect(page.locator("#sha256")).to_have_text(document.sha256)

    page.goto(page.url.split("/m/")[0] + "/m/verify/")
    _fits(page)
    page.locator("#id_document").set_input_files(
        {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": bytes(document.pdf)}
    )
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#verify-result")).to_contain_text("有效")
    expect(page.locator("#verify-result")).to_contain_text("人民调解协议书")
    page.locator("#id_sha256").fill(document.sha256)
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#verify-result")).to_contain_text("有效")
    _fits(page)
    shoot(page, "public-verified")
