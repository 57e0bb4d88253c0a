"""Historical aggregates (months before the system) imported all or nothing, marked as history
in the report and its drill-down; and the data sets built to the seeds' totals reproduce them
exactly (Wuhan Jan–Aug 2020 by import, Beijing's 2019 campaign by the roll-ups' own path)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook

from conftest import World
from tiaojie.core.errors import NotPermitted
from tiaojie.core.imports import ImportInvalid
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import historical, periods, report
from tiaojie.statistics.models import StatCell
from tiaojie.statistics.tests import seed_totals
from tiaojie.statistics.tests.test_filing import case_last_month, last_month
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

CITY = "临江市司法局"
DISTRICTS = ["东湖区司法局", "西山区司法局"]


def _figure(built: report.Report, code: str) -> Decimal:
    column = next(c for c in built.columns if c.code == code)
    return built.total.value(column)


def _file(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_wuhan_jan_to_aug_2020_reproduces_the_seed_totals(
    world: World, client_as: Callable[[str], Client]
) -> None:
    assert seed_totals.import_wuhan(world.user("demo_city"), DISTRICTS) == 16
    city = world.org(CITY)
    year = report.build(city, periods.parse("2020"))
    for code, total in seed_totals.WUHAN.items():
        assert _figure(year, code) == total, code
    # 防止群体性事件 47: the two group kinds together.
    assert (
        _figure(year, "prevented_cases.group_petition")
        + _figure(year, "prevented_cases.group_fight")
        == 47
    )
    assert _figure(year, "rate.success") == Decimal("99.99")
    assert _figure(year, "rate.performed") == Decimal("99.43")  # the seed: 99.4 %
    months = [report.build(city, periods.parse(f"2020-{m:02d}")) for m in range(1, 9)]
    assert sum(_figure(m, "mediated") for m in months) == 38_513
    assert year.has_history
    # Nothing of it is recomputed or repaired from cases.
    assert differences() == []

    client = client_as("demo_city")
    page = client.get("/statistics/", {"organisation": str(city.pk), "period": "2020"})
    text = page.content.decode()
    assert 'id="historical-notice"' in text and "※" in text
    assert "/statistics/cases/?" not in text  # history links to no cases
    drill = client.get(
        "/statistics/cases/",
        {"organisation": str(city.pk), "period": "2020", "indicator": "mediated"},
    ).content.decode()
    assert 'id="historical-notice"' in drill and "38,513" in drill


def test_beijing_campaign_reproduces_the_seed_totals(world: World) -> None:
    committees = list(Organisation.objects.filter(kind=OrganisationKind.COMMITTEE).order_by("path"))
    seed_totals.add_beijing(committees)
    built = report.build(world.org(CITY), periods.parse("2019"))
    assert _figure(built, "mediated") == 114_478
    assert _figure(built, "success") == 71_364
    assert _figure(built, "complex") == 3_501
    assert _figure(built, "amount") == Decimal("11200000000")  # 112亿元
    assert sum(r.value(built.columns[1]) for r in built.rows) == 114_478


def test_totals_that_do_not_add_up_are_refused_naming_row_and_column(world: World) -> None:
    p, o = historical.period_header(), historical.organisation_header()
    rows: list[list[object]] = [
        [p, o, "mediated", "success", "mediated.source:initiative", "oral", "written"],
        ["2020-01", "东湖区司法局", 10, 11, 10, 0, 11],  # more successes than mediations
        ["2020-01", "西山区司法局", 10, 9, 8, 4, 5],  # sources add up to 8, not 10
        ["2020-02", "没有这个单位", 1, 1, 1, 1, 0],
        ["2020-13", "东湖区司法局", "十", 1, 1, 1, 0],
        ["2020-03", "东湖区司法局", 5, 5, 5, 2, 2],  # oral + written is 4, not 5
    ]
    with pytest.raises(ImportInvalid) as refused:
        historical.import_history(_file(rows), "bad.xlsx", world.user("demo_city"))
    found = {(e.row, e.column) for e in refused.value.errors}
    assert (2, "success") in found
    assert (3, "mediated") in found
    assert (4, o) in found
    assert (5, p) in found
    assert (6, "success") in found
    messages = " ".join(str(e) for e in refused.value.errors)
    assert "第2行" in messages or "2" in messages
    assert not StatCell.objects.filter(historical=True).exists()  # nothing half-imported


def test_months_the_system_counts_are_refused_and_officers_only(world: World) -> None:
    case_last_month(world)
    rows: list[list[object]] = [
        [historical.period_header(), historical.organisation_header(), "accepted"],
        [last_month().code, "东湖区司法局", 3],
    ]
    with pytest.raises(ImportInvalid) as refused:
        historical.import_history(_file(rows), "live.xlsx", world.user("demo_city"))
    assert "系统启用之前" in str(refused.value.errors[0])
    with pytest.raises(NotPermitted):
        historical.import_history(_file(rows), "live.xlsx", world.user("demo_street"))


def test_the_page_imports_and_lists(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("demo_district")
    assert client.get("/statistics/history/template.xlsx").status_code == 200
    rows: list[list[object]] = [
        [historical.period_header(), historical.organisation_header(), "mediated", "success"],
        ["2019-12", "东湖街道司法所", 12, 11],
    ]
    upload = _file(rows)
    upload.name = "history.xlsx"
    done = client.post("/statistics/history/", {"file": upload})
    assert done.status_code == 302
    listed = client.get("/statistics/history/").content.decode()
    assert "2019-12" in listed and "东湖街道司法所" in listed
    bad = _file([*rows[:1], ["2019-11", "东湖街道司法所", 1, 2]])
    bad.name = "bad.xlsx"
    refused = client.post("/statistics/history/", {"file": bad}).content.decode()
    assert 'id="history-errors"' in refused
    assert dt.date(2019, 11, 1) not in set(
        StatCell.objects.filter(historical=True).values_list("period", flat=True)
    )
