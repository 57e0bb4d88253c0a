"""A frequent search word: the count stops at the cap and says so, or (PostgreSQL, ADR 0059) is
an estimate that says so, page and API alike; the first page still shows the newest matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.api.schema import call
from tiaojie.cases.tests import factories as f
from tiaojie.cases.views import lists

LIST = reverse("cases:case_list")


def _three_fee_disputes(world: World) -> list[str]:
    mediator = world.user("demo_mediator")
    made = [
        f.register(mediator, summary="物业费纠纷", narrative="业主拖欠物业费。") for _ in range(3)
    ]
    f.register(mediator, summary="邻里漏水", narrative="楼上漏水。")  # not a match
    return [case.number for case in reversed(made)]  # newest first


def _fee_search(
    client_as: Callable[[str], Client], api_as: Callable[[str], Client], newest_first: list[str]
) -> tuple[str, dict[str, Any]]:
    """The director's search for 费 on the page and in the API, each listing the matches newest
    first: the page's count line and the API's answer."""
    page = client_as("demo_director").get(LIST, {"q": "费"})
    assert [c.number for c in page.context["page"]] == newest_first
    head = page.content.decode().split('class="results-head"')[1].split("</p>")[0]
    answer: dict[str, Any] = call(
        api_as("demo_director"), "get", "/cases", query={"q": "费"}
    ).json()
    assert [c["number"] for c in answer["results"]] == newest_first
    return head, answer


def test_the_count_stops_at_the_cap_and_says_so(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client], settings: Any
) -> None:
    newest_first = _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 2
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 0  # estimates off: counted up to the cap

    page = client_as("demo_director").get(LIST, {"q": "费"})
    assert [c.number for c in page.context["page"]] == newest_first
    html = page.content.decode()
    assert "2+ 件案件" in html and "3 件" not in html

    answer = call(api_as("demo_director"), "get", "/cases", query={"q": "费"}).json()
    assert (answer["count"], answer["count_capped"]) == (2, True)
    assert [c["number"] for c in answer["results"]] == newest_first


def test_below_the_cap_the_count_is_exact(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client], settings: Any
) -> None:
    _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 3

    html = client_as("demo_director").get(LIST, {"q": "费"}).content.decode()
    assert "3 件案件" in html and "+" not in html.split("件案件")[0][-8:]

    answer = call(api_as("demo_director"), "get", "/cases", query={"q": "费"}).json()
    assert (answer["count"], answer["count_capped"]) == (3, False)


def test_the_pager_of_a_capped_list_says_how_far_it_counted(
    world: World,
    client_as: Callable[[str], Client],
    settings: Any,
    monkeypatch: Any,
) -> None:
    _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 2
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 0  # estimates off: counted up to the cap
    monkeypatch.setattr("tiaojie.cases.views.lists.PAGE_SIZE", 1)

    html = client_as("demo_director").get(LIST, {"q": "费"}).content.decode()
    pager = html.split('class="pagination"')[1].split("</nav>")[0]
    # Not "page 1 of 2": past the cap nobody knows the last page.
    assert "第 1 页，共 2+ 条" in pager and "共 2 页" not in pager
    assert "page=2" in pager  # the rows go on past the count


def test_pages_past_the_cap_still_list_the_older_matches(
    world: World, api_as: Callable[[str], Client], settings: Any
) -> None:
    # The count stops at the cap; the list does not: a client paging on past it reads the
    # older matches until they run out.
    newest_first = _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 1
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 0  # estimates off: counted up to the cap
    client = api_as("demo_director")
    numbers = []
    for page in (1, 2, 3, 4):
        answer = call(client, "get", "/cases", query={"q": "费", "page": page, "page_size": 1})
        assert (answer.json()["count"], answer.json()["count_capped"]) == (1, True)
        numbers.append([c["number"] for c in answer.json()["results"]])
    assert numbers == [[n] for n in newest_first] + [[]]


def test_a_frequent_word_shows_an_estimate_marked_as_such(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client], settings: Any
) -> None:
    # Past the cap PostgreSQL does not count on: it estimates from the first matches and the
    # page and the API say "about"; SQLite counts up to the cap and says "2+". Neither shows
    # a number as exact when it is not.
    newest_first = _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 2
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 1

    head, answer = _fee_search(client_as, api_as, newest_first)
    if connection.vendor == "postgresql":
        assert answer["count_is_estimate"] is True and answer["count_capped"] is False
        assert answer["count"] >= 2
        assert f"约 {answer['count']}" in head or f"About {answer['count']}" in head
        assert "+" not in head
    else:
        assert (answer["count"], answer["count_capped"], answer["count_is_estimate"]) == (
            2,
            True,
            False,
        )
        assert "2+ 件案件" in head


def test_few_matches_are_counted_exactly_in_the_viewers_scope(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    # Below the sample every match is counted and listed; another committee's dispute about a
    # fee is neither counted nor listed (not the director's).
    newest_first = _three_fee_disputes(world)
    f.register(world.user("demo_mediator_b"), summary="物业费纠纷", narrative="拖欠物业费。")

    page = client_as("demo_director").get(LIST, {"q": "物业费"})
    assert [c.number for c in page.context["page"]] == newest_first
    assert "3 件案件" in page.content.decode()
    answer = call(api_as("demo_director"), "get", "/cases", query={"q": "物业费"}).json()
    assert (answer["count"], answer["count_capped"], answer["count_is_estimate"]) == (
        3,
        False,
        False,
    )
    assert [c["number"] for c in answer["results"]] == newest_first


def test_a_phrase_needs_every_pair_side_by_side(
    world: World, api_as: Callable[[str], Client]
) -> None:
    # 装修合同 is looked for from its rarest pair; the others are still required: a case with
    # 装修 and 合同 apart (no 修合) is not a match.
    mediator = world.user("demo_mediator")
    whole = f.register(mediator, summary="装修合同纠纷", narrative="双方签订装修合同后发生争议。")
    f.register(mediator, summary="装修纠纷", narrative="装修完成后，双方对合同价款有争议。")
    answer = call(api_as("demo_director"), "get", "/cases", query={"q": "装修合同"}).json()
    assert answer["count"] == 1 and answer["count_is_estimate"] is False
    assert [c["number"] for c in answer["results"]] == [whole.number]


def test_past_the_sample_and_below_the_cap_the_count_stops_at_the_sample(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client], settings: Any
) -> None:
    # PostgreSQL (ADR 0071): more matches than the sample and an estimate under the cap are not
    # counted on; the page and the API say "at least the sample". SQLite counts them all.
    newest_first = _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = 10_000
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = 2

    head, answer = _fee_search(client_as, api_as, newest_first)
    counted = (answer["count"], answer["count_capped"], answer["count_is_estimate"])
    if connection.vendor == "postgresql":
        assert counted == (2, True, False)
        assert "2+ 件案件" in head
    else:
        assert counted == (3, False, False)
        assert "3 件案件" in head


@pytest.mark.parametrize(("cap", "sample"), [(2, 0), (10_000, 2)])
def test_the_pages_go_on_past_a_count_that_stopped(
    world: World,
    client_as: Callable[[str], Client],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    cap: int,
    sample: int,
) -> None:
    # A count stopped at the cap (2+), or on PostgreSQL at the sample (ADR 0071), knows no last
    # page: every match is reached by "next", page after page, and the last has no "next".
    newest_first = _three_fee_disputes(world)
    settings.TIAOJIE_CASE_COUNT_CAP = cap
    settings.TIAOJIE_SEARCH_COUNT_SAMPLE = sample
    monkeypatch.setattr(lists, "PAGE_SIZE", 1)
    client = client_as("demo_director")
    seen = []
    for number in (1, 2, 3):
        page = client.get(LIST, {"q": "费", "page": number}).context["page"]
        assert page.number == number
        seen += [c.number for c in page]
        assert page.has_next() == (number < 3), number
    assert seen == newest_first
