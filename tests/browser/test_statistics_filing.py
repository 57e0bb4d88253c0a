"""Filing a statistics report through the browser: the committee files, the street returns it
with a comment (refused without one), the committee files again, the street approves (locked)
and re-opens it with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import shoot, switch_user
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import rollup

pytestmark = pytest.mark.browser

COMMITTEE = "东湖社区人民调解委员会"


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def _case_last_month() -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    when = timezone.now().replace(day=1) - dt.timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(registered_at=when, accepted_on=when.date())
    rollup.refresh_case(case.pk)


def _as(page: Page, server_url: str, username: str, url: str) -> None:
    switch_user(page, server_url, username)
    page.goto(url)


def test_file_return_refile_approve_reopen(page: Page, server_url: str) -> None:
    _case_last_month()
    committee = Organisation.objects.get(name=COMMITTEE)
    url = f"{server_url}/statistics/filing/?organisation={committee.pk}&period={_last_month()}"
    status = page.locator("#report-status")

    _as(page, server_url, "demo_director", url)
    page.locator("#do-file").click()
    expect(status).to_have_text("已上报，待审核")

    _as(page, server_url, "demo_street", url)
    page.locator("#do-return").click()
    expect(page.locator("#filing-error")).to_be_visible()
    expect(status).to_have_text("已上报，待审核")
    page.locator("#id_reason").fill("请核对案件来源")
    page.locator("#do-return").click()
    expect(status).to_have_text("已退回")
    expect(page.locator("#return-comment")).to_contain_text("请核对案件来源")

    _as(page, server_url, "demo_director", url)
    expect(page.locator("#return-comment")).to_contain_text("请核对案件来源")
    page.locator("#do-file").click()
    expect(status).to_have_text("已上报，待审核")

    _as(page, server_url, "demo_street", url)
    page.locator("#do-approve").click()
    expect(status).to_have_text("已审核通过")
    expect(page.locator("#locked-badge")).to_be_visible()
    shoot(page, "statistics-filing-approved")
    page.locator("#id_reason").fill("补录漏报案件")
    page.locator("#do-reopen").click()
    expect(status).to_have_text("已重新打开")
    expect(page.locator("#filing-history")).to_contain_text("补录漏报案件")
