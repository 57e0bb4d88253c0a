"""Print the evaluation report of the shipped model on the generated held-out part, the third
hand-written development set (the old test set), the hand-written test set (441 narratives,
never trained on, nothing tuned on it) and, only when named, hand-written test set 4 (474
narratives written for the next model: never trained on, nothing tuned on it). Each run on a test
set counts: docs/triage.md says how many there were."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report

SETS = ("generated", "dev", "test", "test4")
# Test set 4 is read only when named: each run on it counts, so a bare run must not spend one.
DEFAULT_SETS = ("generated", "dev", "test")


class Command(BaseCommand):
    help = "Evaluate the narrative reader on the generated held-out part, the dev set and test sets 1 and 4."

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
        if "test" in wanted:
            test = model.load_rows(model.HANDWRITTEN_TEST)
            self.stdout.write(
                report(
                    "hand-written test set (never trained on, nothing tuned on it)",
                    evaluate(reader, test),
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
