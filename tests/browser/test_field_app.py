"""The grid worker's field app in Chromium, offline then online: a report written with no
network waits on the phone (IndexedDB), the page reopens from the service worker's cache, and
when the network returns the report is sent — one finding, even when the same report is sent
again (a replayed sync)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.accounts.models import User
from tiaojie.screening.models import Finding
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.browser

REPLAY = """async (report) => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("tiaojie-field", 1); r.onsuccess = () => ok(r.result); r.onerror = ko;
  });
  await new Promise((ok, ko) => {
    const t = db.transaction("outbox", "readwrite"); t.objectStore("outbox").put(report);
    t.oncomplete = ok; t.onerror = ko;
  });
}"""


def test_a_report_written_offline_is_sent_once_when_the_network_returns(
    context: BrowserContext, page: Page, server_url: str
) -> None:
    # Patience, not a timing: the shared machine is slow to serve the first pages.
    page.set_default_timeout(60_000)
    screening_round = h.make_round(assignee=User.objects.get(username="demo_grid"))
    log_in(page, server_url, "demo_grid")
    page.goto(f"{server_url}/screening/field/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("#field-network")).to_have_text("在线")

    context.set_offline(True)
    expect(page.locator("#field-network")).to_contain_text("离线")
    page.get_by_label("发现的情况").fill("楼上漏水，两户争吵")
    page.get_by_role("button", name="保存上报").click()
    expect(page.locator("#field-status")).to_contain_text("请填写地点")
    expect(page.get_by_label("发现的情况")).to_have_value("楼上漏水，两户争吵")
    page.get_by_label("地点 *").fill("梨园路12号")
    page.get_by_role("button", name="保存上报").click()
    expect(page.locator("#field-status")).to_contain_text("已保存在手机上")
    expect(page.locator("#field-queue-count")).to_have_text("1")
    assert Finding.objects.count() == 0

    # Offline, the app reopens from the worker's cache with the report still waiting.
    page.reload()
    expect(page.locator("#field-queue-count")).to_have_text("1")
    expect(page.locator("#field-queue")).to_contain_text("梨园路12号")
    shoot(page, "field-app-offline")

    context.set_offline(False)
    expect(page.locator("#field-queue-count")).to_have_text("0")
    finding = Finding.objects.get()
    assert (finding.place, finding.round_id) == ("梨园路12号", screening_round.pk)

    # The same report sent again (its key kept): nothing more is recorded.
    page.evaluate(
        REPLAY,
        {
            "key": finding.client_key,
            "round": str(screening_round.pk),
            "place": "梨园路12号",
            "what": "楼上漏水，两户争吵",
            "risk": "low",
        },
    )
    page.get_by_role("button", name="立即发送").click()
    expect(page.locator("#field-queue-count")).to_have_text("0")
    assert Finding.objects.count() == 1
