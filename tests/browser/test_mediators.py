"""Registering a mediator and recording their training, in the browser: the roster from the
menu, the form (a wrong check digit refused beside the field, the input kept), the audited
reveal, a course, its attendance, and the training shown on the mediator's page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import go_by_menu, log_in, shoot
from tiaojie.core.validators import id_number_check_char

pytestmark = pytest.mark.browser

COMMITTEE_A = "东湖社区人民调解委员会"
BODY = "42010619700512003"
GOOD = BODY + id_number_check_char(BODY)
BAD = BODY + ("1" if GOOD[-1] != "1" else "2")


def test_a_director_registers_a_mediator_and_records_training(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_director")
    go_by_menu(page, "mediators:mediator_list")
    page.get_by_role("link", name="登记调解员").click()

    page.locator("#id_committee").select_option(label=COMMITTEE_A)
    page.locator("#id_name").fill("欧阳明")
    page.locator("#id_id_number").fill(BAD)
    page.locator("#id_phone").fill("13911112222")
    page.locator("#id_employment").select_option("full_time")
    page.locator("#id_source").select_option("retired_judge")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field.has-error")).to_contain_text("校验码")
    expect(page.locator("#id_name")).to_have_value("欧阳明")  # nothing lost

    page.locator("#id_id_number").fill(GOOD)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("欧阳明")
    expect(page.locator("[data-field='id_number']")).to_have_text("420***********" + GOOD[-4:])
    page.get_by_role("button", name="显示完整信息").click()
    expect(page.locator("[data-field='id_number']")).to_have_text(GOOD)
    shoot(page, "mediator-registered")

    today = timezone.localdate().isoformat()
    page.goto(f"{server_url}/mediators/training/courses/new/")
    page.locator("#id_title").fill("岗前培训第一期")
    page.locator("#id_kind").select_option("initial")
    page.locator("#id_mode").select_option("on_site")
    page.locator("#id_hours").fill("16")
    page.locator("#id_starts_on").fill(today)
    page.locator("#id_ends_on").fill(today)
    page.get_by_role("button", name="保存").click()
    page.locator("#id_mediators").select_option(label="欧阳明")
    page.get_by_role("button", name="记录").click()
    expect(page.locator("#attendance table")).to_contain_text("欧阳明")

    page.locator("#attendance table").get_by_role("link", name="欧阳明").click()
    expect(page.locator("#training")).to_contain_text("岗前培训第一期")
    shoot(page, "mediator-trained")
