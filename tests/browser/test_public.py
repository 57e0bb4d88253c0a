"""On a 360 px phone: a citizen signs in with the texted code (read from the outbox backend),
gives their real name, applies through the interview with a photo, and finds the application
in their list; the respondent answers through the texted link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import shoot
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core.crypto import blind_index
from tiaojie.core.validators import id_number_check_char
from tiaojie.public.models import Invitation, SmsMessage

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
