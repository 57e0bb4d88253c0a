"""The pages: the month's list, a sheet read by a reader who can check it by hand, approval
through the page, the XLSX, and the bureau's rules form with its refusals."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests import personas as p
from tiaojie.subsidies.models import SubsidySheet
from tiaojie.subsidies.services import sheets
from tiaojie.subsidies.tests.helpers import D, ended_case, last_month, standard_rules, user

pytestmark = pytest.mark.django_db


def _sheet() -> SubsidySheet:
    standard_rules()
    ended_case(last_month())
    ended_case(last_month(), amount=D(20000))
    ended_case(last_month(), performance="pending")
    return sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )


def test_the_sheet_shows_amounts_in_yuan_and_why_each_case_is_excluded(
    client_as: Callable[[str], Client],
) -> None:
    sheet = _sheet()
    page = client_as(p.STREET).get(reverse("subsidies:sheet_detail", args=[sheet.pk]))
    text = page.content.decode()
    assert "110.00\xa0元" in text
    assert "协议尚未履行" in text
    assert "争议金额（元） 20,000.00\xa0元 → 疑难" in text
    listed = client_as(p.DISTRICT).get(
        reverse("subsidies:sheet_list") + f"?month={last_month():%Y-%m}"
    )
    assert p.COMMITTEE_A in listed.content.decode()
    # Not theirs: the sibling committee's mediator has no such page, the other district 404.
    assert (
        client_as(p.MEDIATOR_B).get(reverse("subsidies:sheet_detail", args=[sheet.pk])).status_code
        == 403
    )


def test_approval_through_the_page_and_a_stale_form_refused(
    client_as: Callable[[str], Client],
) -> None:
    sheet = _sheet()
    url = reverse("subsidies:sheet_action", args=[sheet.pk])
    client_as(p.DIRECTOR_A).post(url, {"action": "submit", "version": sheet.version})
    client_as(p.STREET).post(url, {"action": "office_approve", "version": sheet.version + 1})
    sheet.refresh_from_db()
    assert sheet.status == "office_ok"
    # A form read before the office approved is refused, and says so.
    page = client_as(p.DISTRICT).post(
        url, {"action": "bureau_approve", "version": sheet.version - 1}, follow=True
    )
    sheet.refresh_from_db()
    assert sheet.status == "office_ok"
    assert "已被他人修改" in page.content.decode()


def test_the_xlsx_lists_the_cases_behind_each_amount(client_as: Callable[[str], Client]) -> None:
    sheet = _sheet()
    response = client_as(p.DIRECTOR_A).get(reverse("subsidies:sheet_export", args=[sheet.pk]))
    book = load_workbook(io.BytesIO(response.content))
    paid = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(paid) == 3  # header and two cases
    assert sorted(float(str(row[4])) for row in paid[1:]) == [30, 80]
    excluded = list(book.worksheets[2].iter_rows(values_only=True))
    assert excluded[1][2] == "协议尚未履行"


def test_the_rules_form_shows_every_refusal(client_as: Callable[[str], Client]) -> None:
    client = client_as(p.DISTRICT)
    form = client.get(reverse("subsidies:rule_create"))
    assert form.status_code == 200
    values = {
        "name": "2026年标准",
        "valid_from": "2026-01-01",
        "archive_rule": "major",
        "recipient": "presiding",
        "complex_tier": "difficult",
        "group_tier": "major",
        "band_amount_general_lower": "0",
        "band_amount_general_upper": "10000",
        "band_amount_difficult_lower": "5000",
        "amount_community_general": "30",
        "amount_community_difficult": "-80",
    }
    page = client.post(reverse("subsidies:rule_create"), values)
    text = page.content.decode()
    assert page.status_code == 422
    assert "区间重叠" in text
    assert "补贴金额不能为负数" in text
    assert "“重大”档的补贴金额未设置" in text


def test_a_sheet_not_in_your_area_is_not_found(
    client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    sheet = _sheet()
    # The director of another committee, and an officer of the other district.
    assert (
        client_as("director02").get(reverse("subsidies:sheet_detail", args=[sheet.pk])).status_code
        == 404
    )
    assert api_as("director02").get(f"/api/v1/subsidies/sheets/{sheet.pk}").status_code == 404
    listed = api_as("director02").get("/api/v1/subsidies/sheets").json()
    assert listed["count"] == 0


def test_the_area_total_per_mediator(
    client_as: Callable[[str], Client], api_as: Callable[[str], Client]
) -> None:
    _sheet()
    rows = api_as(p.DISTRICT).get(f"/api/v1/subsidies/mediators?month={last_month():%Y-%m}")
    assert rows.json() == [
        {
            "mediator_id": user(p.MEDIATOR_A).pk,
            "mediator_name": user(p.MEDIATOR_A).full_name,
            "committee_name": p.COMMITTEE_A,
            "cases": 2,
            "total": "110.00",
        }
    ]
    page = client_as(p.STREET).get(reverse("subsidies:sheet_list") + f"?month={last_month():%Y-%m}")
    assert "area-mediators" in page.content.decode()


def test_the_xlsx_neutralises_formulas(client_as: Callable[[str], Client]) -> None:
    from tiaojie.organisations.models import Organisation

    sheet = _sheet()
    Organisation.objects.filter(pk=sheet.committee_id).update(name='=HYPERLINK("x")')
    response = client_as(p.DIRECTOR_A).get(reverse("subsidies:sheet_export", args=[sheet.pk]))
    cell = load_workbook(io.BytesIO(response.content)).worksheets[0]["A2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s" and cell.quotePrefix
