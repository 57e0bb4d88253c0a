"""What a role may not see is refused: out-of-scope rows are 404, missing capabilities 403."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import go_by_menu, log_in, org_url, shoot

pytestmark = pytest.mark.browser


def assert_status(page: Page, url: str, status: int) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url}: {response.status}"
    # The error page is a full page of the site, still signed in, with the menu.
    expect(page.locator("a[data-nav='workbench:home']")).to_have_count(1)
    expect(page.locator("main section.panel").first).to_be_visible()


def test_mediator_cannot_open_a_sibling_committee(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_mediator")
    assert_status(page, org_url(server_url, "东湖社区人民调解委员会"), 200)
    assert_status(page, org_url(server_url, "梨园社区人民调解委员会"), 404)
    expect(page.locator("main")).not_to_contain_text("梨园社区人民调解委员会")
    # Nor can it list the sibling's branch through the tree's htmx endpoint.
    sibling = org_url(server_url, "梨园社区人民调解委员会").rstrip("/").rsplit("/", 1)[1]
    assert_status(page, f"{server_url}/organisations/?parent={sibling}", 404)


def test_mediator_of_the_other_committee_cannot_open_the_first(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_mediator_b")
    assert_status(page, org_url(server_url, "梨园社区人民调解委员会"), 200)
    assert_status(page, org_url(server_url, "东湖社区人民调解委员会"), 404)
    expect(page.locator("main")).not_to_contain_text("王秀兰")


def test_mediator_cannot_open_the_audit_trail(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_mediator")
    assert_status(page, f"{server_url}/audit/", 403)
    expect(page.locator("#events")).to_have_count(0)


def test_audit_admin_sees_the_trail_but_not_the_tree(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_auditadmin")
    assert_status(page, f"{server_url}/organisations/", 403)
    expect(page.locator("ul.tree")).to_have_count(0)

    go_by_menu(page, "audit:event_list")
    expect(page).to_have_url(f"{server_url}/audit/")
    rows = page.locator("#events tbody tr")
    expect(rows.first).to_be_visible()
    # The newest event is the login the audit administrator has just made (code 100), in words.
    expect(rows.first.locator("td").nth(1)).to_have_text(re.compile(r"^\s*登录成功\s+100\b"))
    expect(rows.first.locator("td").nth(2)).to_contain_text("吴刚")
    shoot(page, "audit-list")


def test_district_officer_cannot_open_another_districts_office(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_district")
    assert_status(page, org_url(server_url, "水果湖街道司法所"), 200)
    assert_status(page, org_url(server_url, "青山街道司法所"), 404)
    expect(page.locator("main")).not_to_contain_text("青山街道司法所")
