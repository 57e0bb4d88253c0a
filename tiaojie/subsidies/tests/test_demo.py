"""The demo shows an approved sheet a reader can check by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiaojie.subsidies.demo import seed_subsidies_demo
from tiaojie.subsidies.models import SubsidySheet
from tiaojie.subsidies.services import sheets

pytestmark = pytest.mark.django_db


def test_the_demo_sheet_is_approved_with_each_tier_and_an_exclusion() -> None:
    sheet = seed_subsidies_demo()
    assert sheet is not None
    assert sheet.status == "bureau_ok"
    # 30 + 30 + 80 + 80 + 150 + 150 of the month, and 80 carried over from the month before.
    assert sheet.total == Decimal("600.00")
    tiers = sorted(sheet.lines.filter(exclusion="").values_list("tier", flat=True))
    assert tiers == ["difficult"] * 3 + ["general", "general", "major", "major"]
    assert sheet.lines.filter(exclusion="not_performed").count() == 1
    # Running it again adds nothing.
    assert seed_subsidies_demo() == sheet
    # Last month's sheet and the paid one before it, whose excluded case it carries over.
    assert SubsidySheet.objects.filter(committee=sheet.committee).count() == 2


def test_the_demo_carries_over_a_case_performed_after_its_month_was_paid() -> None:
    sheet = seed_subsidies_demo()
    assert sheet is not None
    earlier = sheets.previous_month(sheet.month)
    paid = SubsidySheet.objects.get(committee=sheet.committee, month=earlier)
    assert paid.status == "paid"
    excluded = paid.lines.get(case__summary="邻居借款返还纠纷")
    assert (excluded.exclusion, excluded.amount) == ("not_performed", Decimal("0.00"))

    carried = sheet.lines.get(case__summary="邻居借款返还纠纷")
    assert (carried.exclusion, carried.tier, carried.amount) == ("", "difficult", Decimal("80.00"))
    assert carried.carried_from == earlier
    month_text = f"{sheet.month.month}月"
    if sheet.month.year != earlier.year:
        month_text = f"{sheet.month.year}年{month_text}"
    assert f"补计：{earlier.year}年{earlier.month}月调解，{month_text}履行" in carried.carry_note
    # The paid month does not change.
    assert sheets.verify(paid) == [] and sheets.verify(sheet) == []
