"""The command screen refreshes in place from one JSON answer (page and API alike): a case
registered after the screen was drawn shows in the next reading, no reload needed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.statistics.choices import Indicator
from tiaojie.statistics.models import LevelCell

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


def test_the_screen_writes_a_rate_as_the_dashboard_does(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """Six successes of seven mediated is 85.71 % on the dashboard, the reports and the
    screen alike (the screen once rounded it to 85.7, so a wall and a desk disagreed)."""
    org = world.org("东湖区司法局")
    year = str(timezone.localdate().year)
    for indicator, value in ((Indicator.MEDIATED, "7"), (Indicator.SUCCESS, "6")):
        LevelCell.objects.create(
            organisation=org,
            org_path=org.path,
            period=dt.date(int(year), 1, 1),
            indicator=indicator,
            key="",
            value=Decimal(value),
        )
    client = client_as("demo_district")
    query = f"?organisation={org.pk}&period={year}"
    screen = client.get(f"/statistics/screen/{query}").content.decode()
    desk = client.get(f"/statistics/dashboard/{query}").content.decode()
    assert 'data-total="success_rate" data-decimals="2">85.71<' in screen
    assert "<td>85.71</td>" in desk
    # A rate of a whole number keeps its two decimals on both (75.00, not 75.0 or 75).
    LevelCell.objects.filter(indicator=Indicator.SUCCESS).update(value=Decimal("5.25"))
    assert ">75.00<" in client.get(f"/statistics/screen/{query}").content.decode()
    assert "<td>75.00</td>" in client.get(f"/statistics/dashboard/{query}").content.decode()


def test_a_year_with_nothing_mediated_shows_no_rate_rather_than_zero(
    world: World, client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    """On a new year's first morning nothing is mediated yet: the screen, the dashboard and
    their JSON say "—" (null), as the reports do, not 0.00 %, which would read as every
    mediation having failed; the ranking's areas likewise."""
    org = world.org("东湖区司法局")
    query = f"?organisation={org.pk}&period=2019"
    client = client_as("demo_district")
    screen = client.get(f"/statistics/screen/{query}").content.decode()
    assert 'data-total="success_rate" data-decimals="2">—<' in screen
    assert "<td>—</td><td>—</td>" in client.get(f"/statistics/dashboard/{query}").content.decode()
    answer = api_as("demo_district").get(
        "/api/v1/statistics/screen", {"organisation_id": str(org.pk), "period": "2019"}
    )
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["totals"]["mediated"] == 0
    assert data["totals"]["success_rate"] is None and data["totals"]["performance_rate"] is None
    assert data["ranking"] and all(row["success_rate"] is None for row in data["ranking"])
    # A year with mediations has its rate again.
    LevelCell.objects.create(
        organisation=org,
        org_path=org.path,
        period=dt.date(2019, 3, 1),
        indicator=Indicator.MEDIATED,
        key="",
        value=Decimal(4),
    )
    again = client.get(f"/statistics/screen/{query}").content.decode()
    assert 'data-total="success_rate" data-decimals="2">0.00<' in again
