"""Cross-validation over the hand-written development sets: for each set, train on everything
else (the generated training part, the other sets) and read that set, then pool the readings of
all sets into one report. Every figure comes from narratives the model being measured did not
learn from, so it is the fair estimate of the shipped model once it trains on all of them.

Caveat the report cannot show: the rules and the corpus fragments were tuned after reading
errors on dev sets 1, 3 and 4, so the pooled figures still flatter the reader a little."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tiaojie.triage import learned, model
from tiaojie.triage.evaluation import evaluate
from tiaojie.triage.rules import RISK_CODES, find_risks


def _fold_names(folds: list[str] | None) -> list[str]:
    return folds or [name for name, path in model.DEV_SETS.items() if path.exists()]


def risk_thresholds(folds: list[str] | None = None) -> np.ndarray:
    """The learned layer's threshold per risk code: for each dev set, risk models trained
    without it score it; the scores of all sets are pooled with the rules' flags and the truth,
    and ``learned.choose_thresholds`` picks each threshold on them (risk models only: seconds
    per fold)."""
    scores, rule_flags, truth = [], [], []
    for name in _fold_names(folds):
        train_rows = model.training_rows(leave_out=name)
        arrays = learned.fit(train_rows, model.sample_weights(train_rows), model.normalise)
        rows = model.load_rows(model.DEV_SETS[name])
        texts = [r["text"] for r in rows]
        scores.append(learned.RiskModel(arrays, model.normalise).scores(texts))
        found = [{e.risk for e in find_risks(t)} for t in texts]
        rule_flags.append(np.array([[c in f for c in RISK_CODES] for f in found]))
        truth.append(np.array([[c in r["risks"] for c in RISK_CODES] for r in rows]))
    return learned.choose_thresholds(np.vstack(scores), np.vstack(rule_flags), np.vstack(truth))


def cross_validate(
    folds: list[str] | None = None,
    trainer: Callable[[list[dict[str, Any]]], dict[str, Any]] = model.train,
    thresholds: np.ndarray | None = None,
    choose: bool = False,
) -> dict[str, Any]:
    """Per fold the held-out result, and ``pooled``: one result over every fold's narratives,
    each read by the model that did not see its set. ``thresholds`` switch the learned risk
    layer on. ``choose`` (model 6) picks them from this run's own held-out scores instead, so
    each fold's model is trained once: ``thresholds`` then come back chosen on all folds
    pooled (as ``train_classifier`` ships them: one value per risk, so the pooled risk figures
    flatter it a little), and ``blind`` holds the pooled result when each fold is read with
    thresholds chosen on the other folds only (its threshold never saw it)."""
    names = _fold_names(folds)
    fold_rows = {name: model.load_rows(model.DEV_SETS[name]) for name in names}
    readers: dict[str, model.Reader] = {}
    for name in names:
        arrays = trainer(model.training_rows(leave_out=name))
        if thresholds is not None:
            arrays["risk_thresholds"] = thresholds
        readers[name] = model.Reader(arrays)
    result: dict[str, Any] = {}
    chosen_by_fold: dict[str, np.ndarray] = {}
    if choose:
        scores, rule_flags, truth = {}, {}, {}
        for name in names:
            texts = [r["text"] for r in fold_rows[name]]
            risk = readers[name].risk
            if risk is None:
                raise ValueError("choosing thresholds needs a trainer that fits the risk layer")
            scores[name] = risk.scores(texts)
            found = [{e.risk for e in find_risks(t)} for t in texts]
            rule_flags[name] = np.array([[c in f for c in RISK_CODES] for f in found])
            truth[name] = np.array([[c in r["risks"] for c in RISK_CODES] for r in fold_rows[name]])

        def chosen_on(keep: list[str]) -> np.ndarray:
            return learned.choose_thresholds(
                np.vstack([scores[n] for n in keep]),
                np.vstack([rule_flags[n] for n in keep]),
                np.vstack([truth[n] for n in keep]),
            )

        thresholds = chosen_on(names)
        result["thresholds"] = thresholds
        if len(names) > 1:
            chosen_by_fold = {n: chosen_on([m for m in names if m != n]) for n in names}
    per_fold: dict[str, dict[str, Any]] = {}
    pooled_rows: list[dict[str, Any]] = []
    pooled_readings: list[model.Reading] = []
    blind_readings: list[model.Reading] = []
    for name in names:
        reader, rows = readers[name], fold_rows[name]
        texts, channels = [r["text"] for r in rows], [r["channel"] for r in rows]
        if chosen_by_fold and reader.risk is not None:
            reader.risk.thresholds = chosen_by_fold[name]
            blind_readings += reader.read_many(texts, channels)
        if thresholds is not None and reader.risk is not None:
            reader.risk.thresholds = np.asarray(thresholds)
        readings = reader.read_many(texts, channels)
        per_fold[name] = evaluate(_Fixed(readings), rows)
        pooled_rows += rows
        pooled_readings += readings
    result["folds"] = per_fold
    result["pooled"] = evaluate(_Fixed(pooled_readings), pooled_rows)
    result["readings"] = pooled_readings
    result["rows"] = pooled_rows
    if blind_readings:
        result["blind"] = evaluate(_Fixed(blind_readings), pooled_rows)
    return result


class _Fixed:
    """Hands ``evaluate`` readings already made (each by its own fold's model)."""

    def __init__(self, readings: list[model.Reading]) -> None:
        self.readings = readings

    def read_many(self, texts: Sequence[str], channels: Sequence[str]) -> list[model.Reading]:
        return self.readings
