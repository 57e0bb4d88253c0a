"""On a 360 px phone: the directory lists committee A with its mediator's public fields,
filters by kind of dispute, and from the mediator's entry the citizen applies to that
mediator (the choice is offered first on the last step)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.helpers import shoot
from tiaojie.accounts.models import User
from tiaojie.cases.models import DisputeType
from tiaojie.core.crypto import blind_index
from tiaojie.core.validators import id_number_check_char
from tiaojie.mediators.tests.helpers import register
from tiaojie.public.models import Application, SmsMessage

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
CITIZEN = "13800138000"
ID_PREFIX = "42010219900101123"


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_directory_to_an_application_to_a_mediator(page: Page, server_url: str) -> None:
    mediator = register(User.objects.get(username="demo_director"), name="王秀兰")
    mediator.expertise.add(DisputeType.objects.get(code="neighbours"))
    # A loaded shared machine is slow to serve the first page; the suite's 10 s is too short.
    page.set_default_timeout(60_000)
    page.set_viewport_size(PHONE)
    page.goto(f"{server_url}/m/directory/")
    _fits(page)
    page.locator("#dispute_type").select_option("neighbours")
    page.get_by_role("button", name="显示").click()
    expect(page.locator(".entry").first).to_contain_text("王秀兰")
    _fits(page)
    shoot(page, "public-directory")
    page.get_by_role("link", name="申请由王秀兰调解").click()

    page.locator("#id_phone").fill(CITIZEN)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#id_code")).to_be_visible()  # the text is sent by then
    message = SmsMessage.objects.filter(
        phone_index=blind_index(CITIZEN, purpose="sms.phone")
    ).first()
    assert message is not None
    code = re.search(r"\d{6}", message.text)
    assert code is not None
    page.locator("#id_code").fill(code.group(0))
    page.get_by_role("button", name="登录").click()
    page.locator("#id_name").fill("赵丽华")
    page.locator("#id_id_number").fill(ID_PREFIX + id_number_check_char(ID_PREFIX))
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", name="申请调解")).to_be_visible()
    page.get_by_label("邻里").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="漏水").click()
    page.get_by_role("button", name="否").click()
    page.locator("textarea[name=value]").fill("3000")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="是").click()

    expect(page.get_by_role("heading", name="最后一步")).to_be_visible()
    expect(page.locator("#id_committee")).to_have_value(f"mediator:{mediator.pk}")
    page.locator("#id_summary").fill("楼上漏水，天花板发霉")
    page.locator("#id_requests").fill("修好防水")
    page.locator("#id_respondent_name").fill("孙大伟")
    _fits(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#case-status")).to_have_text("已收到，正在分派调委会")
    assert Application.objects.get().preferred_mediator_id == mediator.pk
