"""The menu bar groups the pages under a few headings, so that a mediator finds a page among
seven headings rather than twenty-odd links; a heading with one page is that page's link."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tiaojie.core import menu


def test_the_entries_of_a_heading_follow_each_other() -> None:
    # The bar shows consecutive entries of a section as one heading: an entry registered away
    # from its section's others would open a second heading of the same name.
    seen: list[str] = []
    for item in menu.entries():
        if item.group != "main" or not item.section:
            continue
        label = str(item.section)
        if seen and seen[-1] == label:
            continue
        assert label not in seen, f"{item.url_name} is away from the rest of {label}"
        seen.append(label)


def _bar(client: Client) -> list[tuple[str, list[str]]]:
    """The bar as shown: each heading (or lone link) and the pages under it."""
    html = client.get(reverse("workbench:home")).content.decode()
    nav = html[html.index('<nav class="mainnav"') : html.index("</nav>")]
    bar: list[tuple[str, list[str]]] = []
    for block in re.finditer(r"<details.*?</details>|<a [^>]*data-nav=\"([^\"]+)\"", nav, re.S):
        if block.group(0).startswith("<details"):
            heading = re.search(r"<summary>(.*?)</summary>", block.group(0))
            assert heading is not None
            pages = re.findall(r'data-nav="([^"]+)"', block.group(0))
            bar.append((heading.group(1), pages))
        else:
            bar.append((block.group(1), [block.group(1)]))
    return bar


def test_a_mediator_sees_a_short_bar_of_headings(client_as: Callable[[str], Client]) -> None:
    bar = _bar(client_as("demo_mediator"))
    headings = [heading for heading, _pages in bar]
    assert headings == [
        "workbench:home",
        "案件办理",
        "督查督办",
        "排查预警",
        "队伍建设",
        "统计分析",
        "organisations:tree",  # the one page of 系统管理 a mediator has: a link of its own
    ]
    pages = dict(bar)
    assert pages["案件办理"] == [
        "cases:case_list",
        "cases:case_register",
        "public:online_cases",
        "public:slots",
    ]
    assert "mediators:mediator_list" in pages["队伍建设"]


def test_the_heading_of_the_page_open_is_marked(client_as: Callable[[str], Client]) -> None:
    client = client_as("demo_mediator")
    html = client.get(reverse("cases:case_list")).content.decode()
    current = re.search(r'<a [^>]*aria-current="page"[^>]*data-nav="([^"]+)"', html)
    assert current is not None and current.group(1) == "cases:case_list"
