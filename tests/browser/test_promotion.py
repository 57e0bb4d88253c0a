"""A grade promotion in the browser: the committee's director finds the mediator on the roster
and proposes a higher grade (empty grounds refused beside the field, the chosen grade kept),
the district bureau approves it from its list of proposals, and the mediator's page then shows
the new grade with the approved promotion. Every page is reached through the menu and links."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import go_by_menu, log_in, log_out, shoot
from tiaojie.mediators.services import ladder_set
from tiaojie.mediators.tests.helpers import register, user

pytestmark = pytest.mark.browser

MEDIATOR = "蒋桂芝"


def _grade(page: Page) -> Locator:
    return page.locator("dl.facts dt:text-is('等级') + dd")


def test_a_committee_proposes_a_promotion_and_the_bureau_approves_it(
    page: Page, server_url: str
) -> None:
    # The district's ladder, and a 初级 mediator of 东湖社区 registered by its director.
    grades = {
        g.name: g for g in ladder_set(actor=user("demo_district"), names=["初级", "中级", "高级"])
    }
    register(user("demo_director"), name=MEDIATOR, serial=731, grade_id=grades["初级"].pk)

    page.goto(f"{server_url}/login/", timeout=60_000)  # the first page of a cold server
    log_in(page, server_url, "demo_director")
    go_by_menu(page, "mediators:mediator_list")
    page.get_by_role("link", name=MEDIATOR, exact=True).click()
    expect(page.locator("h1")).to_contain_text(MEDIATOR)
    expect(_grade(page)).to_have_text("初级")

    page.get_by_role("link", name="申报晋级").click()
    page.locator("#id_to_grade").select_option(label="中级")
    page.get_by_role("button", name="申报").click()
    expect(page.locator(".field.has-error")).to_contain_text("申报理由")
    expect(page.locator("#id_to_grade option:checked")).to_have_text("中级")  # nothing lost

    page.locator("#id_grounds").fill("近三年调解纠纷一百余件，考核均为优秀。")
    page.get_by_role("button", name="申报").click()
    expect(page.locator("body")).to_contain_text("晋级申报已报送司法局")
    expect(page.locator("#grade-honours")).to_contain_text("初级 → 中级")
    expect(_grade(page)).to_have_text("初级")  # not before the bureau approves
    log_out(page)

    log_in(page, server_url, "demo_district")
    go_by_menu(page, "mediators:promotion_list")
    row = page.locator("#promotions-open tr", has_text=MEDIATOR)
    expect(row).to_contain_text("近三年调解纠纷一百余件")
    shoot(page, "promotion-proposed")
    row.get_by_role("button", name="批准", exact=True).click()
    expect(page.locator("#promotions-open")).not_to_contain_text(MEDIATOR)
    decided = page.locator("#promotions-decided tr", has_text=MEDIATOR)
    expect(decided).to_contain_text("中级")

    decided.get_by_role("link", name=MEDIATOR).click()
    expect(page.locator("h1")).to_contain_text(MEDIATOR)
    expect(_grade(page)).to_have_text("中级")
    expect(page.locator("#grade-honours")).to_contain_text("初级 → 中级")
    shoot(page, "promotion-approved")
