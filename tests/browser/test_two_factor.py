"""Issue 16, 身份鉴别 d, in the browser: a bureau officer (a role that must use a second
factor) is sent to set one up, scans nothing but reads the key, confirms with a code, keeps
the recovery codes, logs out, and signs in again with the password and a fresh code."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import fill_login, log_out, shoot
from tiaojie.accounts import totp
from tiaojie.accounts.demo import demo_password

pytestmark = pytest.mark.browser


def test_enrol_log_out_and_sign_in_with_a_code(page: Page, server_url: str, settings: Any) -> None:
    settings.TIAOJIE_2FA_REQUIRED_ROLES = ["bureau_officer"]
    page.goto(f"{server_url}/login/", timeout=60_000)
    fill_login(page, server_url, "demo_city", demo_password())
    # Nothing else until the second factor is set up.
    expect(page).to_have_url(f"{server_url}/account/two-factor/")
    page.goto(f"{server_url}/cases/")
    expect(page).to_have_url(f"{server_url}/account/two-factor/")
    expect(page.locator("figure.qr svg")).to_be_visible()
    shoot(page, "two-factor-enrol")
    secret = page.locator("[data-totp-secret]").inner_text().strip()
    page.locator("#id_code").fill(totp.code_at(secret, totp.current_step()))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.goto(f"{server_url}/")
    expect(page.locator("a[data-nav='workbench:home']")).to_have_count(1)
    log_out(page)

    fill_login(page, server_url, "demo_city", demo_password())
    expect(page).to_have_url(f"{server_url}/login/code/")
    page.locator("#id_code").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("验证码不正确")
    # The code of the next step: the current one was spent at enrolment.
    page.locator("#id_code").fill(totp.code_at(secret, totp.current_step() + 1))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{server_url}/")
    expect(page.locator(".who-name")).to_have_text("周建华")
