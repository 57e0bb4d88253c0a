"""The login form: a wrong password is refused, says so, and keeps the username."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import fill_login, shoot
from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent

pytestmark = pytest.mark.browser


def test_login_page_is_shown_to_anonymous_visitors(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/")
    expect(page).to_have_url(f"{server_url}/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#id_username")).to_be_focused()
    expect(page.locator("a[data-nav]")).to_have_count(0)
    shoot(page, "login")


def test_wrong_password_is_refused(page: Page, server_url: str) -> None:
    fill_login(page, server_url, "demo_street", "not-the-password")

    expect(page).to_have_url(f"{server_url}/login/")
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    expect(page.locator(".form-errors[role=alert]")).not_to_be_empty()
    expect(page.locator("#id_username")).to_have_value("demo_street")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.locator("a[data-nav]")).to_have_count(0)
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count() == 1
    assert User.objects.get(username="demo_street").failed_logins == 1

    # Still signed out: the home page sends the visitor back to the form.
    page.goto(f"{server_url}/")
    expect(page).to_have_url(f"{server_url}/login/?next=/")
