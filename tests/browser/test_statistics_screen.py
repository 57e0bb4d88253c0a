"""The command screen on a 1920×1080 wall refreshes in place: a case registered elsewhere (in
another browser) shows in today's intake without a reload, and a failed refresh keeps the
last figures with a quiet note of their age instead of a blank screen."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import DisputeType
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import dashboard, periods

pytestmark = pytest.mark.browser

REFRESH_MS = 5_000


def _register_a_case(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/cases/new/")
    page.locator("#id_dispute_type").select_option(
        str(DisputeType.objects.get(code="neighbours").pk)
    )
    page.locator("#id_source").select_option(CaseSource.HOTLINE.value)
    page.locator("#id_summary").fill("楼上漏水殃及楼下，双方就维修费用发生争执")
    page.locator("#id_parties-0-name").fill("王建华")
    page.locator("#id_parties-1-name").fill("李秀英")
    page.locator("#id_summary").press("Enter")
    expect(page).to_have_url(re.compile(rf"^{re.escape(server_url)}/cases/\d+/$"))


def test_the_screen_follows_a_new_case_without_reloading(
    browser: Browser, page: Page, server_url: str
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, server_url, "demo_district")
    page.goto(f"{server_url}/statistics/screen/?refresh=5")
    today = page.locator("#kpi-today [data-live='today']")
    expect(today).to_be_visible()
    expect(page.locator("#chart-trend canvas")).to_have_count(1)
    before = int(today.inner_text())
    # A mark on this very document: a reload would wipe it.
    page.evaluate("window.stillTheSamePage = true")

    clerk_context = browser.new_context(locale="zh-CN")
    try:
        clerk = clerk_context.new_page()
        log_in(clerk, server_url, "demo_mediator")
        _register_a_case(clerk, server_url)
    finally:
        clerk_context.close()

    expect(today).to_have_text(str(before + 1), timeout=4 * REFRESH_MS)
    # Refreshed in place, the rate is still written as the dashboard writes it: two decimals,
    # or "—" while nothing is mediated this year (null in the reading).
    rate = dashboard.totals(
        Organisation.objects.get(name="东湖区司法局"), periods.parse(str(timezone.localdate().year))
    )["success_rate"]
    expect(page.locator("#kpi-rate .value")).to_have_text("—" if rate is None else f"{rate:.2f}")
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#screen-updated")).to_contain_text("更新于")
    expect(page.locator("#screen-stale")).to_be_hidden()
    scroll = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= 1920 and scroll[1] <= 1080, scroll
    shoot(page, "statistics-screen-live")

    # The server goes away: the figures stay, a quiet line says how old they are.
    def fail(route: Route) -> None:
        route.abort()

    page.route(re.compile(r"/statistics/screen/data\.json"), fail)
    stale = page.locator("#screen-stale")
    expect(stale).to_be_visible(timeout=4 * REFRESH_MS)
    expect(stale).to_contain_text(re.compile(r"连接中断，\d+秒前的数据"))
    expect(today).to_have_text(str(before + 1))
    expect(page.locator("#chart-trend canvas")).to_have_count(1)
    shoot(page, "statistics-screen-stale")

    # Back again: the note goes.
    page.unroute(re.compile(r"/statistics/screen/data\.json"))
    expect(stale).to_be_hidden(timeout=4 * REFRESH_MS)
