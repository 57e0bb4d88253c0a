"""Steps of the public side shared by the browser tests, taken as a citizen and a respondent
take them on a 360 px phone: sign in with the texted code (read from the outbox backend, the
tests' SMS gateway), give the real name, walk the interview, answer through the texted link,
sign the agreement with a drawn signature and a texted code."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import shoot
from tiaojie.core.crypto import blind_index
from tiaojie.core.validators import id_number_check_char
from tiaojie.public.models import OneTimeCode, SmsMessage

PHONE: ViewportSize = {"width": 360, "height": 740}
CITIZEN = "13800138000"
RESPONDENT = "13700137000"
ID_PREFIX = "42010219900101123"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 400
COMMITTEE_A = "东湖社区人民调解委员会"


def last_text(phone: str) -> str:
    """The newest text the outbox backend kept for ``phone``."""
    message = SmsMessage.objects.filter(phone_index=blind_index(phone, purpose="sms.phone")).first()
    assert message is not None, f"no text to {phone}"
    return message.text


def texted_code(phone: str) -> str:
    code = re.search(r"\d{6}", last_text(phone))
    assert code is not None
    return code.group(0)


def texted_link(phone: str) -> str:
    """The respondent's link in the newest text to ``phone``."""
    link = re.search(r"https?://\S+/m/r/[A-Za-z0-9_-]+/", last_text(phone))
    assert link is not None
    return link.group(0)


def fits(page: Page) -> None:
    """Nothing on the page is wider than the phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def phone_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in_with_real_name(page: Page, server_url: str, name: str = "赵丽华") -> None:
    """Sign in at /m/login/ with the texted code, then give the real name (the first time)."""
    page.goto(f"{server_url}/m/login/")
    fits(page)
    page.locator("#id_phone").fill(CITIZEN)
    page.get_by_role("button", name="获取验证码").click()
    # The code is read from the texts sent once the page that asks for it is there.
    expect(page.locator("#id_code")).to_be_visible()
    page.locator("#id_code").fill(texted_code(CITIZEN))
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="实名认证")).to_be_visible()
    page.locator("#id_name").fill(name)
    page.locator("#id_id_number").fill(ID_PREFIX + id_number_check_char(ID_PREFIX))
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", name="申请调解")).to_be_visible()
    fits(page)


def apply_for_a_leak(page: Page) -> None:
    """From the first screen of 申请调解: a neighbours' leak, to committee A, with a photo."""
    page.get_by_label("邻里").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#question")).to_have_text("您和邻居因为什么事发生纠纷？")
    page.get_by_role("button", name="漏水").click()
    expect(page.locator("#question")).to_have_text("漏水是否已经修好？")
    page.get_by_role("button", name="否").click()
    page.locator("textarea[name=value]").fill("3000")
    page.get_by_role("button", name="下一步").click()
    fits(page)
    shoot(page, "public-interview")
    page.get_by_role("button", name="是").click()

    expect(page.get_by_role("heading", name="最后一步")).to_be_visible()
    page.locator("#id_summary").fill("楼上漏水，天花板发霉")
    page.locator("#id_requests").fill("修好防水，赔偿3000元")
    page.locator("#id_respondent_name").fill("孙大伟")
    page.locator("#id_respondent_phone").fill(RESPONDENT)
    committee = page.locator("#id_committee option", has_text=COMMITTEE_A).first
    page.locator("#id_committee").select_option(value=committee.get_attribute("value"))
    assert page.locator("#id_files").get_attribute("capture") is not None
    page.locator("#id_files").set_input_files(
        {"name": "ceiling.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    fits(page)
    shoot(page, "public-details")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#case-status")).to_have_text("已收到，正在分派调委会")
    fits(page)


def respondent_answers(phone: Page, link: str) -> None:
    """The respondent opens the texted link: agrees to mediate, a time, their side."""
    phone.goto(link)
    fits(phone)
    phone.get_by_role("button", name="同意调解").click()
    phone.locator("#value").fill("工作日晚上")
    phone.get_by_role("button", name="下一步").click()
    phone.locator("#value").fill("漏水是老房子的问题，愿意分担。")
    phone.get_by_role("button", name="提交答复").click()
    expect(phone.locator("#answered")).to_contain_text("您的答复已转交调委会")
    shoot(phone, "public-respondent")


def draw_and_sign(page: Page, phone: str) -> None:
    """On the signing page: ask for the signing code, draw a signature with the pointer, type
    the code, sign."""
    # Time passes: the last code to this phone was asked for over a minute ago (one a minute).
    OneTimeCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    page.get_by_role("button", name="发送签署验证码").click()
    pad = page.locator("#signature-pad")
    expect(pad).to_be_visible()
    # The pad's script is deferred: it runs before DOMContentLoaded, and a stroke drawn
    # before it listens is lost (the form then says the signature is missing).
    page.wait_for_load_state("domcontentloaded")
    fits(page)
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for x, y in ((80, 40), (130, 110), (190, 50), (260, 100)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()
    page.locator("#id_code").fill(texted_code(phone))
    page.get_by_role("button", name="签署调解协议").click()
    expect(page.locator("#signed")).to_contain_text("您已签署本协议")


def verify_by_upload_and_hash(page: Page, server_url: str, pdf: bytes, sha256: str) -> None:
    """On the public /m/verify/ page: the PDF uploaded, then its hash pasted, both valid."""
    page.goto(f"{server_url}/m/verify/")
    fits(page)
    page.locator("#id_document").set_input_files(
        {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#verify-result")).to_contain_text("有效")
    expect(page.locator("#verify-result")).to_contain_text("人民调解协议书")
    page.locator("#id_sha256").fill(sha256)
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#verify-result")).to_contain_text("有效")
    fits(page)
