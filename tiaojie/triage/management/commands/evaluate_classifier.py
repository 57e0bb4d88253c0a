"""Print the evaluation report of the shipped model: on the generated held-out part and on the
hand-written test set (never trained on, nothing tuned on it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report


class Command(BaseCommand):
    help = "Evaluate the narrative reader on the generated held-out part and the hand-written test set."

    def handle(self, *args: Any, **options: Any) -> None:
        reader = model.Reader.load()
        generated = [r for r in model.load_rows(model.CORPUS) if r["split"] == "test"]
        test = model.load_rows(model.HANDWRITTEN_TEST)
        self.stdout.write(f"model {reader.version}\n")
        self.stdout.write(report("generated, held-out fragments", evaluate(reader, generated)))
        self.stdout.write(
            report(
                "hand-written test set (never trained on, nothing tuned on it)",
                evaluate(reader, test),
            )
        )
