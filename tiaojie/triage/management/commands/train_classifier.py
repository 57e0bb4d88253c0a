"""Rebuild the shipped model file from the corpus (fixed seed: the same file every time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.crossval import risk_thresholds


class Command(BaseCommand):
    help = (
        "Train the narrative reader on the training part of the corpus and the hand-written "
        "development and training sets (never the test set), and save the model file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="add the generated held-out part (its figures are then no longer fair)",
        )
        parser.add_argument("--rebuild-corpus", action="store_true", help="regenerate it first")
        parser.add_argument(
            "--hold-out-dev",
            action="store_true",
            help="leave out the third development set, to tune settings on it (not shipped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild_corpus"]:
            from tiaojie.triage.corpus.build import write  # noqa: PLC0415 - only when asked

            write()
        rows = model.training_rows(hold_out_dev=options["hold_out_dev"])
        if options["all"]:
            rows += [row for row in model.load_rows(model.CORPUS) if row["split"] == "test"]
        # The learned risk layer's thresholds come from leave-one-set-out scores (ADR 0052).
        arrays = model.train(rows, risk_thresholds())
        model.save(arrays)
        size = model.MODEL_FILE.stat().st_size / 1024
        self.stdout.write(
            f"model {arrays['version']}: {len(rows)} narratives, "
            f"{len(arrays['vocabulary'])} n-grams, {model.MODEL_FILE.name} {size:.0f} KB"
        )
