"""The dashboard's dispute-type mix and headline totals, each one statement over the level
cells: the mix names its columns by the dictionary valid in the period (an older period keeps
its categories), the totals and rates are those of the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from tiaojie.cases.models import DisputeType
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import dashboard, periods, report
from tiaojie.statistics.choices import Indicator
from tiaojie.statistics.models import LevelCell

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"
OTHER_DISTRICT = "西山区司法局"


def _cell(org: Organisation, month: str, indicator: str, key: str, value: str) -> None:
    LevelCell.objects.create(
        organisation=org,
        org_path=org.path,
        period=dt.date.fromisoformat(f"{month}-01"),
        indicator=indicator,
        key=key,
        value=Decimal(value),
    )


def _dictionary() -> None:
    """Column tm-land renamed in 2020; tm-labour with a sub-type listed before it (欠薪,
    counted under it); tm-new only from 2021; tm-old only until 2019."""
    entries = [
        ("tm-land", "土地纠纷（旧称）", "tm-land", 1, "2015-01-01", "2019-12-31"),
        ("tm-land-2020", "土地承包经营纠纷", "tm-land", 1, "2020-01-01", None),
        ("tm-wages", "欠薪纠纷", "tm-labour", 2, "2018-01-01", None),
        ("tm-labour", "劳动争议纠纷", "tm-labour", 3, "2015-01-01", None),
        ("tm-new", "网络购物纠纷", "tm-new", 4, "2021-01-01", None),
        ("tm-old", "计划生育纠纷", "tm-old", 5, "2015-01-01", "2019-12-31"),
    ]
    for code, name, column, order, start, end in entries:
        DisputeType.objects.create(
            code=code,
            name=name,
            statistics_code=column,
            sort_order=order,
            valid_from=dt.date.fromisoformat(start),
            valid_to=dt.date.fromisoformat(end) if end else None,
        )


def _mix(org: Organisation, period: periods.Period) -> list[tuple[str, float, str]]:
    return [
        (t["name"], t["value"], t["url"].split("key=")[1]) for t in dashboard.type_mix(org, period)
    ]


def test_the_mix_is_the_periods_cells_named_by_its_dictionary(
    world: World, django_assert_num_queries: Any
) -> None:
    _dictionary()
    org, other = world.org(DISTRICT), world.org(OTHER_DISTRICT)
    mediated = Indicator.MEDIATED
    _cell(org, "2026-01", mediated, "type:tm-land", "3")
    _cell(org, "2026-05", mediated, "type:tm-land", "4")
    _cell(org, "2026-02", mediated, "type:tm-labour", "9")
    _cell(org, "2026-03", mediated, "type:tm-new", "2")
    # A column the 2026 dictionary no longer has shows its key; an empty one not at all.
    _cell(org, "2026-03", mediated, "type:tm-old", "1")
    _cell(org, "2026-04", mediated, "type:tm-zero", "0")
    # None of these are the district's mediated cases of 2026 by type.
    _cell(org, "2025-12", mediated, "type:tm-land", "50")
    _cell(org, "2027-01", mediated, "type:tm-land", "50")
    _cell(org, "2026-01", Indicator.SUCCESS, "", "40")
    _cell(org, "2026-01", mediated, "", "19")
    _cell(org, "2026-01", mediated, "source:application", "19")
    _cell(other, "2026-01", mediated, "type:tm-land", "60")

    year = periods.parse("2026")
    with django_assert_num_queries(1):
        mix = _mix(org, year)
    assert mix == [
        # The column is named by its own entry, not by the sub-type listed before it.
        ("劳动争议纠纷", 9.0, "type%3Atm-labour"),
        ("土地承包经营纠纷", 7.0, "type%3Atm-land"),
        ("网络购物纠纷", 2.0, "type%3Atm-new"),
        ("type:tm-old", 1.0, "type%3Atm-old"),
    ]
    # The same names as the report's columns for the period.
    columns = dict(report.type_columns(year))
    assert [name for name, *_ in mix[:3]] == [
        columns["tm-labour"],
        columns["tm-land"],
        columns["tm-new"],
    ]


def test_an_older_period_keeps_its_dictionarys_categories(world: World) -> None:
    _dictionary()
    org = world.org(DISTRICT)
    _cell(org, "2019-06", Indicator.MEDIATED, "type:tm-land", "5")
    _cell(org, "2019-06", Indicator.MEDIATED, "type:tm-old", "2")
    _cell(org, "2017-06", Indicator.MEDIATED, "type:tm-labour", "1")
    assert _mix(org, periods.parse("2019")) == [
        ("土地纠纷（旧称）", 5.0, "type%3Atm-land"),
        ("计划生育纠纷", 2.0, "type%3Atm-old"),
    ]
    # The same cells read for 2020 and later take the new name.
    _cell(org, "2020-06", Indicator.MEDIATED, "type:tm-land", "5")
    assert _mix(org, periods.parse("2020"))[0][0] == "土地承包经营纠纷"
    # Before 欠薪 existed (2018) its column had only its own entry.
    assert _mix(org, periods.parse("2017")) == [("劳动争议纠纷", 1.0, "type%3Atm-labour")]


def test_the_totals_and_rates_are_the_periods_level_cells(
    world: World, django_assert_num_queries: Any
) -> None:
    org = world.org(DISTRICT)
    for month in ("2026-02", "2026-07"):
        _cell(org, month, Indicator.ACCEPTED, "", "10")
        _cell(org, month, Indicator.MEDIATED, "", "8")
        _cell(org, month, Indicator.SUCCESS, "", "6")
        _cell(org, month, Indicator.PERFORMED, "", "4")
        _cell(org, month, Indicator.AMOUNT, "", "1000.25")
    # Breakdowns, other months and other organisations do not add to the headline.
    _cell(org, "2026-02", Indicator.MEDIATED, "type:neighbours", "8")
    _cell(org, "2025-12", Indicator.MEDIATED, "", "100")
    _cell(world.org(OTHER_DISTRICT), "2026-02", Indicator.MEDIATED, "", "100")

    year = periods.parse("2026")
    with django_assert_num_queries(1):
        totals = dashboard.totals(org, year)
    assert totals == {
        "accepted": 20.0,
        "mediated": 16.0,
        "success": 12.0,
        "success_rate": 75.0,
        "performance_rate": 66.67,
        "amount": 2000.5,
    }
    # A period without figures: zero cases and no rate ("—"), not a division by zero, and
    # not 0 %, which would read as every mediation failed.
    empty = dashboard.totals(org, periods.parse("2024"))
    assert empty["mediated"] == 0.0
    assert empty["success_rate"] is None and empty["performance_rate"] is None
