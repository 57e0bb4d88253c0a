"""Browsing the organisation tree: open branches (htmx), follow a link, search."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import go_by_menu, log_in, org_url, shoot

pytestmark = pytest.mark.browser

OFFICE = "东湖街道司法所"
COMMITTEE_A = "东湖社区人民调解委员会"
COMMITTEE_B = "梨园社区人民调解委员会"


def test_street_officer_browses_from_its_office_down_to_a_committee(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, "demo_street")
    go_by_menu(page, "organisations:tree")
    expect(page).to_have_url(f"{server_url}/organisations/")

    # The tree starts at the officer's own office, nothing above or beside it.
    roots = page.locator("ul.tree > li[data-org]")
    expect(roots).to_have_count(1)
    root = roots.first
    expect(root.locator("summary > a").first).to_have_text(OFFICE)

    # The root branch is open and htmx fills it with the office's children.
    branch = root.locator(":scope > details > ul")
    expect(branch.locator(":scope > li[data-org]", has_text=COMMITTEE_A)).to_have_count(1)
    expect(branch.locator(":scope > li[data-org]", has_text=COMMITTEE_B)).to_have_count(1)
    expect(root.locator(":scope > details")).to_have_attribute("open", "")

    # Opening a closed branch loads its grids on demand.
    committee = branch.locator(":scope > li[data-org]", has_text=COMMITTEE_A)
    details = committee.locator(":scope > details")
    expect(details).not_to_have_attribute("open", "")
    committee.locator(":scope > details > summary").click(position={"x": 4, "y": 12})
    grids = committee.locator(":scope > details > ul > li[data-org]")
    expect(grids).to_have_count(2)
    expect(grids.first).to_contain_text("第一网格")
    expect(details).to_have_attribute("open", "")
    shoot(page, "tree-expanded")

    # Following the committee's link opens its page: grids below, staff listed.
    committee.locator(":scope > details > summary > a").click()
    expect(page).to_have_url(org_url(server_url, COMMITTEE_A))
    expect(page.locator("h1")).to_contain_text(COMMITTEE_A)
    children = page.locator("#children tbody tr[data-org]")
    expect(children).to_have_count(2)
    expect(children.nth(0)).to_contain_text("第一网格")
    expect(children.nth(1)).to_contain_text("第二网格")
    staff = page.locator("#staff tbody")
    expect(staff).to_contain_text("王秀兰")
    expect(staff).to_contain_text("李建国")
    # The breadcrumb leads back up to the officer's own office, not beyond.
    expect(page.locator("nav.breadcrumb a", has_text=OFFICE)).to_have_count(1)
    expect(page.locator("nav.breadcrumb a", has_text="东湖区司法局")).to_have_count(0)
    shoot(page, "organisation-detail")


def test_street_officer_searches_the_tree(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_street")
    page.goto(f"{server_url}/organisations/")
    page.locator("form[role=search] input[name=q]").fill("梨园")

    results = page.locator("#search-results tbody tr[data-org]")
    expect(results.first).to_contain_text(COMMITTEE_B)
    # htmx pushes the search into the address bar, so it can be bookmarked and shared.
    expect(page).to_have_url(
        re.compile(rf"/organisations/\?(.*&)?q={re.escape(quote('梨园'))}(&|$)")
    )
    assert all("梨园" in text for text in results.all_inner_texts())
    expect(page.locator("#search-results")).not_to_contain_text(COMMITTEE_A)

    results.first.locator("a").click()
    expect(page).to_have_url(org_url(server_url, COMMITTEE_B))
