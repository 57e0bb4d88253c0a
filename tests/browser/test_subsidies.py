"""The per-case subsidy in the browser: 东湖社区's director computes last month's sheet and
submits it, the street office approves, and the district bureau approves and records the
payment; the sheet is then locked (no step left, no recomputing)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, log_out, shoot
from tiaojie.subsidies.tests.helpers import D, ended_case, last_month, standard_rules

pytestmark = pytest.mark.browser


def _log_out(page: Page) -> None:
    log_out(page)


def test_a_subsidy_sheet_is_approved_up_the_chain(page: Page, server_url: str) -> None:
    standard_rules()
    ended_case(last_month())
    ended_case(last_month(), amount=D(20000))
    ended_case(last_month(), performance="pending")
    month = f"{last_month():%Y-%m}"

    page.goto(f"{server_url}/login/", timeout=60_000)
    log_in(page, server_url, "demo_director")
    page.goto(f"{server_url}/subsidies/?month={month}")
    page.get_by_role("button", name="计算本月补贴表").click()
    expect(page.locator("#sheet-total")).to_contain_text("110.00")
    expect(page.locator("#excluded-cases")).to_contain_text("协议尚未履行")
    shoot(page, "subsidy-sheet")
    page.get_by_role("button", name="报送").click()
    expect(page.locator("#sheet-status")).to_contain_text("已报司法所")
    sheet_url = page.url
    _log_out(page)

    log_in(page, server_url, "demo_street")
    page.goto(sheet_url)
    page.get_by_role("button", name="审核通过（司法所）").click()
    expect(page.locator("#sheet-status")).to_contain_text("司法所已审核")
    _log_out(page)

    log_in(page, server_url, "demo_district")
    page.goto(f"{server_url}/subsidies/?month={month}")
    page.get_by_role("link", name="东湖社区人民调解委员会").click()
    page.get_by_role("button", name="审批通过（司法局）").click()
    expect(page.locator("#sheet-status")).to_contain_text("司法局已审批")
    page.get_by_role("button", name="登记发放").click()
    expect(page.locator("#sheet-status")).to_contain_text("已发放（锁定）")
    expect(page.locator("#sheet-actions")).to_have_count(0)
    expect(page.locator("#approval-steps li")).to_have_count(4)
