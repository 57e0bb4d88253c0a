"""At a 360 px phone width pages fit the screen and the menu folds behind a toggle."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.helpers import log_in, org_url, shoot

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.mark.parametrize(
    "name", ["东湖街道司法所", "东湖社区人民调解委员会"], ids=["office", "committee"]
)
def test_organisation_page_fits_a_phone(page: Page, server_url: str, name: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, "demo_street")
    page.goto(org_url(server_url, name))
    expect(page.locator("#children")).to_be_visible()
    expect(page.locator("#staff")).to_be_visible()

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{name}: page is {scroll_width}px wide"

    nav = page.locator("nav.mainnav")
    expect(nav).to_be_hidden()
    page.locator("label.nav-toggle-label").click()
    expect(nav).to_be_visible()
    expect(nav.locator("a[data-nav='organisations:tree']")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, f"phone-detail-{'office' if name.endswith('司法所') else 'committee'}")
