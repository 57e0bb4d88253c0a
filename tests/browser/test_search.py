"""Searching the case list as a clerk types (issue 9, item 4): a rare name, a case number, and
a query the search cannot look for, explained above an empty list."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.accounts.models import User
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories

pytestmark = pytest.mark.browser


def test_the_list_finds_a_rare_name_and_a_number_and_explains_an_emoji(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, "demo_mediator")
    mediator = User.objects.get(username="demo_mediator")
    rare = factories.register(
        mediator,
        parties=[
            intake.PartyData(role=PartyRole.APPLICANT, name="黄𪚥"),
            intake.PartyData(role=PartyRole.RESPONDENT, name="李秀英"),
        ],
    )
    common = factories.register(mediator)
    page.goto(f"{server_url}/cases/")
    rows = page.locator("#case-results table tbody tr")
    search = page.locator("#id_q")
    search.fill("黄𪚥")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(rare.number)
    search.fill("2号")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(common.number)
    search.fill("😀")
    expect(page.locator("#case-results .error")).to_contain_text("无法搜索😀")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.empty")).to_have_count(1)
    shoot(page, "case-list-unsearchable")


def test_a_frequent_word_says_how_far_the_count_went(
    page: Page, server_url: str, settings: Any
) -> None:
    settings.TIAOJIE_CASE_COUNT_CAP = 2
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 0  # counted up to the cap (no estimate, ADR 0059)
    log_in(page, server_url, "demo_mediator")
    mediator = User.objects.get(username="demo_mediator")
    for _ in range(3):
        factories.register(mediator, summary="物业费纠纷", narrative="业主拖欠物业费。")
    page.goto(f"{server_url}/cases/?q=费")
    expect(page.locator("#case-results")).to_contain_text("共 2+ 件案件")
    expect(page.locator("#case-results table tbody tr")).to_have_count(3)
    shoot(page, "case-list-count-capped")
