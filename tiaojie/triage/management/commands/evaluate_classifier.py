"""Print the evaluation report of the shipped model on the generated held-out part and the third
and fourth hand-written development sets (the test sets of models 1 and 2, both trained on now:
their figures show fit, not generalisation; ``cross_validate_classifier`` gives held-out ones)
and, only when named, hand-written test set 10 (written apart from model 8 by another
author: never trained on, nothing tuned on it). Each run on a test set counts:
docs/triage.md says how many there were."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report

# The blind test sets by name: what the report calls each, and where its file is looked for.
TEST_SETS = {
    "test10": ("test set 10", "HANDWRITTEN_TEST10"),
}
SETS = ("generated", "dev", "dev4", *TEST_SETS)
# A test set is read only when named: each run on it counts, so a bare run must not spend one.
DEFAULT_SETS = ("generated", "dev", "dev4")


class Command(BaseCommand):
    help = (
        "Evaluate the narrative reader on the generated held-out part, dev sets 3 and 4, and "
        "test set 10 (only when named)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--set",
            action="append",
            choices=SETS,
            help=(
                "which set (repeatable); generated, dev and dev4 when not given "
                "(test10 only by name)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["set"] or list(DEFAULT_SETS)
        for name, (title, attribute) in TEST_SETS.items():
            path = getattr(model, attribute)
            if name in wanted and not path.exists():
                # Said before anything is read, so a missing file never looks like a finished run.
                raise CommandError(
                    f"{title} is not here: {path} does not exist "
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
        for name, (title, attribute) in TEST_SETS.items():
            if name in wanted:
                rows = model.load_rows(getattr(model, attribute))
                self.stdout.write(
                    report(
                        f"hand-written {title} (never trained on, nothing tuned on it)",
                        evaluate(reader, rows),
                    )
                )
