"""Video mediation between two headless Chromium instances with fake cameras on loopback: the
mediator opens a room from the case page and invites the applicant; the applicant opens the
link on a phone-sized screen; both see each other; recording waits for both consents; the
recording is kept with the case file."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import VIDEO_CONNECTED_MS, log_in, shoot, video_connected
from tiaojie.accounts.models import User
from tiaojie.cases.models import Attachment
from tiaojie.cases.tests.factories import register
from tiaojie.video.models import Recording

pytestmark = pytest.mark.browser

# Two browsers, each encoding and decoding video, on two cores: more than the suite's default.
SLOW_MS = 3 * TIMEOUT_MS


def test_mediator_and_applicant_meet_by_video_and_record_with_consent(
    video_browsers: tuple[Browser, Browser], server_url: str
) -> None:
    case = register(User.objects.get(username="demo_mediator"))
    desk, phone = video_browsers
    mediator = desk.new_context(locale="zh-CN").new_page()
    mediator.set_default_timeout(SLOW_MS)
    log_in(mediator, server_url, "demo_mediator")
    mediator.goto(f"{server_url}/cases/{case.pk}/")
    mediator.locator("[data-open-video]").click()
    expect(mediator.locator("h1")).to_contain_text("视频调解")
    mediator.locator("button[data-invite='applicant']").click()
    link = mediator.locator("[data-invite-link] code").inner_text()
    assert "/v/" in link and case.parties.get(role="applicant").name not in link

    applicant = phone.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}).new_page()
    applicant.set_default_timeout(SLOW_MS)
    applicant.goto(link)
    expect(applicant.locator("h1")).to_have_text("视频调解")

    video_connected(mediator)
    video_connected(applicant)
    expect(mediator.locator("[data-status]")).to_have_text("已连接")
    expect(applicant.locator("[data-status]")).to_have_text("已连接")

    record = mediator.locator("[data-record]")
    expect(record).to_be_disabled()
    mediator.locator("[data-consent-button]").click()
    expect(record).to_be_disabled()  # the applicant has not agreed yet
    applicant.locator("[data-consent-button]").click()
    expect(applicant.locator("[data-consent-button]")).to_have_text("已同意录音录像")
    expect(record).to_be_enabled(timeout=VIDEO_CONNECTED_MS)
    shoot(mediator, "video-mediator")
    shoot(applicant, "video-applicant")

    record.click()
    expect(mediator.locator("[data-record-note]")).to_have_text("正在录像…")
    mediator.wait_for_timeout(2500)
    mediator.locator("[data-stop]").click()
    expect(mediator.locator("[data-record-note][data-saved='yes']")).to_have_text(
        "录像已存入卷宗。", timeout=VIDEO_CONNECTED_MS
    )

    recording = Recording.objects.get(room__case=case)
    attachment = Attachment.objects.get(pk=recording.attachment_id)
    assert attachment.content_type == "video/webm" and attachment.size > 1000
    assert {c["label"].split(" ")[0] for c in recording.consents} == {"调解员", "申请人"}
