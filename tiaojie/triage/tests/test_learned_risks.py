"""Model 5: the learned risk layer (ADR 0052) finds risks told in words no rule lists, says so
(its evidence is the clause it weighed most, marked learned), and leaves ordinary disputes and
harmless tools alone. The sentences are new, written for these tests, not copied from any set."""

from __future__ import annotations

from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from tiaojie.triage import learned, model
from tiaojie.triage.crossval import cross_validate
from tiaojie.triage.management.commands import cross_validate_classifier as crossval_command
from tiaojie.triage.model import reader, train
from tiaojie.triage.rules import RISK_CODES, find_risks


@pytest.mark.parametrize(
    ("text", "risk", "clause"),
    [
        (
            "网格员反映：为了车位，一方这几天扬着棍子在楼下转悠，说话也越来越狠。",
            "violence_threat",
            "一方这几天扬着棍子在楼下转悠",
        ),
        (
            "来电人称儿子欠了钱后整天关在屋里不吃不喝，说这日子没法过了，活着还有啥意思。",
            "self_harm",
            "活着还有啥意思",
        ),
    ],
)
def test_a_risk_no_rule_names_is_suggested_with_the_clause_the_model_read(
    text: str, risk: str, clause: str
) -> None:
    # The rules alone miss it: this is the learned layer's work.
    assert risk not in {e.risk for e in find_risks(text)}
    reading = reader().read(text, "hotline")
    assert risk in reading.risks
    evidence = {e.risk: e for e in reading.evidence}[risk]
    assert evidence.source == "learned"
    assert evidence.phrase == clause


def test_a_rule_match_keeps_the_rules_phrase() -> None:
    text = "来电人称对门男子昨晚扬言要弄死她儿子。"
    evidence = {e.risk: e for e in reader().read(text, "hotline").evidence}
    assert evidence["violence_threat"].source == "rule"


@pytest.mark.parametrize(
    "text",
    [
        "物业工单：业主反映楼上每天晚上十一点以后拖椅子，噪音很大，希望协调。",
        "两家因为屋檐滴水吵了几句，之后各自回家，没有再来往。",
        "来电人称在菜市场买的刀不锋利，想找摊主退货。",
        "王某在厨房磨刀准备过年杀鸡，请调解员帮忙看下和邻居的排水沟怎么分。",
        "买了一根新棍子做拖把，店家发错了颜色，要求换货。",
    ],
)
def test_hard_negatives_stay_without_risks(text: str) -> None:
    assert reader().read(text, "hotline").risks == []


def test_the_evidence_of_every_risk_is_in_the_order_of_the_codes() -> None:
    # A rule's risk (an old man living alone) and a learned one (a stick at the door) together.
    text = "网格员：八十多岁的独居老人说邻居这几天扬着棍子在楼下转悠。"
    reading = reader().read(text, "grid")
    assert [e.risk for e in reading.evidence] == reading.risks
    assert reading.risks == [c for c in RISK_CODES if c in reading.risks]
    assert "vulnerable" in reading.risks


def test_cross_validation_prints_the_thresholds_and_dev_set_10(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A small model per fold keeps this quick; what is checked is what the command prints.
    def small(rows: list[dict[str, Any]], thresholds: Any = None) -> dict[str, Any]:
        return train(rows[::4], thresholds)

    monkeypatch.setattr(model, "train", small)
    monkeypatch.setattr(
        crossval_command,
        "cross_validate",
        lambda folds, choose: cross_validate(folds, trainer=small, choose=choose),
    )
    out = StringIO()
    call_command("cross_validate_classifier", "--fold", "dev10", "--misses", stdout=out)
    text = out.getvalue()
    assert "learned risk thresholds: violence_threat " in text
    assert "petition_escalation" in text
    assert "pooled: 520 narratives" in text
    assert "dev10 held out (520)" in text
    # What the rules and the model missed, to write rules from.
    assert "missed " in text or "false " in text


def test_every_risk_gets_a_threshold_the_model_alone_can_pass() -> None:
    # Rules that already find every case of a risk on the dev sets must not silence the model
    # (model 5's petition threshold was out of reach): a clean model score earns its threshold.
    truth = np.array([[True], [True], [False], [False]])
    rules = np.array([[True], [True], [False], [False]])
    scores = np.array([[3.0], [2.0], [-1.0], [-2.0]])
    assert learned.choose_thresholds(scores, rules, truth)[0] == pytest.approx(2.0)
