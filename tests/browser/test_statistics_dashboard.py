"""The dashboard and the command-centre screen draw their charts (vendored ECharts, no CSP
violation) over the demo cases; the screen fits a 1920×1080 wall without scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.statistics.demo import seed_statistics_demo

pytestmark = pytest.mark.browser


def test_dashboard_and_screen(context: BrowserContext, page: Page, server_url: str) -> None:
    seed_demo_cases(24)
    seed_statistics_demo()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    # What the pages load must be there (Chromium's own favicon request aside).
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, server_url, "demo_district")
    page.goto(f"{server_url}/statistics/dashboard/")
    for chart in ("chart-trend", "chart-types", "chart-ranking", "chart-rates"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    shoot(page, "statistics-dashboard")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server_url}/statistics/screen/")
    expect(page.locator("#kpi-today .value")).to_be_visible()
    expect(page.locator("#chart-trend canvas")).to_have_count(1)
    scroll = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= 1920 and scroll[1] <= 1080, scroll
    shoot(page, "statistics-screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server_url}/statistics/?period=2026")
    shoot(page, "statistics-report")
    assert errors == [], errors
