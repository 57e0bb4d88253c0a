"""The governance-centre pipeline in the browser: a street centre triages and routes a dispute;
a district officer flags a case for supervision and the committee reports back; an overdue
alert appears and clears. Assertions rest on URLs, ids, data attributes, numbers and names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import go_by_menu, log_in, shoot, switch_user
from tests.browser.test_case_lifecycle import act, case_url, status
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories
from tiaojie.deadlines.scan import run_scan
from tiaojie.deadlines.tests.helpers import set_registered
from tiaojie.organisations.models import Organisation
from tiaojie.supervision.models import Supervision

pytestmark = pytest.mark.browser


def _queued_case() -> Case:
    """A dispute received at 东湖街道司法所's centre; the applicant lives in 梨园社区."""
    data = factories.case_data(summary="楼道堆放杂物引发邻里纠纷")
    data.parties[0].residence_id = Organisation.objects.get(name="梨园社区人民调解委员会").pk
    data.parties[1].residence_id = data.parties[0].residence_id
    return intake.case_register(actor=User.objects.get(username="demo_street"), data=data)


def test_a_street_centre_triages_and_routes_a_dispute(page: Page, server_url: str) -> None:
    # The dispute waited twenty days in the centre's queue: late against the centre's deadline,
    # which must not count against the committee it is routed to (issue 9, item 19).
    case = set_registered(_queued_case(), timezone.localdate() - dt.timedelta(days=20))
    assert case.status == CaseStatus.QUEUED
    log_in(page, server_url, "demo_street")
    go_by_menu(page, "routing:queue")
    expect(page).to_have_url(f"{server_url}/routing/")
    row = page.locator(f"#queued-{case.pk}")
    expect(row).to_contain_text(case.number)
    # The suggestion names the committee of the applicant's community and the rule's reasons.
    expect(row).to_contain_text("梨园社区人民调解委员会")
    shoot(page, "pipeline-queue")
    row.locator("form button[type=submit]").click()
    # The row turns into the routed line, with the committee's new case number.
    expect(page.locator(f"#queued-{case.pk}.routed")).to_be_visible()
    routed = Case.objects.get(pk=case.pk)
    expect(page.locator(f"#queued-{case.pk}")).to_contain_text(routed.number)
    assert routed.status == CaseStatus.REGISTERED
    assert routed.committee.name == "梨园社区人民调解委员会"
    assert "梨园社区人调字" in routed.number

    # The committee's mediator now finds it on their case page and may accept it.
    switch_user(page, server_url, "demo_mediator_b")
    page.goto(case_url(server_url, routed))
    expect(status(page)).to_have_attribute("data-status", CaseStatus.REGISTERED)
    expect(page.locator("#routing-panel")).to_contain_text("东湖街道司法所")
    expect(page.locator("#action-bar a[data-action='accept']")).to_be_visible()
    # The committee's time to accept starts now: not due, not overdue, however long it waited.
    accept = page.locator("#case-deadlines tr[data-kind='accept']")
    expect(accept).to_have_attribute("data-level", "")
    expect(accept).to_contain_text("个工作日")
    expect(accept.locator(".overdue")).to_have_count(0)
    shoot(page, "pipeline-routed-deadline")


def test_a_district_officer_flags_a_case_and_the_committee_reports_back(
    browser: Browser, page: Page, server_url: str
) -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = factories.register(mediator)

    log_in(page, server_url, "demo_district")
    page.goto(case_url(server_url, case))
    panel = page.locator("#supervision-panel")
    expect(panel.locator("#supervision-none")).to_be_visible()
    panel.locator("#flag-button").click()
    form = panel.locator("#flag-form form")
    expect(form).to_be_visible()
    form.locator("textarea[name=instructions]").fill("请于十个工作日内化解并报告进展。")
    form.locator("button[type=submit]").click()
    # Flagged: the officer lands on the supervision's own page.
    expect(page.locator(".supervision-box")).to_have_attribute("data-status", "open")
    supervision = Supervision.objects.get(case=case, status="open")
    expect(page).to_have_url(f"{server_url}/supervision/{supervision.pk}/")
    assert supervision.supervising_org.name == "东湖区司法局"
    shoot(page, "pipeline-flagged")

    # The committee's director reports progress from the case page.
    director = browser.new_context(locale="zh-CN")
    other = director.new_page()
    log_in(other, server_url, "demo_director")
    other.goto(case_url(server_url, case))
    box = other.locator("#supervision-panel .supervision-box")
    expect(box).to_be_visible()
    box.locator("#supervision-actions button[data-do='report']").click()
    report = other.locator("#supervision-action-report form")
    report.locator("textarea[name=reason]").fill("已约双方当事人本周五到调解室面谈。")
    report.locator("button[type=submit]").click()
    expect(other.locator("#supervision-reports li[data-action='report']")).to_contain_text(
        "本周五到调解室面谈"
    )
    director.close()

    # The supervisor sees the report on the supervision's page.
    page.goto(f"{server_url}/supervision/{supervision.pk}/")
    expect(page.locator("#supervision-reports li[data-action='report']")).to_contain_text(
        "本周五到调解室面谈"
    )


def test_an_overdue_alert_appears_and_clears(page: Page, server_url: str) -> None:
    case = factories.register(User.objects.get(username="demo_mediator"))
    # Registered two weeks ago and never accepted: past the accept-within-N-working-days rule.
    Case.objects.filter(pk=case.pk).update(registered_at=case.registered_at - dt.timedelta(days=14))
    run_scan()

    # Nobody is assigned yet: the alert goes to the committee's director.
    log_in(page, server_url, "demo_director")
    badge = page.locator("#notification-badge .count")
    expect(badge).to_be_visible()
    go_by_menu(page, "deadlines:deadline_list")
    row = page.locator(f"tr[data-case='{case.pk}'][data-level='overdue']")
    expect(row).to_be_visible()
    row.locator("a").first.click()
    expect(page).to_have_url(case_url(server_url, case))
    alerts = page.locator("#case-deadlines li[data-level='overdue']")
    expect(alerts).to_have_count(1)
    shoot(page, "pipeline-overdue")

    act(page, "accept")
    expect(status(page)).to_have_attribute("data-status", CaseStatus.ACCEPTED)
    # Accepting re-judged the case's deadlines: the alert is gone, on the case and in the list.
    expect(page.locator("#case-deadlines li[data-level='overdue']")).to_have_count(0)
    page.goto(f"{server_url}/deadlines/")
    expect(page.locator(f"tr[data-case='{case.pk}'][data-level='overdue']")).to_have_count(0)
