"""The report page, its exports, the API and the drill-down: each figure equals the list of
cases behind it, scoped to the viewer."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import World
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.statistics import analysis, periods, report, selectors
from tiaojie.statistics.choices import Indicator as Ind
from tiaojie.statistics.templatetags.statistics_tags import stat_value

pytestmark = pytest.mark.django_db

COMMITTEE = "东湖社区人民调解委员会"
STREET = "东湖街道司法所"
DISTRICT = "东湖区司法局"


def _month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def _some_cases(world: World) -> None:
    mediator = world.user("demo_mediator")
    f.to_agreement(mediator, f.register(mediator, amount=Decimal("1500.50")))
    failed = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    transition(
        actor=mediator, case=failed, action="fail", reason="分歧", data={"routes_told": True}
    )


def test_rows_add_up_to_the_total_and_each_figure_drills_to_its_cases(world: World) -> None:
    _some_cases(world)
    district, street = world.org(DISTRICT), world.org(STREET)
    period = periods.parse(_month())
    built = report.build(district, period)
    children = report.row_organisations(district)
    assert [r.organisation for r in built.rows if r.organisation != district] == children
    for column in built.columns:
        # Rates are not sums; a mediator serving in two rows is one person in the total.
        if column.is_rate or report.is_headcount(column.code):
            continue
        assert sum(r.value(column) for r in built.rows) == built.total.value(column), column
    officer = world.user("demo_district")
    for column in built.columns:
        indicator, key = column.address
        if indicator not in (Ind.MEDIATED, Ind.SUCCESS, Ind.ACCEPTED) or column.is_rate:
            continue
        cases = selectors.figure_cases(officer, district, period, indicator, key)
        assert cases.count() == built.total.value(column), column
    street_row = next(r for r in built.rows if r.organisation == street)
    assert street_row.value(report.columns(period)[1]) >= 2  # mediated: the two above
    success = next(c for c in built.columns if c.address == ("rate", "success"))
    assert Decimal(0) < built.total.value(success) <= Decimal(100)


def test_the_page_links_every_figure_to_its_cases(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _some_cases(world)
    client = client_as("demo_street")
    page = client.get("/statistics/", {"period": _month()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "东湖社区人民调解委员会" in html and "调解" in html
    link = f"/statistics/cases/?organisation={world.org(COMMITTEE).pk}&amp;period={_month()}&amp;indicator=success"
    assert link in html
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert "楼上漏水" in listing.content.decode()


def test_another_district_is_not_found_and_a_bad_period_is_named(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("demo_street")
    other = world.org("西山区司法局")
    assert client.get("/statistics/", {"organisation": other.pk}).status_code == 404
    page = client.get("/statistics/", {"period": "2026-13"})
    assert page.status_code == 200
    assert "期间" in page.content.decode() or "Period" in page.content.decode()
    assert "2026-Q4" in page.content.decode()


def test_xlsx_and_pdf_in_the_official_layout(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _some_cases(world)
    client = client_as("demo_district")
    got = client.get("/statistics/export.xlsx", {"period": _month()})
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert "东湖区司法局" in str(rows[0][0])
    headers = rows[2]
    assert headers[0] == "所属机构"
    assert "婚姻家庭" in headers and str(CaseSource.COURT.label) in headers
    total = rows[-1]
    mediated = headers.index(str(report.columns(periods.parse(_month()))[1].header))
    mediated_total = total[mediated]
    assert isinstance(mediated_total, int)
    assert mediated_total >= 2
    pdf = client.get("/statistics/export.pdf", {"period": _month()})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/statistics/export.doc").status_code == 404


def test_api_report_and_drill_down(world: World, api_as: Callable[[str], Client]) -> None:
    _some_cases(world)
    api = api_as("demo_district")
    got = api.get("/api/v1/statistics/report", {"period": _month()})
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["total"]["values"]["mediated"] >= 2
    cases = api.get(
        "/api/v1/statistics/cases",
        {"period": _month(), "indicator": "mediated", "page_size": "200"},
    )
    assert cases.status_code == 200
    assert cases.json()["count"] == body["total"]["values"]["mediated"]
    bad = api.get("/api/v1/statistics/report", {"period": "11/2026"})
    assert bad.status_code in (400, 422)
    assert "period" in bad.content.decode()
    wrong = api.get("/api/v1/statistics/cases", {"indicator": "screening_rounds"})
    assert wrong.status_code in (400, 422)


def test_quarter_and_year_sum_their_months(world: World) -> None:
    _some_cases(world)
    district = world.org(DISTRICT)
    today = timezone.localdate()
    month = report.figures(district, periods.parse(_month()))
    year = report.figures(district, periods.parse(str(today.year)))
    quarter = report.figures(district, periods.parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}"))
    for address, value in month.items():
        assert quarter[address] >= value and year[address] >= quarter[address]


def _rate_cells(html: str, column: str) -> dict[str, str]:
    """Each row's label and the text of its cell in ``column`` (a data-column code)."""
    codes = re.findall(r'<th data-column="([^"]+)">', html)
    at = codes.index(column)
    cells = {}
    for row in re.findall(r'<th scope="row">(.*?)</tr>', html, flags=re.S):
        label = re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip()
        texts = [
            re.sub(r"<[^>]+>", "", td).strip()
            for td in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        cells[label] = texts[at]
    return cells


def test_a_rate_with_no_cases_is_a_dash_and_a_rate_of_nothing_is_zero(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """A committee that mediated nothing has no success rate: "—", not the "0" that would
    read as every mediation failed; one whose every mediation failed shows 0.00."""
    mediator = world.user("demo_mediator")
    failed = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    transition(
        actor=mediator, case=failed, action="fail", reason="分歧", data={"routes_told": True}
    )
    html = client_as("demo_street").get("/statistics/", {"period": _month()}).content.decode()
    rates = _rate_cells(html, "rate.success")
    assert rates[COMMITTEE] == "0.00"
    idle = [label for label, text in rates.items() if label != COMMITTEE and text == "—"]
    assert idle, rates
    assert "No cases to divide by" in html or "没有可计算的案件" in html


def test_the_api_gives_null_for_a_rate_with_no_cases_and_zero_for_a_rate_of_nothing(
    world: World, api_as: Callable[[str], Client]
) -> None:
    """The API says what the page's "—" says: an idle committee's success rate is null, one
    whose every mediation failed has 0.0."""
    mediator = world.user("demo_mediator")
    failed = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    transition(
        actor=mediator, case=failed, action="fail", reason="分歧", data={"routes_told": True}
    )
    body = api_as("demo_street").get("/api/v1/statistics/report", {"period": _month()}).json()
    rates = {row["label"]: row["values"]["rate.success"] for row in body["rows"]}
    assert rates[COMMITTEE] == 0.0
    assert any(label != COMMITTEE and rate is None for label, rate in rates.items()), rates
    assert body["total"]["values"]["rate.success"] == 0.0
    assert body["total"]["values"]["mediated"] >= 1


def test_the_printed_report_and_the_analysis_also_show_a_rate_with_no_cases_as_a_dash(
    world: World,
) -> None:
    street = world.org(STREET)
    period = periods.parse(_month())
    built = report.build(street, period)
    success = next(c for c in built.columns if c.address == report.RATE_SUCCESS)
    assert stat_value(built.total, success) == "—"  # nothing mediated yet
    assert dict(analysis.key_figures(street, period))[success.header] == "—"
    mediator = world.user("demo_mediator")
    failed = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    transition(
        actor=mediator, case=failed, action="fail", reason="分歧", data={"routes_told": True}
    )
    built = report.build(street, period)
    assert stat_value(built.total, success) == "0.00"  # one mediated, none successful
    assert dict(analysis.key_figures(street, period))[success.header] == "0.00"


def test_every_column_heading_is_chinese_in_chinese(world: World) -> None:
    """The escalation columns' units (件, 人) were once left in English: 防止民转刑（cases）."""
    with translation.override("zh-hans"):
        headers = [str(column.header) for column in report.columns(periods.parse(_month()))]
    assert "防止民转刑（件）" in headers and "防止民转刑（人）" in headers, headers
    assert [h for h in headers if re.search("[A-Za-z]", h)] == []
