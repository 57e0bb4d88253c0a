"""Issue 14: the reader cuts a batch into n-grams once for both of its vocabularies
(``grams.SharedGrams``) without changing what it reads. The user must not see a single
suggestion change: on every narrative of the generated corpus and of the hand-written sets, the
type, the risks, their evidence, the tier and every score are those of model 5's two-pass
reader, kept here as the reference (with model 8's opening block read the same way)."""

from __future__ import annotations

from collections.abc import Sequence

import joblib  # type: ignore[import-untyped]
import numpy as np
import pytest

from tiaojie.triage import learned, model
from tiaojie.triage.grams import tf_idf
from tiaojie.triage.model import Reader, Reading, reader
from tiaojie.triage.rules import find_risks

# Edge cases beside the sets: nothing, only white space, runs of white space and newlines (the
# vectorizers fold runs, keep single ones), masked names, Latin letters in both cases, the
# longest narrative allowed.
ODD_TEXTS = [
    "",
    "   ",
    "\n",
    "张某某  和\n\n李某\t 吵架，王某甲说\n要  砍人。",
    "ABC abc 12345 APP里 Abc 的订单",
    "一",
    "打人",
    ("邻居张某某扬言要拿刀砍人，老人独居无人照顾，准备去北京上访。" * 400)[:10_000],
]


def _narratives() -> tuple[list[str], list[str]]:
    rows = model.load_rows(model.CORPUS) + model.load_rows(model.HANDWRITTEN_TRAIN)
    for path in model.DEV_SETS.values():
        rows += model.load_rows(path)
    texts = [row["text"] for row in rows] + ODD_TEXTS
    channels = [row["channel"] for row in rows] + ["hotline"] * len(ODD_TEXTS)
    return texts, channels


def _reference(r: Reader, texts: Sequence[str], channels: Sequence[str]) -> list[Reading]:
    """Model 5's ``Reader.read_many`` as merged (b5032f9): scikit-learn's two vectorizers."""
    grams = r.vectorizer.transform(texts)
    # Model 8's opening block, by the same scikit-learn vectorizer.
    heads = r.vectorizer.transform([model.head(t, r.head_chars) for t in texts])
    type_x = model._type_features(grams, texts, r.cue_scale, heads, r.head_scale or 0.0)
    type_p = model._softmax(np.asarray(type_x @ r.type_coef) + r.type_intercept)
    types = [r.type_classes[i] for i in type_p.argmax(axis=1)]
    evidence = [find_risks(text) for text in texts]
    tier_x = model._tier_features(
        grams, types, r.type_classes, [[e.risk for e in ev] for ev in evidence], channels
    )
    # The risk layer as model 5 built it: scikit-learn's vectorizer for the clauses too.
    risk = learned.RiskModel(joblib.load(model.MODEL_FILE), model.normalise)
    flags = risk.flags(risk.scores(texts))
    evidence = [
        model._with_learned(risk, text, found, row)
        for text, found, row in zip(texts, evidence, flags, strict=True)
    ]
    tier_p = model._softmax(np.asarray(tier_x @ r.tier_coef) + r.tier_intercept)
    readings = []
    for i, text_evidence in enumerate(evidence):
        top = np.argsort(type_p[i])[::-1][:3]
        readings.append(
            Reading(
                dispute_type=types[i],
                risks=[e.risk for e in text_evidence],
                tier=r.tier_classes[int(tier_p[i].argmax())],
                scores={
                    "dispute_type": {r.type_classes[j]: round(float(type_p[i, j]), 4) for j in top},
                    "tier": {
                        name: round(float(tier_p[i, j]), 4) for j, name in enumerate(r.tier_classes)
                    },
                },
                evidence=text_evidence,
            )
        )
    return readings


@pytest.fixture(scope="module")
def narratives() -> tuple[list[str], list[str]]:
    return _narratives()


def test_every_narrative_reads_as_the_two_pass_reader_read_it(
    narratives: tuple[list[str], list[str]],
) -> None:
    texts, channels = narratives
    r = reader()
    expected = _reference(r, texts, channels)
    got: list[Reading] = []
    # In batches, as the queue and the benchmark read.
    for start in range(0, len(texts), 500):
        got += r.read_many(texts[start : start + 500], channels[start : start + 500])
    assert len(got) == len(expected) > 5000
    for text, new, old in zip(texts, got, expected, strict=True):
        assert (new.dispute_type, new.risks, new.tier) == (old.dispute_type, old.risks, old.tier), (
            text
        )
        assert new.evidence == old.evidence, text
        for part in ("dispute_type", "tier"):
            assert list(new.scores[part]) == list(old.scores[part]), text
            for name, value in old.scores[part].items():
                assert new.scores[part][name] == pytest.approx(value, abs=1e-9), text


def test_one_narrative_at_a_time_reads_the_same(narratives: tuple[list[str], list[str]]) -> None:
    # The intake form reads one narrative per call; every 50th is enough to show the path.
    texts, channels = narratives
    r = reader()
    sample = list(range(0, len(texts), 50)) + list(range(len(texts) - len(ODD_TEXTS), len(texts)))
    expected = _reference(r, [texts[i] for i in sample], [channels[i] for i in sample])
    for i, old in zip(sample, expected, strict=True):
        assert r.read(texts[i], channels[i]) == old, texts[i]


def test_the_weighted_n_grams_are_scikit_learns_to_the_bit(
    narratives: tuple[list[str], list[str]],
) -> None:
    # Rounded scores can hide a small drift; the weighted n-gram matrices cannot.
    texts, _ = narratives
    r = reader()
    assert r.risk is not None
    type_counts, risk_counts = r.grams.counts(texts)
    pairs = [
        (tf_idf(type_counts, r.vectorizer.idf_), r.vectorizer.transform(texts)),
        (tf_idf(risk_counts, r.risk.vectorizer.idf_), r.risk.vectorizer.transform(texts)),
    ]
    for new, old in pairs:
        assert new.shape == old.shape
        assert new.dtype == old.dtype == np.float32
        assert np.array_equal(new.indptr, old.indptr)
        assert np.array_equal(new.indices, old.indices)
        assert np.array_equal(new.data, old.data)
