"""One format for dates and money on the main pages (issue 9 item 26): 2026年12月2日 and
3,600.00 元, each kept on one line so a lone 日 or 元 never wraps alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tiaojie.accounts.models import User
from tiaojie.cases.tests import factories
from tiaojie.core.formatting import NBSP, day_text
from tiaojie.supervision.tests.helpers import flag, working_day

# What Django's own formats printed before: 2026-12-02, Dec. 2, 2026, 12/02/2026.
OTHER_DATES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?![^<]*>)|[A-Z][a-z]{2}\.? \d{1,2}, \d{4}")


def _unbroken(text: str) -> str:
    return f'<span class="nowrap">{text}</span>'


def test_dates_and_amounts_read_one_way_on_the_main_pages(
    client_as: Callable[[str], Client],
) -> None:
    mediator = User.objects.get(username="demo_mediator")
    case = factories.register(mediator, amount=Decimal("3600"))
    supervision = flag(User.objects.get(username="demo_street"), case, working_day(5))
    registered = _unbroken(day_text(case.registered_at))
    pages = {
        "demo_mediator": [
            reverse("cases:case_list"),
            reverse("cases:case_detail", args=[case.pk]),
            reverse("deadlines:deadline_list"),
        ],
        "demo_director": [reverse("supervision:ledger")],
        "demo_street": [
            reverse("supervision:supervision_list"),
            reverse("supervision:supervision_detail", args=[supervision.pk]),
        ],
    }
    for username, urls in pages.items():
        client = client_as(username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            body = html[html.index("<main") :]
            assert not OTHER_DATES.search(body), (url, OTHER_DATES.search(body))
            if "supervision" not in url or "ledger" in url:
                assert registered in html or case.number not in html, url
    detail = client_as("demo_mediator").get(reverse("cases:case_detail", args=[case.pk]))
    html = detail.content.decode()
    assert registered in html
    assert _unbroken(f"3,600.00{NBSP}元") in html
    sup_page = client_as("demo_street").get(
        reverse("supervision:supervision_detail", args=[supervision.pk])
    )
    assert _unbroken(day_text(supervision.deadline)) in sup_page.content.decode()
