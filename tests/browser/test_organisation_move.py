"""Moving an organisation through the browser: the city officer hands a community committee to
another street with a reason; the committee's page shows its new street, and the officer of
the old street no longer finds the committee's cases."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, log_out, org_url, shoot
from tiaojie.accounts.models import User
from tiaojie.cases.tests import factories
from tiaojie.organisations.models import Organisation

pytestmark = pytest.mark.browser

COMMITTEE = "东湖社区人民调解委员会"
OLD_STREET = "东湖街道司法所"
NEW_STREET = "青山街道司法所"


def test_the_city_officer_moves_a_committee_to_another_street(page: Page, server_url: str) -> None:
    log_in(page, server_url, "demo_city")
    case = factories.register(User.objects.get(username="demo_mediator"))
    new_street = Organisation.objects.get(name=NEW_STREET)
    page.goto(org_url(server_url, COMMITTEE))
    page.locator("a#move").click()
    expect(page.locator("h1")).to_have_text(f"迁移{COMMITTEE}")
    preview = page.locator("#move-preview")
    expect(preview).to_contain_text(OLD_STREET)
    expect(preview).to_contain_text("案件")

    # Without a reason the move is refused beside the field, the chosen street kept.
    page.locator("#id_parent").select_option(str(new_street.pk))
    page.locator("button[type=submit].primary").click()
    expect(page.locator("#id_parent")).to_have_value(str(new_street.pk))
    expect(page.locator("main")).to_contain_text("请说明机构调整的原因")
    page.locator("#id_reason").fill("行政区划调整，东湖社区划归青山街道")
    shoot(page, "organisation-move")
    page.locator("button[type=submit].primary").click()

    expect(page).to_have_url(org_url(server_url, COMMITTEE))
    expect(page.locator("main")).to_contain_text(f"{COMMITTEE}已迁移")
    breadcrumb = page.locator("nav.breadcrumb")
    expect(breadcrumb).to_contain_text(NEW_STREET)
    expect(breadcrumb).not_to_contain_text(OLD_STREET)
    shoot(page, "organisation-moved")

    # The old street's officer: the committee's case is no longer within reach.
    log_out(page)
    log_in(page, server_url, "demo_street")
    response = page.goto(f"{server_url}/cases/{case.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
