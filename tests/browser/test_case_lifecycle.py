"""A dispute from intake to archive in the browser, the refusals around it, and the whole-file
render. Assertions rest on URLs, ids and data attributes, case numbers and names, never on
translated text."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Route, expect
from pypdf import PdfReader

from tests.browser.helpers import (
    SCREENSHOT_DIR,
    go_by_menu,
    log_in,
    log_out,
    screenshots_wanted,
    shoot,
    switch_user,
)
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import Attachment, Case, DisputeType
from tiaojie.cases.tests import factories
from tiaojie.documents import services as document_services
from tiaojie.documents.models import CaseFileRender, RenderStatus

pytestmark = pytest.mark.browser

APPLICANT, RESPONDENT = "王建华", "李秀英"
APPLICANT_ID = factories.id_number("42010219800315123")
NUMBER = re.compile(r"^（\d{4}）东湖社区人调字第\d+号$")


def case_url(server_url: str, case: Case) -> str:
    return f"{server_url}/cases/{case.pk}/"


def status(page: Page) -> Locator:
    return page.locator("#case-head [data-status]")


def timeline(page: Page, kind: str) -> Locator:
    return page.locator(f"#timeline li[data-kind='{kind}']")


def act(page: Page, name: str, fill: Callable[[Locator], None] | None = None) -> None:
    """Open an action's form from the case's bar, fill it in, submit it and wait for the case
    page to come back (htmx redirects to it; a refused form would stay in #action-form)."""
    page.locator(f"#action-bar a[data-action='{name}']").click()
    form = page.locator(f"#action-form #action-{name} form")
    expect(form).to_be_visible()
    if fill is not None:
        fill(form)
    form.locator("button[type=submit]").click()
    # Either the page came back (its #action-form empty) or the form was refused in place.
    settled = page.locator("#action-form:empty, #action-form .form-errors, #action-form .has-error")
    expect(settled.first).to_be_attached()
    refused = page.locator("#action-form").inner_text().strip()
    assert not refused, f"{name} refused: {refused}"


def type_into(page: Page, field: Locator, text: str) -> None:
    field.focus()
    page.keyboard.type(text)


def test_a_new_user_takes_a_case_from_intake_to_archive(page: Page, server_url: str) -> None:
    mediator = User.objects.get(username="demo_mediator")
    log_in(page, server_url, "demo_mediator")

    # Intake, from the menu, typed as a clerk would.
    go_by_menu(page, "cases:case_register")
    expect(page).to_have_url(f"{server_url}/cases/new/")
    dispute_type = page.locator("#id_dispute_type")
    expect(dispute_type).to_be_focused()
    dispute_type.select_option(str(DisputeType.objects.get(code="neighbours").pk))
    page.locator("#id_source").select_option(CaseSource.HOTLINE.value)
    type_into(page, page.locator("#id_summary"), "楼上漏水殃及楼下，双方就维修费用发生争执")
    page.keyboard.press("Tab")
    expect(page.locator("#id_narrative")).to_be_focused()
    page.keyboard.type("申请人称，楼上卫生间防水老化，连续三个月漏水，天花板发霉。")

    type_into(page, page.locator("#id_parties-0-name"), APPLICANT)
    page.keyboard.press("Tab")
    expect(page.locator("#id_parties-0-id_number")).to_be_focused()
    page.keyboard.type(APPLICANT_ID)
    # Leaving the field looks the person up, then checks for the same dispute twice.
    with page.expect_response(re.compile(r"/cases/new/duplicates/")):
        page.keyboard.press("Tab")
    expect(page.locator("#id_parties-0-phone")).to_be_focused()
    page.keyboard.type("13812345678")
    with page.expect_response(re.compile(r"/cases/new/duplicates/")):
        page.keyboard.press("Tab")
    type_into(page, page.locator("#id_parties-1-name"), RESPONDENT)
    shoot(page, "lifecycle-01-intake")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/cases/\d+/$"))
    case = Case.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert NUMBER.match(case.number), case.number
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(status(page)).to_have_attribute("data-status", "registered")
    expect(page.locator("#parties .party-name")).to_have_text([APPLICANT, RESPONDENT])
    assert APPLICANT_ID not in page.content()  # masked until explicitly revealed
    shoot(page, "lifecycle-02-registered")

    act(page, "accept")
    expect(status(page)).to_have_attribute("data-status", "accepted")

    def himself(form: Locator) -> None:
        form.locator(f"input[name=mediator_ids][value='{mediator.pk}']").check()
        shoot(page, "lifecycle-02a-start-mediation-form")

    act(page, "start_mediation", himself)
    expect(status(page)).to_have_attribute("data-status", "in_mediation")
    expect(page.locator("#case-mediators")).to_contain_text(mediator.full_name)

    def session(form: Locator) -> None:
        type_into(page, form.locator("#id_place"), "东湖社区调解室")
        type_into(page, form.locator("#id_content"), "告知权利义务后，双方陈述，调解员释法说理。")

    act(page, "session_add", session)
    expect(timeline(page, "session")).to_have_count(1)

    # The respondent gave no ID number at intake: a copy of her identity card goes in the file.
    def identity(form: Locator) -> None:
        form.locator("#id_kind").select_option(Attachment.Kind.IDENTITY.value)
        type_into(page, form.locator("#id_title"), f"{RESPONDENT}身份证复印件")
        form.locator("#id_file").set_input_files(
            {"name": "id-card.png", "mimeType": "image/png", "buffer": tiny_png()}
        )

    act(page, "attachment_add", identity)
    expect(timeline(page, "attachment")).to_have_count(1)
    shoot(page, "lifecycle-03-in-mediation")

    def agreement(form: Locator) -> None:
        expect(form.locator("input[name=kind][value=written]")).to_be_checked()
        type_into(page, form.locator("#id_facts"), "漏水系被申请人卫生间防水老化所致。")
        type_into(page, form.locator("#id_content"), "被申请人于十日内修复防水，并赔偿2000元。")
        type_into(page, form.locator("#id_performance_manner"), "现金当面支付")

    act(page, "agreement_draw_up", agreement)
    expect(page.locator("#agreement")).to_have_attribute("data-in-effect", "no")
    expect(timeline(page, "agreement")).to_have_count(1)

    # One form records every signature and the seal; a person's fingerprint box comes ticked.
    def sign(form: Locator) -> None:
        for party in case.parties.order_by("pk"):
            expect(form.locator(f"input[name=party_{party.pk}]")).to_be_checked()
            expect(form.locator(f"input[name=fingerprint_{party.pk}]")).to_be_checked()
        expect(form.locator("input[name=mediator]")).to_be_checked()
        expect(form.locator("input[name=seal]")).to_be_checked()
        shoot(page, "lifecycle-03a-sign-form")

    act(page, "agreement_sign", sign)
    expect(timeline(page, "signature")).to_have_count(case.parties.count() + 2)
    expect(page.locator("#agreement")).to_have_attribute("data-in-effect", "yes")
    expect(page.locator("#action-bar a[data-action='agreement_sign']")).to_have_count(0)
    # In effect, the case is agreed: no step left to confirm it.
    expect(status(page)).to_have_attribute("data-status", "agreed")
    expect(page.locator("#action-bar a[data-action='reach_agreement']")).to_have_count(0)
    shoot(page, "lifecycle-04-signed")

    # The agreement as PDF, from the documents page.
    page.locator("#case-documents").click()
    expect(page).to_have_url(f"{server_url}/cases/{case.pk}/documents/")
    shoot(page, "lifecycle-06-documents")
    # The link opens the PDF in a new tab (inline); Alt+click saves it, as in desktop Chrome.
    with page.expect_download() as download_info:
        page.locator(f"a[href^='/cases/{case.pk}/documents/agreement.pdf']").click(
            modifiers=["Alt"]
        )
    path = download_info.value.path()
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", "", text)
    for expected in (case.number, APPLICANT, RESPONDENT):
        assert expected in text, expected
    render_first_page(data, "lifecycle-07-agreement-pdf")

    # The director archives it.
    log_out(page)
    expect(page).to_have_url(f"{server_url}/login/")
    log_in(page, server_url, "demo_director")
    go_by_menu(page, "cases:case_list")
    page.locator(f"a[href='/cases/{case.pk}/']", has_text=case.number).click()
    expect(page).to_have_url(case_url(server_url, case))
    act(page, "archive")
    expect(status(page)).to_have_attribute("data-status", "archived")
    expect(page.locator("#action-bar a[data-action='archive']")).to_have_count(0)
    moves = page.locator("#timeline li[data-kind='move']")
    expect(moves).to_have_count(4)
    assert [m.get_attribute("data-status") for m in moves.all()] == [
        "accepted",
        "in_mediation",
        "agreed",
        "archived",
    ]
    expect(timeline(page, "register")).to_have_count(1)
    shoot(page, "lifecycle-08-archived")


def tiny_png() -> bytes:
    """A valid 1×1 grey PNG, standing in for a scan."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def render_first_page(data: bytes, name: str) -> None:
    """The PDF's first page as PNG next to the screenshots (pdftoppm, poppler-utils)."""
    if not screenshots_wanted():
        return
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "apt-get install -y poppler-utils"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed tool, arguments of our own
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-",
            str(SCREENSHOT_DIR / name),
        ],
        input=data,
        check=True,
    )


def test_refusals_around_a_case(page: Page, server_url: str) -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = factories.to_mediation(mediator, factories.register(mediator))
    url = case_url(server_url, case)

    log_in(page, server_url, "demo_mediator_b")
    for refused in (url, f"{url}documents/", f"{url}actions/?do=session_add"):
        response = page.goto(refused)
        assert response is not None
        assert response.status == 404, refused
    expect(page.locator("main")).not_to_contain_text(case.number)

    switch_user(page, server_url, "demo_street")
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(page.locator("#parties .party-name")).to_have_text([APPLICANT, RESPONDENT])
    expect(page.locator("#action-bar")).to_be_attached()
    expect(page.locator("a[data-action]")).to_have_count(0)
    html = page.content()
    for party in case.parties.all():
        assert party.id_number, party.name
        assert party.id_number not in html, party.name
    shoot(page, "lifecycle-09-officer")
    # The street officer registers into the centre's queue, but records nothing on a case.
    response = page.goto(f"{url}actions/?do=session_add")
    assert response is not None
    assert response.status == 403


def test_the_whole_file_is_rendered_while_the_page_polls(
    page: Page, server_url: str, settings: Any
) -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = factories.to_agreement(mediator, factories.register(mediator))
    # Queue the render without running it; the "worker" below runs it on the page's first poll,
    # while the browser holds that request, so the database is never used from two threads.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    polls: list[str] = []

    def worker(route: Route) -> None:
        polls.append(route.request.url)
        for render in CaseFileRender.objects.filter(case=case, status=RenderStatus.QUEUED):
            document_services.case_file_render_run(render_id=render.pk)
        route.continue_()

    page.route(re.compile(rf"/cases/{case.pk}/file/status/$"), worker)
    log_in(page, server_url, "demo_mediator")
    page.goto(f"{server_url}/cases/{case.pk}/documents/")
    whole_file = page.locator(f"#render-status a[href='/cases/{case.pk}/file.pdf']")
    expect(whole_file).to_have_count(0)
    page.locator("#render-status form button[type=submit]").click()
    # Queued: the status fragment polls itself.
    expect(page.locator("#render-status[hx-trigger]")).to_be_attached()
    expect(whole_file).to_be_visible()
    expect(page.locator("#render-status[hx-trigger]")).to_have_count(0)
    assert polls, "the link appeared without the page polling"
    response = page.request.get(f"{server_url}/cases/{case.pk}/file.pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
