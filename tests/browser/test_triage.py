"""The intake form reads the narrative as it is typed (issue 14): the suggestion panel shows the
suggested type and each risk with the phrase that triggered it, and the suggestion is stored
(what the clerk then registers is recorded by a listener: tiaojie/triage/tests). Assertions rest on ids, data attributes and the narrative's own words."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, shoot
from tiaojie.cases.models import Case
from tiaojie.triage.models import Suggestion

pytestmark = pytest.mark.browser

NARRATIVE = (
    "楼上住户卫生间漏水三个月，楼下天花板发霉，多次上门协商无果。"
    "楼上男子扬言再来敲门就弄死他，楼下住的是一位八十多岁的独居老人。"
)


def test_the_intake_form_suggests_while_typing_and_stores_the_suggestion(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, "demo_mediator")
    page.goto(f"{server_url}/cases/new/")
    panel = page.locator("#triage-suggestion")
    expect(panel.locator(".triage-suggestion")).to_have_count(0)
    page.locator("#id_narrative").fill(NARRATIVE)
    page.locator("#id_summary").click()  # leaving the field sends it, as typing would
    suggestion = panel.locator(".triage-suggestion")
    expect(suggestion).to_have_attribute("data-type", "neighbours")
    expect(suggestion).to_contain_text("扬言再来敲门就弄死他")
    expect(suggestion).to_contain_text("八十多岁")
    shoot(page, "triage-intake-suggestion")
    stored = Suggestion.objects.get()
    assert stored.suggested_type == "neighbours"
    assert {"violence_threat", "vulnerable"} <= set(stored.suggested_risks)
    assert Case.objects.filter(narrative=NARRATIVE).count() == 0
