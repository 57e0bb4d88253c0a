"""The public side in one run, through the real pages of every person involved (issue 15's
"done when"): a citizen applies on a 360 px phone (the texted sign-in code, the real name, the
guided interview, a photo); the respondent answers through the texted link; the application
waits in 东湖街道's intake queue and the street officer routes it to the committee; the
mediator accepts it, starts mediation and meets the applicant by video (two Chromium processes
with fake cameras), recording with both consents; the mediator draws up the agreement; both
parties sign it on their phones (a drawn signature and a texted code); the mediator signs and
the seal comes last; the applicant downloads the signed PDF and its SHA-256 verifies on the
public /m/verify/ page.

The staff use one Chromium (a desk), the two parties another (their phones). Nothing is
created behind the pages' backs: the only direct write moves the one-a-minute code limit's
clock on, as time would."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.citizen import (
    CITIZEN,
    COMMITTEE_A,
    RESPONDENT,
    apply_for_a_leak,
    draw_and_sign,
    fits,
    last_text,
    phone_context,
    respondent_answers,
    sign_in_with_real_name,
    texted_link,
    verify_by_upload_and_hash,
)
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import VIDEO_CONNECTED_MS, go_by_menu, log_in, shoot, video_connected
from tests.browser.test_case_lifecycle import act, case_url, status, timeline, type_into
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Attachment, Case
from tiaojie.documents.models import SignedDocument
from tiaojie.public.models import Invitation
from tiaojie.video.models import Recording

pytestmark = pytest.mark.browser

# Two browsers on two cores, one of them encoding and decoding video: patience, not a timing.
SLOW_MS = 3 * TIMEOUT_MS


def _staff_page(desk: Browser, server_url: str, username: str) -> Page:
    page = desk.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(SLOW_MS)
    log_in(page, server_url, username)
    return page


def test_an_online_application_goes_from_the_phone_to_a_verified_signed_agreement(
    video_browsers: tuple[Browser, Browser], server_url: str
) -> None:
    desk, handset = video_browsers
    applicant_phone = phone_context(handset)
    applicant_phone.set_default_timeout(SLOW_MS)
    citizen = applicant_phone.new_page()

    # 1. The citizen applies from the phone.
    sign_in_with_real_name(citizen, server_url)
    apply_for_a_leak(citizen)
    case = Case.objects.get(source="online")
    assert case.status == CaseStatus.QUEUED
    assert case.committee.name == "东湖街道司法所"
    my_case_url = citizen.url

    # 2. The respondent answers through the texted link, on a phone of their own.
    respondent_phone = phone_context(handset)
    respondent_phone.set_default_timeout(SLOW_MS)
    respondent = respondent_phone.new_page()
    link = texted_link(RESPONDENT)
    assert "孙大伟" not in last_text(RESPONDENT) and "赵丽华" not in last_text(RESPONDENT)
    respondent_answers(respondent, link)
    assert Invitation.objects.get(case=case).agrees == "yes"

    # 3. The street centre's officer finds it in the intake queue. The applicant asked for
    #    their community's committee, which can take the dispute: routing proposes it first
    #    (ADR 0041), and the officer, reading the routing page, routes it there.
    officer = _staff_page(desk, server_url, "demo_street")
    go_by_menu(officer, "routing:queue")
    row = officer.locator(f"#queued-{case.pk}")
    expect(row).to_contain_text(case.number)
    expect(row).to_contain_text(f"申请人希望：{COMMITTEE_A}")
    shoot(officer, "e2e-01-queue")
    row.get_by_role("link", name="另行分流").click()
    wish = officer.locator("#route-narrative")
    expect(wish).to_contain_text("向哪里申请")
    expect(wish).to_contain_text(COMMITTEE_A)
    officer.locator("#id_committee").select_option(label=COMMITTEE_A)
    officer.locator("#id_reason").fill("申请人选择由东湖社区人民调解委员会调解。")
    shoot(officer, "e2e-01a-route")
    officer.get_by_role("button", name="分流").click()
    expect(officer).to_have_url(f"{server_url}/routing/")
    case.refresh_from_db()
    assert (case.status, case.committee.name) == (CaseStatus.REGISTERED, COMMITTEE_A)
    officer.context.close()

    citizen.goto(my_case_url)
    expect(citizen.locator("#case-status")).to_have_text("调委会已登记")
    expect(citizen.locator("main")).to_contain_text(COMMITTEE_A)

    # 4. The committee's mediator accepts it and starts mediating; the respondent's answers
    #    are on the case page.
    desk_page = _staff_page(desk, server_url, "demo_mediator")
    mediator = User.objects.get(username="demo_mediator")
    desk_page.goto(case_url(server_url, case))
    expect(desk_page.locator("#public-panel")).to_contain_text("漏水是老房子的问题")
    act(desk_page, "accept")
    expect(status(desk_page)).to_have_attribute("data-status", CaseStatus.ACCEPTED)

    def himself(form: Locator) -> None:
        form.locator(f"input[name=mediator_ids][value='{mediator.pk}']").check()

    act(desk_page, "start_mediation", himself)
    expect(status(desk_page)).to_have_attribute("data-status", CaseStatus.IN_MEDIATION)
    citizen.goto(my_case_url)
    expect(citizen.locator("#case-status")).to_have_text("调解中")

    # 5. Video mediation: the applicant gets the room's link by text and joins from the phone;
    #    recording starts only once both have agreed on their own screens.
    desk_page.locator("[data-open-video]").click()
    expect(desk_page.locator("h1")).to_contain_text("视频调解")
    desk_page.locator("button[data-invite='applicant']").click()
    expect(desk_page.locator("[data-invite-link] code")).to_be_visible()
    video_link = re.search(r"https?://\S+/v/[A-Za-z0-9_-]+/", last_text(CITIZEN))
    assert video_link is not None
    citizen.goto(video_link.group(0))
    expect(citizen.locator("h1")).to_have_text("视频调解")
    video_connected(desk_page)
    video_connected(citizen)
    record = desk_page.locator("[data-record]")
    desk_page.locator("[data-consent-button]").click()
    expect(record).to_be_disabled()  # the applicant has not agreed yet
    citizen.locator("[data-consent-button]").click()
    expect(record).to_be_enabled(timeout=VIDEO_CONNECTED_MS)
    shoot(desk_page, "e2e-02-video-mediator")
    shoot(citizen, "e2e-03-video-applicant")
    record.click()
    expect(desk_page.locator("[data-record-note]")).to_have_text("正在录像…")
    desk_page.wait_for_timeout(2500)
    desk_page.locator("[data-stop]").click()
    expect(desk_page.locator("[data-record-note][data-saved='yes']")).to_have_text(
        "录像已存入卷宗。", timeout=VIDEO_CONNECTED_MS
    )
    recording = Recording.objects.get(room__case=case)
    assert Attachment.objects.get(pk=recording.attachment_id).content_type == "video/webm"
    desk_page.get_by_role("button", name="结束调解").click()

    # 6. Back on the case page, the mediator writes the session record (调解记录) of the video
    #    session and draws up the written agreement.
    expect(desk_page).to_have_url(case_url(server_url, case))

    def session(form: Locator) -> None:
        type_into(desk_page, form.locator("#id_place"), "视频调解")
        type_into(desk_page, form.locator("#id_content"), "视频调解，双方同意录音录像并陈述。")

    act(desk_page, "session_add", session)
    expect(timeline(desk_page, "session")).to_have_count(1)

    def agreement(form: Locator) -> None:
        expect(form.locator("input[name=kind][value=written]")).to_be_checked()
        type_into(
            desk_page, form.locator("#id_facts"), "楼上卫生间防水老化，漏水致楼下天花板发霉。"
        )
        type_into(
            desk_page, form.locator("#id_content"), "被申请人于十日内修复防水，并赔偿申请人2000元。"
        )
        type_into(desk_page, form.locator("#id_performance_manner"), "转账")

    act(desk_page, "agreement_draw_up", agreement)
    expect(desk_page.locator("#agreement")).to_have_attribute("data-in-effect", "no")

    # 7. Both parties sign on their phones.
    citizen.goto(my_case_url)
    citizen.locator("#sign-link").click()
    expect(citizen.locator("#agreement-text")).to_contain_text("被申请人于十日内修复防水")
    draw_and_sign(citizen, CITIZEN)
    shoot(citizen, "e2e-04-applicant-signed")
    respondent.goto(link)
    respondent.locator("#sign-link").click()
    draw_and_sign(respondent, RESPONDENT)

    # 8. The mediator signs and the seal comes last: the agreement takes effect.
    desk_page.reload()
    act(desk_page, "agreement_sign")
    expect(desk_page.locator("#agreement")).to_have_attribute("data-in-effect", "yes")
    expect(status(desk_page)).to_have_attribute("data-status", CaseStatus.AGREED)
    shoot(desk_page, "e2e-05-sealed")

    # 9. The applicant downloads the signed PDF; its hash verifies on the public page.
    citizen.reload()
    sha256 = citizen.locator("#sha256").inner_text().strip()
    href = citizen.get_by_role("link", name="下载已签署的调解协议（PDF）").get_attribute("href")
    assert href is not None
    pdf = citizen.request.get(f"{server_url}{href}").body()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == sha256 == SignedDocument.objects.get(case=case).sha256
    verify_by_upload_and_hash(citizen, server_url, pdf, sha256)
    shoot(citizen, "e2e-06-verified")
    fits(citizen)
    for context in (applicant_phone, respondent_phone, desk_page.context):
        context.close()
