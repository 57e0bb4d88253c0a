"""A mediator opens a case's documents, renders the whole file and waits on the page (htmx
polls the status) until the link to the PDF appears."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import go_by_menu, log_in, shoot
from tiaojie.accounts.models import User
from tiaojie.documents.tests.sample import full_case

pytestmark = pytest.mark.browser


def test_mediator_renders_the_whole_case_file(page: Page, server_url: str) -> None:
    case = full_case(User.objects.get(username="demo_mediator"))
    log_in(page, server_url, "demo_mediator")
    page.goto(f"{server_url}/cases/{case.pk}/documents/")
    expect(page.locator("h1")).to_have_text("文书")
    expect(page.locator("table.table tbody tr")).to_have_count(13)
    page.get_by_role("button", name="生成整卷卷宗").click()
    link = page.get_by_role("link", name="打开卷宗（PDF）")
    expect(link).to_be_visible(timeout=20_000)
    shoot(page, "documents-case")
    response = page.request.get(server_url + (link.get_attribute("href") or ""))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_bureau_officer_opens_the_template_page(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_district")
    go_by_menu(page, "core:configuration")
    page.locator("a[data-card='documents:template_list']").click()
    expect(page.locator("h1")).to_have_text("文书模板")
    expect(page.locator("table.table tbody tr")).to_have_count(13)
    shoot(page, "documents-templates")
