"""Screening in the browser: a committee director records a finding (a missing place is
refused in Chinese, what was typed kept), reports the round, and turns the finding into a case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import go_by_menu, log_in, shoot
from tiaojie.screening.models import Finding
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.browser


def test_report_a_round_with_a_finding_and_turn_it_into_a_case(page: Page, server_url: str) -> None:
    screening_round = h.make_round()
    log_in(page, server_url, "demo_director")
    go_by_menu(page, "screening:round_list")
    page.locator(f"a[href='/screening/rounds/{screening_round.pk}/']").click()
    expect(page.locator("#round-status")).to_have_text("待上报")

    form = page.locator("#finding-form")
    form.get_by_label("涉及人员").fill("刘某、陈某")
    form.get_by_label("情况").fill("租金纠纷，双方多次争吵")
    form.get_by_role("button", name="添加线索").click()
    expect(page.locator("#finding-form")).to_contain_text("请填写地点")
    expect(page.locator("#finding-form").get_by_label("情况")).to_have_value(
        "租金纠纷，双方多次争吵"
    )
    page.locator("#finding-form").get_by_label("地点").fill("梨园路12号")
    page.locator("#finding-form").get_by_role("button", name="添加线索").click()
    expect(page.locator("#findings table")).to_contain_text("梨园路12号")

    page.locator("#report-form").get_by_role("button", name="上报").click()
    expect(page.locator("#round-status")).to_have_text("已上报")
    shoot(page, "screening-round-reported")

    page.get_by_role("link", name="梨园路12号").click()
    to_case = page.locator("#to-case")
    to_case.get_by_label("纠纷类型").select_option(index=1)
    to_case.get_by_label("申请人", exact=True).fill("刘某")
    to_case.get_by_label("被申请人", exact=True).fill("陈某")
    to_case.get_by_role("button", name="登记为案件").click()
    expect(page.locator("#finding-status")).to_have_text("已转为案件")
    finding = Finding.objects.get()
    assert finding.case is not None
    expect(page.locator("#finding-case")).to_have_text(finding.case.number)
    page.locator("#finding-case").click()
    expect(page).to_have_url(re.compile(rf"/cases/{finding.case.pk}/$"))
    # The case page loads its panels after it shows; let them finish before the test's database
    # is emptied, or the flush meets a table the server is still reading.
    page.wait_for_load_state("networkidle")
