"""The evaluation report: per-class precision and recall, macro-F1, the confusion matrix, risk
recall and precision, tier accuracy, on a held-out set of narratives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sklearn.metrics import (  # type: ignore[import-untyped]
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from tiaojie.triage.model import Reading
from tiaojie.triage.rules import RISK_CODES


class ReadsMany(Protocol):
    """A ``Reader``, or readings made already (``crossval``)."""

    def read_many(self, texts: Sequence[str], channels: Sequence[str]) -> list[Reading]: ...


def evaluate(reader: ReadsMany, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    readings = reader.read_many([r["text"] for r in rows], [r["channel"] for r in rows])
    truth = [r["dispute_type"] for r in rows]
    guess = [x.dispute_type for x in readings]
    labels = sorted(set(truth) | set(guess))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, labels=labels, zero_division=0
    )
    risks: dict[str, dict[str, int]] = {code: {"tp": 0, "fp": 0, "fn": 0} for code in RISK_CODES}
    for row, reading in zip(rows, readings, strict=True):
        want, got = set(row["risks"]), set(reading.risks)
        for code in RISK_CODES:
            if code in want and code in got:
                risks[code]["tp"] += 1
            elif code in got:
                risks[code]["fp"] += 1
            elif code in want:
                risks[code]["fn"] += 1
    tp = sum(v["tp"] for v in risks.values())
    fp = sum(v["fp"] for v in risks.values())
    fn = sum(v["fn"] for v in risks.values())
    return {
        "n": len(rows),
        "labels": labels,
        "per_class": [
            {"label": lab, "precision": p, "recall": r, "f1": f, "support": int(s)}
            for lab, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        ],
        "type_macro_f1": float(f1_score(truth, guess, labels=labels, average="macro")),
        "type_accuracy": float(accuracy_score(truth, guess)),
        "confusion": confusion_matrix(truth, guess, labels=labels).tolist(),
        "risks": risks,
        "risk_recall": tp / (tp + fn) if tp + fn else 1.0,
        "risk_precision": tp / (tp + fp) if tp + fp else 1.0,
        "tier_accuracy": float(
            accuracy_score([r["tier"] for r in rows], [x.tier for x in readings])
        ),
    }


def report(title: str, result: dict[str, Any]) -> str:
    lines = [f"== {title}: {result['n']} narratives", "", "dispute type  precision  recall  f1  n"]
    for row in result["per_class"]:
        lines.append(
            f"  {row['label']:<24}{row['precision']:.2f}  {row['recall']:.2f}  "
            f"{row['f1']:.2f}  {row['support']}"
        )
    lines += [
        f"type macro-F1 {result['type_macro_f1']:.3f}, accuracy {result['type_accuracy']:.3f}",
        "",
        "confusion matrix (rows: true, columns: predicted, in the order above)",
    ]
    short = [lab[:4] for lab in result["labels"]]
    lines.append("      " + " ".join(f"{s:>4}" for s in short))
    for s, counts in zip(short, result["confusion"], strict=True):
        lines.append(f"{s:>5} " + " ".join(f"{c:>4}" for c in counts))
    lines += ["", *risk_lines(result), f"tier accuracy {result['tier_accuracy']:.3f}", ""]
    return "\n".join(lines)


def risk_lines(result: dict[str, Any]) -> list[str]:
    """Per risk recall, precision and counts, then the risks overall."""
    lines = ["risk  recall  precision  (tp/fp/fn)"]
    for code, c in result["risks"].items():
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        pre = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        lines.append(f"  {code:<22}{rec:.2f}  {pre:.2f}  ({c['tp']}/{c['fp']}/{c['fn']})")
    lines.append(
        f"risks overall: recall {result['risk_recall']:.3f}, precision {result['risk_precision']:.3f}"
    )
    return lines
