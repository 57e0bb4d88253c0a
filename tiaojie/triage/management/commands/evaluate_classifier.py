"""Print the evaluation report of the shipped model on both held-out sets."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.triage import model
from tiaojie.triage.evaluation import evaluate, report


class Command(BaseCommand):
    help = (
        "Evaluate the narrative reader on the generated held-out part and both hand-written sets."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reader = model.Reader.load()
        generated = [r for r in model.load_rows(model.CORPUS) if r["split"] == "test"]
        self.stdout.write(f"model {reader.version}\n")
        self.stdout.write(report("generated, held-out fragments", evaluate(reader, generated)))
        sets = [
            (
                "hand-written development set (its errors guided fragments and rules)",
                model.HANDWRITTEN_DEV,
            ),
            ("hand-written test set (never used to build anything)", model.HANDWRITTEN_TEST),
        ]
        for title, path in sets:
            self.stdout.write(report(title, evaluate(reader, model.load_rows(path))))
