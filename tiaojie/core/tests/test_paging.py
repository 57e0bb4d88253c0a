"""An estimated count is shown rounded to two significant digits: it must not look exact."""

from __future__ import annotations

import pytest

from tiaojie.core.paging import rounded


@pytest.mark.parametrize(
    ("estimate", "shown"),
    [(483_127, 480_000), (97_745, 98_000), (12_449, 12_000), (10_001, 10_000), (57, 57)],
)
def test_an_estimate_is_shown_to_two_significant_digits(estimate: int, shown: int) -> None:
    assert rounded(estimate) == shown
