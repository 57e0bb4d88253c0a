"""Print the evaluation report of the shipped model on the generated held-out part and the third
and fourth hand-written development sets (the test sets of models 1 and 2, both trained on now:
their figures show fit, not generalisation; ``cross_validate_classifier`` gives held-out ones)
and, only when named, hand-written test set 4 (474 narratives written for model 3: never trained
on, nothing tuned on it). Each run on test set 4 counts: docs/triage.md says how many there were."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report

SETS = ("generated", "dev", "dev4", "test4")
# Test set 4 is read only when named: each run on it counts, so a bare run must not spend one.
DEFAULT_SETS = ("generated", "dev", "dev4")


class Command(BaseCommand):
    help = "Evaluate the narrative reader on the generated held-out part, dev sets 3 and 4 and test set 4."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--set",
            action="append",
            choices=SETS,
            help="which set (repeatable); generated, dev and test when not given (test4 only by name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reader = model.Reader.load()
        wanted = options["set"] or list(DEFAULT_SETS)
        self.stdout.write(f"model {reader.version}\n")
        if "generated" in wanted:
            generated = [r for r in model.load_rows(model.CORPUS) if r["split"] == "test"]
            self.stdout.write(report("generated, held-out fragments", evaluate(reader, generated)))
        if "dev" in wanted:
            dev = model.load_rows(model.HANDWRITTEN_DEV3)
            self.stdout.write(
                report(
                    "hand-written dev set 3 (the old test set; trained on unless --hold-out-dev)",
                    evaluate(reader, dev),
                )
            )
        if "dev4" in wanted:
            dev4 = model.load_rows(model.HANDWRITTEN_DEV4)
            self.stdout.write(
                report(
                    "hand-written dev set 4 (the test set of model 2, evaluated twice; trained on)",
                    evaluate(reader, dev4),
                )
            )
        if "test4" in wanted:
            test4 = model.load_rows(model.HANDWRITTEN_TEST4)
            self.stdout.write(
                report(
                    "hand-written test set 4 (never trained on, nothing tuned on it)",
                    evaluate(reader, test4),
                )
            )
