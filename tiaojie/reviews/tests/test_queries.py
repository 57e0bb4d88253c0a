"""Lists read their rows' extras (a round's progress, a sheet's items and use) with the rows:
the number of queries does not grow with the number of rounds or sheets."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tests.api import schema
from tiaojie.reviews.tests import helpers as h

Clients = Callable[[str], Client]


def _queries(call: Callable[[], int]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert call() == 200
    return len(ctx.captured_queries)


def test_the_round_list_page_reads_progress_in_one_query(world: World, client_as: Clients) -> None:
    client = client_as("demo_district")
    url = reverse("reviews:round_list")
    h.sampled(h.make_round(share=100))
    client.get(url)  # the first request of a session also writes the session
    one = _queries(lambda: client.get(url).status_code)
    more = [h.make_round() for _ in range(3)]
    page = client.get(url).content.decode()
    assert all(reverse("reviews:round_detail", args=[r.pk]) in page for r in more)
    assert _queries(lambda: client.get(url).status_code) == one


def test_the_rounds_and_sheets_api_lists_do_not_query_per_row(
    world: World, api_as: Clients
) -> None:
    client = api_as("demo_district")
    h.sampled(h.make_round(share=100))

    def rounds() -> int:
        return schema.call(client, "get", "/review-rounds").status_code

    def sheets() -> int:
        return schema.call(client, "get", "/review-sheets").status_code

    rounds()  # the first call of a token may also record its use
    few_rounds, few_sheets = _queries(rounds), _queries(sheets)
    for _ in range(3):
        h.make_round(flagged=[world.user("demo_mediator")])
    assert schema.call(client, "get", "/review-rounds").json()["count"] == 4
    assert len(schema.call(client, "get", "/review-sheets").json()) >= 4
    assert _queries(rounds) == few_rounds
    assert _queries(sheets) == few_sheets
