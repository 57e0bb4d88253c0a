"""The command screen refreshes in place from one JSON answer (page and API alike): a case
registered after the screen was drawn shows in the next reading, no reload needed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from conftest import World
from tiaojie.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def _reading(client: Client) -> dict[str, Any]:
    response = client.get("/statistics/screen/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    answer: dict[str, Any] = json.loads(response.content)
    return answer


def test_a_new_case_shows_in_the_next_reading(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("demo_district")
    before = _reading(client)
    mediator = world.user("demo_mediator")
    f.to_mediation(mediator, f.register(mediator))
    f.register(mediator)
    after = _reading(client)
    assert after["live"]["today"] == before["live"]["today"] + 2
    assert after["live"]["open"] == before["live"]["open"] + 2
    # The charts come along: this month's accepted cases went up by the one accepted.
    assert sum(after["data"]["trend"]["series"]["accepted"]) == (
        sum(before["data"]["trend"]["series"]["accepted"]) + 1
    )
    assert after["updated_label"].startswith("更新于")


def test_the_api_gives_the_same_reading(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    page = _reading(client_as("demo_district"))
    api = api_as("demo_district").get("/api/v1/statistics/screen")
    assert api.status_code == 200
    answer = api.json()
    assert answer["live"] == page["live"]
    assert answer["data"]["totals"] == page["data"]["totals"]


@override_settings(TIAOJIE_SCREEN_REFRESH_SECONDS=45)
def test_the_screen_polls_at_the_configured_interval(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("demo_district")
    page = client.get("/statistics/screen/").content.decode()
    assert 'data-refresh="45"' in page and "http-equiv" not in page
    assert "/statistics/screen/data.json?organisation=" in page
    assert 'data-refresh="10"' in client.get("/statistics/screen/?refresh=10").content.decode()
    # Not faster than every 5 seconds, whatever the URL asks.
    assert 'data-refresh="5"' in client.get("/statistics/screen/?refresh=1").content.decode()
