"""A due date past the last official holiday table shows as provisional on the case page, and
the calendar page tells the bureau that next year's table is missing (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.deadlines.calendar import covered_years
from tiaojie.deadlines.selectors import mediation_due_on
from tiaojie.deadlines.services.calendar import load_official

pytestmark = pytest.mark.browser


def test_the_case_page_marks_a_due_date_past_the_last_table_provisional(
    page: Page, server_url: str
) -> None:
    # The live server's database is flushed between tests, the shipped tables with it.
    load_official()
    log_in(page, server_url, "demo_mediator")
    mediator = User.objects.get(username="demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    accepted = dt.date(2026, 12, 2)
    Case.objects.filter(pk=case.pk).update(
        accepted_on=accepted, due_on=mediation_due_on(case.committee, accepted)
    )
    page.goto(f"{server_url}/cases/{case.pk}/")
    panel = page.locator("#case-deadlines")
    expect(panel.locator("[data-provisional='1']")).to_have_text("暂定")
    expect(panel.locator("[data-provisional-note='1']")).to_contain_text("2026年12月31日")
    panel.scroll_into_view_if_needed()
    shoot(page, "deadline-provisional-case")


def test_the_calendar_page_says_next_years_table_is_missing(page: Page, server_url: str) -> None:
    load_official()
    next_year = timezone.localdate().year + 1
    if next_year in covered_years():
        pytest.skip(f"{next_year} has a table")
    log_in(page, server_url, "demo_city")
    page.goto(f"{server_url}/deadlines/calendar/")
    warning = page.locator(f"[data-missing='{next_year}']")
    expect(warning).to_contain_text("暂定")
    shoot(page, "deadline-provisional-calendar")
