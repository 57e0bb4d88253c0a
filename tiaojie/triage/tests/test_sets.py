"""The blind test set stays a test: training never reads test set 6 (whether or not its file is
on this branch), the evaluation reads it only when named and says so clearly when it is absent,
and dev sets 6 and 7 (test sets 4 and 5 once) are well-formed and a fold of the cross-validation. Nothing here
runs the classifier on a test set."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import DisputeType
from tiaojie.triage import model
from tiaojie.triage.choices import Risk, SuggestedTier
from tiaojie.triage.management.commands.evaluate_classifier import DEFAULT_SETS, SETS
from tiaojie.triage.model import (
    DEV_SETS,
    HANDWRITTEN_DEV4,
    HANDWRITTEN_DEV6,
    HANDWRITTEN_DEV7,
    HANDWRITTEN_TEST6,
    TEST6_SPLIT,
    load_rows,
    training_rows,
)

WEAK_TYPES = ("contract", "other", "business", "consumer", "damages", "housing_homestead")


def _training_never_holds(texts: set[str]) -> None:
    for options in ({"hold_out_dev": False}, {"hold_out_dev": True}, {"leave_out": "dev7"}):
        rows = training_rows(**options)
        assert not [row["id"] for row in rows if row["text"] in texts]
        assert TEST6_SPLIT not in {row["split"] for row in rows}
        assert not [row["id"] for row in rows if str(row["id"]).startswith("t6-")]


def test_training_never_reads_test_set_6() -> None:
    # No file on this branch is test set 6, and none of the files training reads holds its rows.
    assert HANDWRITTEN_TEST6 not in DEV_SETS.values()
    texts = (
        {row["text"] for row in load_rows(HANDWRITTEN_TEST6)}
        if HANDWRITTEN_TEST6.exists()
        else set()
    )
    _training_never_holds(texts)


def test_a_test_6_row_copied_into_a_dev_set_is_still_not_trained_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether or not the real file exists: a row of split handwritten_test6 is never learnt.
    stray: dict[str, Any] = {
        "id": "t6-9999",
        "text": "工单：测试用的一条盲测叙述，不应进入训练。",
        "channel": "hotline",
        "dispute_type": "other",
        "risks": [],
        "tier": "community",
        "split": TEST6_SPLIT,
    }
    copy = tmp_path / "dev5.jsonl"
    rows = [*load_rows(model.HANDWRITTEN_DEV5), stray]
    copy.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    monkeypatch.setitem(model.DEV_SETS, "dev5", copy)
    _training_never_holds({stray["text"]})


def test_test_set_6_is_offered_by_the_evaluation_only_when_named() -> None:
    assert "test6" in SETS
    assert "test6" not in DEFAULT_SETS
    # Spent: dev sets 6 and 7 now.
    assert "test4" not in SETS
    assert "test5" not in SETS


def test_asking_for_an_absent_test_set_6_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "HANDWRITTEN_TEST6", tmp_path / "handwritten_test6.jsonl")
    with pytest.raises(CommandError, match="test set 6 is not here"):
        call_command("evaluate_classifier", "--set", "test6", stdout=StringIO())


def test_dev_set_7_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    # Test set 5 once: spent by its one run, now read and learnt like every dev set.
    assert DEV_SETS["dev7"] == HANDWRITTEN_DEV7
    rows = load_rows(HANDWRITTEN_DEV7)
    assert len(rows) == 520
    ids = {row["id"] for row in training_rows()}
    assert rows[0]["id"] in ids
    assert rows[0]["id"] not in {row["id"] for row in training_rows(leave_out="dev7")}


def test_dev_set_6_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    assert DEV_SETS["dev6"] == HANDWRITTEN_DEV6
    ids = {row["id"] for row in training_rows()}
    assert "t4-0001" in ids
    assert "t4-0001" not in {row["id"] for row in training_rows(leave_out="dev6")}


@pytest.mark.django_db
def test_dev_set_6_uses_only_known_codes_and_covers_every_type() -> None:
    rows = load_rows(HANDWRITTEN_DEV6)
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
