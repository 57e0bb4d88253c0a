"""Cross-validate the narrative reader over the hand-written development sets (``crossval``):
the held-out figures of the model as it would be trained, with per-type precision, recall and
F1 pooled over every set, and each set's macro-F1. It trains one model per set (seconds each)
and writes no file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.crossval import cross_validate
from tiaojie.triage.evaluation import report, risk_lines
from tiaojie.triage.rules import RISK_CODES


class Command(BaseCommand):
    help = "Cross-validate the narrative reader over the hand-written development sets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fold",
            action="append",
            choices=list(model.DEV_SETS),
            help="hold out only these sets (repeatable); every set when not given",
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="also print each held-out risk missed or falsely suggested (for writing rules)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One model per fold; the thresholds are chosen on this run's held-out scores (ADR 0053).
        result = cross_validate(options["fold"], choose=True)
        thresholds = result["thresholds"]
        self.stdout.write(
            "learned risk thresholds: "
            + ", ".join(f"{c} {t:.2f}" for c, t in zip(RISK_CODES, thresholds, strict=True))
            + "\n"
        )
        self.stdout.write(
            report("cross-validated over the hand-written dev sets, pooled", result["pooled"])
        )
        if "blind" in result:
            blind = result["blind"]
            self.stdout.write(
                "each set read with thresholds chosen on the other sets only (risks):\n"
                + "\n".join(risk_lines(blind))
                + "\n\n"
            )
        for name, fold in result["folds"].items():
            self.stdout.write(
                f"{name} held out ({fold['n']}): type macro-F1 {fold['type_macro_f1']:.3f}, "
                f"tier accuracy {fold['tier_accuracy']:.3f}, risk recall "
                f"{fold['risk_recall']:.3f}, precision {fold['risk_precision']:.3f}\n"
            )
        if options["misses"]:
            for row, reading in zip(result["rows"], result["readings"], strict=True):
                want, got = set(row["risks"]), set(reading.risks)
                for code in RISK_CODES:
                    if (code in want) != (code in got):
                        kind = "missed" if code in want else "false"
                        self.stdout.write(f"{kind} {code}: {row['text'][:120]}\n")
