"""Steps shared by the browser tests: log in through the real form, take optional screenshots."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from tiaojie.accounts.demo import demo_password
from tiaojie.organisations.models import Organisation

# Two browsers, each encoding and decoding video, on two cores: more than the suite's default.
VIDEO_CONNECTED_MS = 30_000

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def screenshots_wanted() -> bool:
    return os.environ.get("TIAOJIE_SCREENSHOTS") == "1"


def shoot(page: Page, name: str) -> None:
    """Save a full-page screenshot to var/screenshots/ when TIAOJIE_SCREENSHOTS=1."""
    if not screenshots_wanted():
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def fill_login(page: Page, server_url: str, username: str, password: str) -> None:
    page.goto(f"{server_url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def log_in(page: Page, server_url: str, username: str) -> None:
    """Log in as a demo account through the login form and wait for the home page."""
    fill_login(page, server_url, username, demo_password())
    expect(page).to_have_url(f"{server_url}/")
    expect(page.locator("a[data-nav='workbench:home']")).to_have_count(1)


def switch_user(page: Page, server_url: str, username: str) -> None:
    """Sign in as someone else in the same browser: leave the page first, then forget the cookies.

    Clearing cookies while a page is open races with its htmx panels still loading: a panel's
    request sent without the session is answered with the login page and a fresh CSRF cookie,
    which can overwrite the one the login form was rendered with, and the sign-in is refused
    with 403. A blank page has nothing left in flight.
    """
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, server_url, username)


def org_url(server_url: str, name: str) -> str:
    return f"{server_url}/organisations/{Organisation.objects.get(name=name).pk}/"


def video_connected(page: Page) -> None:
    """Wait until the room's page shows another participant's live picture."""
    page.wait_for_function(
        "() => window.tiaojieVideo && window.tiaojieVideo.state().some("
        "p => p.connection === 'connected' && p.width > 0)",
        timeout=VIDEO_CONNECTED_MS,
    )


def log_out(page: Page) -> None:
    """Log out as a user does: open the menu under their name, then 退出登录."""
    page.locator("details.usermenu summary").click()
    page.locator("details.usermenu form[action$='/logout/'] button").click()


def go_by_menu(page: Page, url_name: str) -> None:
    """Open the page ``url_name`` from the menu bar as a user does: open its heading first when
    the page is listed under one."""
    link = page.locator(f"nav a[data-nav='{url_name}']").first
    heading = page.locator(f"details[data-nav-section]:has(a[data-nav='{url_name}'])")
    if heading.count() and heading.first.get_attribute("open") is None:
        heading.first.locator("summary").click()
    link.click()
