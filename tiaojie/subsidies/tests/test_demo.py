"""The demo shows an approved sheet a reader can check by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiaojie.subsidies.demo import seed_subsidies_demo
from tiaojie.subsidies.models import SubsidySheet

pytestmark = pytest.mark.django_db


def test_the_demo_sheet_is_approved_with_each_tier_and_an_exclusion() -> None:
    sheet = seed_subsidies_demo()
    assert sheet is not None
    assert sheet.status == "bureau_ok"
    assert sheet.total == Decimal("520.00")  # 30 + 30 + 80 + 80 + 150 + 150
    tiers = sorted(sheet.lines.filter(exclusion="").values_list("tier", flat=True))
    assert tiers == ["difficult", "difficult", "general", "general", "major", "major"]
    assert sheet.lines.filter(exclusion="not_performed").count() == 1
    # Running it again adds nothing.
    assert seed_subsidies_demo() == sheet
    assert SubsidySheet.objects.filter(committee=sheet.committee).count() == 1
