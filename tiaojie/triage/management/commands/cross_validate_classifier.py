"""Cross-validate the narrative reader over the hand-written development sets (``crossval``):
the held-out figures of the model as it would be trained, with per-type precision, recall and
F1 pooled over every set, and each set's macro-F1. It trains one model per set (seconds each)
and writes no file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.crossval import cross_validate, risk_thresholds
from tiaojie.triage.evaluation import report
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

    def handle(self, *args: Any, **options: Any) -> None:
        thresholds = risk_thresholds(options["fold"])
        self.stdout.write(
            "learned risk thresholds: "
            + ", ".join(f"{c} {t:.2f}" for c, t in zip(RISK_CODES, thresholds, strict=True))
            + "\n"
        )
        result = cross_validate(options["fold"], thresholds=thresholds)
        self.stdout.write(
            report("cross-validated over the hand-written dev sets, pooled", result["pooled"])
        )
        for name, fold in result["folds"].items():
            self.stdout.write(
                f"{name} held out ({fold['n']}): type macro-F1 {fold['type_macro_f1']:.3f}, "
                f"tier accuracy {fold['tier_accuracy']:.3f}, risk recall "
                f"{fold['risk_recall']:.3f}, precision {fold['risk_precision']:.3f}\n"
            )
