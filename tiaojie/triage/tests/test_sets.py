"""The blind test sets stay tests: training never reads test set 10 (whether or not its file
is on this branch), the evaluation reads it only when named and says so clearly when it is
absent, and dev sets 6 to 11 (test sets 4 to 9 once) are well-formed and folds of the
cross-validation. Nothing here runs the classifier on a test set, nor reads one."""

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
    HANDWRITTEN_DEV8,
    HANDWRITTEN_DEV9,
    HANDWRITTEN_DEV10,
    HANDWRITTEN_DEV11,
    HANDWRITTEN_TEST10,
    TEST10_SPLIT,
    load_rows,
    training_rows,
)

WEAK_TYPES = ("contract", "other", "business", "consumer", "damages", "housing_homestead")


def _training_never_holds(split: str, marker: str) -> None:
    for options in ({"hold_out_dev": False}, {"hold_out_dev": True}, {"leave_out": "dev11"}):
        rows = training_rows(**options)
        assert split not in {row["split"] for row in rows}
        assert not [row["id"] for row in rows if row["text"] == marker]


def test_no_file_training_reads_is_a_test_set() -> None:
    # The test sets' files are never opened here (nothing on this branch may read them): it is
    # enough that training's list of files does not hold them.
    assert HANDWRITTEN_TEST10 not in DEV_SETS.values()
    assert HANDWRITTEN_TEST10 not in {model.CORPUS, model.HANDWRITTEN_TRAIN}
    _training_never_holds(TEST10_SPLIT, "")


@pytest.mark.parametrize("split", [TEST10_SPLIT])
def test_a_test_row_copied_into_a_dev_set_is_still_not_trained_on(
    split: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether or not the real files exist: a row of a test split is never learnt.
    stray: dict[str, Any] = {
        "id": "stray-9999",
        "text": "工单：测试用的一条盲测叙述，不应进入训练。",
        "channel": "hotline",
        "dispute_type": "other",
        "risks": [],
        "tier": "community",
        "split": split,
    }
    copy = tmp_path / "dev5.jsonl"
    rows = [*load_rows(model.HANDWRITTEN_DEV5), stray]
    copy.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    monkeypatch.setitem(model.DEV_SETS, "dev5", copy)
    # The copy is read (its other rows are learnt) but not the stray row.
    assert load_rows(model.HANDWRITTEN_DEV5)[0]["id"] in {r["id"] for r in training_rows()}
    _training_never_holds(split, stray["text"])


def test_test_set_10_is_offered_by_the_evaluation_only_when_named() -> None:
    assert "test10" in SETS
    assert "test10" not in DEFAULT_SETS
    # Spent: dev sets 6 to 11 now.
    assert not {"test4", "test5", "test6", "test7", "test8", "test9"} & set(SETS)


@pytest.mark.parametrize(
    ("name", "attribute", "title"),
    [("test10", "HANDWRITTEN_TEST10", "test set 10")],
)
def test_asking_for_an_absent_test_set_fails_clearly(
    name: str, attribute: str, title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, attribute, tmp_path / f"handwritten_{name}.jsonl")
    with pytest.raises(CommandError, match=f"{title} is not here"):
        call_command("evaluate_classifier", "--set", name, stdout=StringIO())


def test_dev_set_11_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    # Test set 9 once: spent by its one run (model 8), now read and learnt like every dev set.
    assert DEV_SETS["dev11"] == HANDWRITTEN_DEV11
    rows = load_rows(HANDWRITTEN_DEV11)
    assert len(rows) == 509
    assert {row["split"] for row in rows} == {"handwritten_test9"}
    ids = {row["id"] for row in training_rows()}
    assert rows[0]["id"] in ids
    assert rows[0]["id"] not in {row["id"] for row in training_rows(leave_out="dev11")}


def test_dev_set_10_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    # Test set 8 once: spent by its one run (model 7), now read and learnt like every dev set.
    assert DEV_SETS["dev10"] == HANDWRITTEN_DEV10
    rows = load_rows(HANDWRITTEN_DEV10)
    assert len(rows) == 520
    assert {row["split"] for row in rows} == {"handwritten_test8"}
    ids = {row["id"] for row in training_rows()}
    assert rows[0]["id"] in ids
    assert rows[0]["id"] not in {row["id"] for row in training_rows(leave_out="dev10")}


def test_dev_set_9_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    # Test set 7 once: spent by its one run (model 6), now read and learnt like every dev set.
    assert DEV_SETS["dev9"] == HANDWRITTEN_DEV9
    rows = load_rows(HANDWRITTEN_DEV9)
    assert len(rows) == 520
    assert {row["split"] for row in rows} == {"handwritten_test7"}
    ids = {row["id"] for row in training_rows()}
    assert rows[0]["id"] in ids
    assert rows[0]["id"] not in {row["id"] for row in training_rows(leave_out="dev9")}


def test_dev_set_8_is_a_fold_of_the_cross_validation_and_trained_on() -> None:
    # Test set 6 once: spent by its one run (model 5), now read and learnt like every dev set.
    assert DEV_SETS["dev8"] == HANDWRITTEN_DEV8
    rows = load_rows(HANDWRITTEN_DEV8)
    assert len(rows) == 525
    assert {row["split"] for row in rows} == {"handwritten_test6"}
    ids = {row["id"] for row in training_rows()}
    assert rows[0]["id"] in ids
    assert rows[0]["id"] not in {row["id"] for row in training_rows(leave_out="dev8")}


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
