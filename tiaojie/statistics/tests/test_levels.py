"""The level cells (ADR 0045): every organisation's figure kept as one row per month, equal to
the sum of the cells under it; a city's report reads its districts' rows; a move keeps the
city's figure and shifts the two districts'; a level cell that disagrees is reported and
repaired by ``verify_statistics``."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.organisations.moves import organisation_move
from tiaojie.statistics import levels, periods, report
from tiaojie.statistics.choices import Indicator
from tiaojie.statistics.models import LevelCell
from tiaojie.statistics.tests.helpers import figure
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

CITY = "临江市司法局"
HOME_DISTRICT, OTHER_DISTRICT = "东湖区司法局", "西山区司法局"
COMMITTEE, OTHER_OFFICE = "东湖社区人民调解委员会", "青山街道司法所"
ACCEPTED = (Indicator.ACCEPTED, "")


def _this_month() -> periods.Period:
    return periods.month_of(timezone.localdate())


def _rows(org_name: str, world: World) -> dict[str, Decimal]:
    """The report's accepted column, by row label (the total as 合计)."""
    built = report.build(world.org(org_name), _this_month())
    out = {row.label: row.values.get(ACCEPTED, Decimal(0)) for row in built.rows}
    out["total"] = built.total.values.get(ACCEPTED, Decimal(0))
    return out


def test_every_level_holds_the_sum_of_the_cells_under_it(world: World) -> None:
    mediator = world.user("demo_mediator")
    for _ in range(2):
        f.to_mediation(mediator, f.register(mediator))
    for name in (COMMITTEE, "东湖街道司法所", HOME_DISTRICT, CITY):
        org = world.org(name)
        level = LevelCell.objects.get(
            organisation=org, period=_this_month().first, indicator=Indicator.ACCEPTED, key=""
        )
        assert level.value == figure(org, Indicator.ACCEPTED) >= 2, name
    # The city's report: one row per district, each its district's figure, and the total.
    rows = _rows(CITY, world)
    assert rows[HOME_DISTRICT] == figure(world.org(HOME_DISTRICT), Indicator.ACCEPTED)
    assert rows["total"] == figure(world.org(CITY), Indicator.ACCEPTED)
    assert differences() == []


def test_a_move_keeps_the_citys_figure_and_shifts_the_two_districts(world: World) -> None:
    mediator = world.user("demo_mediator")
    for _ in range(3):
        f.to_mediation(mediator, f.register(mediator))
    own = figure(world.org(COMMITTEE), Indicator.ACCEPTED)
    before = _rows(CITY, world)

    committee = world.org(COMMITTEE)
    organisation_move(
        actor=None,
        org=committee,
        parent=world.org(OTHER_OFFICE),
        reason="区划调整",
        version=committee.version,
    )

    after = _rows(CITY, world)
    assert after["total"] == before["total"]
    assert after[HOME_DISTRICT] == before[HOME_DISTRICT] - own
    assert after[OTHER_DISTRICT] == before[OTHER_DISTRICT] + own
    assert differences() == []


def test_a_level_cell_that_disagrees_is_reported_and_repaired(world: World) -> None:
    mediator = world.user("demo_mediator")
    f.register(mediator)
    district = world.org(HOME_DISTRICT)
    LevelCell.objects.filter(organisation=district, indicator=Indicator.REGISTERED).update(
        value=F("value") + 5
    )
    found = levels.differences()
    assert [d.cell[1] for d in found] == [district.pk]
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_statistics", stdout=out)
    assert "level of organisation" in out.getvalue()
    call_command("verify_statistics", "--repair", stdout=io.StringIO())
    assert differences() == []
