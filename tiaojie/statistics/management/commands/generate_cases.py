"""``manage.py generate_cases --count N [--years 5] [--seed 2026]``: bulk synthetic history for
benchmarks and load tests; the statistics stay exact (``verify_statistics`` finds nothing)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.statistics.generate import generate_cases


class Command(BaseCommand):
    help = "Add N synthetic cases in bulk, keeping the statistics exact (not for production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="Even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to add synthetic cases with DEBUG off; pass --force.")
        if options["count"] < 1:
            raise CommandError("--count must be at least 1")
        started = time.perf_counter()
        result = generate_cases(options["count"], years=options["years"], seed=options["seed"])
        self.stdout.write(
            f"{result.cases} cases in {time.perf_counter() - started:.1f} s; "
            f"{result.cells_changed} cells changed."
        )
