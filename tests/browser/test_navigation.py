"""Each demo account logs in through the form, sees exactly the menu its role allows, and a
home page whose every count leads to its list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.accounts.demo import DEMO_ACCOUNTS
from tiaojie.accounts.roles import ROLE_CAPABILITIES, ROLE_ORGANISATION_KINDS, Role
from tiaojie.core import menu

pytestmark = pytest.mark.browser

ROLE_OF = {account.username: account.role for account in DEMO_ACCOUNTS}
ADMINISTRATORS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}

# Written by hand from the roles' descriptions, so that a wrong menu or ROLE_CAPABILITIES
# entry fails here rather than being copied into the expectation.
BY_HAND: dict[Role, list[str]] = {
    Role.BUREAU_OFFICER: [
        "workbench:home",
        "cases:case_list",
        "cases:case_register",
        "routing:queue",
        "public:online_cases",
        "deadlines:deadline_list",
        "supervision:ledger",
        "supervision:supervision_list",
        "supervision:trace_report",
        "reviews:my_reviews",
        "reviews:round_list",
        "screening:round_list",
        "screening:overdue",
        "screening:campaign_list",
        "screening:risks",
        "mediators:mediator_list",
        "mediators:training_report",
        "mediators:staffing_report",
        "mediators:insurance_report",
        "mediators:evaluation_list",
        "mediators:promotion_list",
        "mediators:honour_list",
        "mediators:pool_list",
        "mediators:committee_standards",
        "subsidies:sheet_list",
        "statistics:report",
        "statistics:dashboard",
        "organisations:tree",
        "core:configuration",  # routing and deadline rules, the calendar, document templates
    ],
    Role.MEDIATOR: [
        "workbench:home",
        "cases:case_list",
        "cases:case_register",
        "public:online_cases",
        "public:slots",
        "deadlines:deadline_list",
        "supervision:ledger",
        "supervision:supervision_list",
        "screening:round_list",
        "screening:campaign_list",
        "mediators:mediator_list",
        "mediators:training_report",
        "mediators:staffing_report",
        "mediators:insurance_report",
        "mediators:evaluation_list",
        "mediators:promotion_list",
        "mediators:honour_list",
        "mediators:pool_list",
        "mediators:committee_standards",
        "statistics:report",
        "statistics:dashboard",
        "organisations:tree",
    ],
    Role.GRID_WORKER: [
        "workbench:home",
        "cases:case_list",
        "cases:case_register",
        "screening:round_list",
        "screening:field_app",
        "screening:campaign_list",
        "organisations:tree",
    ],
    Role.SECURITY_ADMIN: ["workbench:home", "organisations:tree", "accounts:user_list"],
    Role.AUDIT_ADMIN: ["workbench:home", "audit:event_list"],
}


def expected_navigation(role: Role) -> list[str]:
    """The menu entries, in order, that the registered menu and ROLE_CAPABILITIES give ``role``: the
    main entries, then the settings page when the role has anything to configure."""
    capabilities = ROLE_CAPABILITIES[role]
    usable = [
        item
        for item in menu.entries()
        if (item.capability is None or item.capability in capabilities)
        and (
            item.organisation_kinds is None
            or ROLE_ORGANISATION_KINDS[role] & item.organisation_kinds
        )
    ]
    entries = [item.url_name for item in usable if item.group == "main"]
    if any(item.group == "settings" for item in usable):
        entries.append("core:configuration")
    return entries


def test_hand_written_table_agrees_with_the_definitions() -> None:
    for role, entries in BY_HAND.items():
        assert expected_navigation(role) == entries, role


@pytest.mark.parametrize("username", list(ROLE_OF))
def test_each_role_logs_in_and_sees_its_navigation(
    page: Page, server_url: str, username: str
) -> None:
    log_in(page, server_url, username)

    expected = expected_navigation(ROLE_OF[username])
    if username == "demo_city":
        # The city bureau is no governance centre in the demo: nowhere to register disputes.
        expected.remove("cases:case_register")
    shown = page.locator("nav a[data-nav]").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert shown == expected
    expect(page.locator("a[data-nav='workbench:home']")).to_have_attribute("aria-current", "page")
    # The home page is where the work starts: counts of what waits, each a link to its list;
    # the administrators, who hold no cases, get the pages of their role instead.
    expect(page.locator("[data-section='todo'] a[data-tally='unread']")).to_have_count(1)
    if ROLE_OF[username] in ADMINISTRATORS:
        cards = page.locator("a[data-card]").evaluate_all("ls => ls.map(a => a.dataset.card)")
        assert cards == [name for name in expected if name != "workbench:home"]
    else:
        expect(page.locator("[data-section='scope']")).to_have_count(1)
    shoot(page, f"home-{username}")
    tallies = page.locator("a[data-tally]").evaluate_all("links => links.map(a => a.href)")
    for href in tallies:
        response = page.goto(href)
        assert response is not None
        assert response.status == 200, href

    # Every entry leads to a page the role may open.
    for href in page.locator("nav a[data-nav]").evaluate_all("links => links.map(a => a.href)"):
        response = page.goto(href)
        assert response is not None
        assert response.status == 200, href


def test_a_heading_opens_its_pages_and_closes_again(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_mediator")
    heading = page.locator("details[data-nav-section]", has_text="队伍建设")
    roster = heading.locator("a[data-nav='mediators:mediator_list']")
    expect(roster).to_be_hidden()
    heading.locator("summary").click()
    expect(roster).to_be_visible()
    shoot(page, "menu-open")
    # Opening another heading closes the first; a click elsewhere and Esc close any.
    page.locator("details[data-nav-section]", has_text="案件办理").locator("summary").click()
    expect(roster).to_be_hidden()
    page.locator("main").click()
    expect(page.locator("details[data-nav-section][open]")).to_have_count(0)
    heading.locator("summary").click()
    page.keyboard.press("Escape")
    expect(roster).to_be_hidden()
    roster_link = heading.locator("summary")
    roster_link.click()
    roster.click()
    expect(page).to_have_url(re.compile(r"/mediators/"))
    # The heading of the page open stays marked, so the user knows where they are.
    expect(page.locator("a[aria-current='page']")).to_have_attribute(
        "data-nav", "mediators:mediator_list"
    )


def test_on_a_phone_the_headings_open_in_place(page: Page, server_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 760})
    log_in(page, server_url, "demo_mediator")
    page.locator("label.nav-toggle-label").click()
    page.locator("details[data-nav-section]", has_text="案件办理").locator("summary").click()
    expect(page.locator("a[data-nav='cases:case_list']")).to_be_visible()
    shoot(page, "menu-phone")


def test_the_account_pages_are_under_the_users_name(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_mediator")
    account = page.locator("details.usermenu")
    expect(account.locator(".who-meta")).to_be_hidden()
    account.locator("summary").click()
    expect(account.locator(".who-meta")).to_contain_text("东湖社区人民调解委员会")
    shoot(page, "menu-account")
    account.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
