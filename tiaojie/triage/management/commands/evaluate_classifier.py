"""Print the evaluation report of the shipped model on the generated held-out part and the third
and fourth hand-written development sets (the test sets of models 1 and 2, both trained on now:
their figures show fit, not generalisation; ``cross_validate_classifier`` gives held-out ones)
and, only when named, hand-written test set 6 (written apart from model 5 by another author:
never trained on, nothing tuned on it). Each run on test set 6 counts: docs/triage.md says how
many there were."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report

SETS = ("generated", "dev", "dev4", "test6")
# Test set 6 is read only when named: each run on it counts, so a bare run must not spend one.
DEFAULT_SETS = ("generated", "dev", "dev4")


class Command(BaseCommand):
    help = "Evaluate the narrative reader on the generated held-out part, dev sets 3 and 4 and test set 6."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--set",
            action="append",
            choices=SETS,
            help="which set (repeatable); generated, dev and dev4 when not given (test6 only by name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["set"] or list(DEFAULT_SETS)
        if "test6" in wanted and not model.HANDWRITTEN_TEST6.exists():
            # Said before anything is read, so a missing file never looks like a finished run.
            raise CommandError(
                f"test set 6 is not here: {model.HANDWRITTEN_TEST6} does not exist "
                "(it is written on another branch and evaluated once, at merge)"
            )
        reader = model.Reader.load()
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
        if "test6" in wanted:
            test6 = model.load_rows(model.HANDWRITTEN_TEST6)
            self.stdout.write(
                report(
                    "hand-written test set 6 (never trained on, nothing tuned on it)",
                    evaluate(reader, test6),
                )
            )
