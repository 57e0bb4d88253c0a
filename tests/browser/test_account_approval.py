"""Issue 16, hole 1, in the browser: an account the system administrator opens waits for the
security administrator's approval; the person then chooses their password through the link
mailed to them and logs in."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.helpers import fill_login, log_in, log_out, shoot
from tiaojie.organisations.models import Organisation

pytestmark = pytest.mark.browser


def test_an_account_opens_only_after_a_second_administrator_approves(
    page: Page, server_url: str
) -> None:
    # The first request of a run can be slow on a loaded machine.
    page.goto(f"{server_url}/login/", timeout=60_000)
    log_in(page, server_url, "demo_sysadmin")
    page.goto(f"{server_url}/accounts/new/")
    page.locator("#id_username").fill("zhangmin")
    page.locator("#id_full_name").fill("张敏")
    committee = Organisation.objects.get(name="东湖社区人民调解委员会")
    page.locator("#id_organisation").select_option(str(committee.pk))
    page.locator("#id_role").select_option("mediator")
    page.locator("#id_email").fill("zhangmin@example.cn")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("审批")
    log_out(page)

    log_in(page, server_url, "demo_secadmin")
    page.goto(f"{server_url}/accounts/approvals/")
    expect(page.locator("main")).to_contain_text("张敏")
    shoot(page, "account-approvals")
    page.locator("input[name=reason]").fill("已核对人事任命")
    page.locator("button[value=approve]").click()
    expect(page.locator("main")).to_contain_text("没有待您审批的事项")
    log_out(page)

    link = mail.outbox[-1].body.split("http://", 1)[1].split()[0]
    page.goto(f"http://{link}")
    shoot(page, "password-set")
    page.locator("#id_new_password").fill("Lake-Harbour-77!")
    page.locator("#id_new_password_again").fill("Lake-Harbour-77!")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{server_url}/login/")
    fill_login(page, server_url, "zhangmin", "Lake-Harbour-77!")
    expect(page).to_have_url(f"{server_url}/")
