"""The hand-written test set stays a test: training never reads it, and test set 4 is
well-formed (every label a code the platform knows), so its one evaluation at merge measures
the model and not a typing slip. Nothing here runs the classifier on the test sets."""

from __future__ import annotations

from collections import Counter

import pytest

from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import DisputeType
from tiaojie.triage.choices import Risk, SuggestedTier
from tiaojie.triage.management.commands.evaluate_classifier import DEFAULT_SETS, SETS
from tiaojie.triage.model import HANDWRITTEN_DEV4, HANDWRITTEN_TEST4, load_rows, training_rows

WEAK_TYPES = ("contract", "other", "business", "consumer", "damages", "housing_homestead")


def test_training_never_reads_test_set_4() -> None:
    texts = {row["text"] for row in load_rows(HANDWRITTEN_TEST4)}
    for hold_out_dev in (False, True):
        rows = training_rows(hold_out_dev=hold_out_dev)
        assert not [row["id"] for row in rows if row["text"] in texts]
        assert "handwritten_test4" not in {row["split"] for row in rows}


def test_test_set_4_is_offered_by_the_evaluation_only_when_named() -> None:
    assert "test4" in SETS
    assert "test4" not in DEFAULT_SETS


@pytest.mark.django_db
def test_test_set_4_uses_only_known_codes_and_covers_every_type() -> None:
    rows = load_rows(HANDWRITTEN_TEST4)
    assert [row["id"] for row in rows] == [f"t4-{n:04d}" for n in range(1, len(rows) + 1)]
    assert len({row["text"] for row in rows}) == len(rows) >= 450
    assert {row["split"] for row in rows} == {"handwritten_test4"}
    channels = set(CaseSource.values)
    risks = set(Risk.values)
    tiers = set(SuggestedTier.values)
    for row in rows:
        assert row["channel"] in channels, row["id"]
        assert set(row["risks"]) <= risks and len(set(row["risks"])) == len(row["risks"]), row["id"]
        assert row["tier"] in tiers, row["id"]
    per_type = Counter(row["dispute_type"] for row in rows)
    # Every type the reader is measured on (the 20 of the dictionary the earlier test set uses).
    assert set(per_type) == {row["dispute_type"] for row in load_rows(HANDWRITTEN_DEV4)}
    assert set(per_type) <= set(DisputeType.objects.values_list("code", flat=True))
    assert all(per_type[code] >= 25 for code in WEAK_TYPES), per_type
