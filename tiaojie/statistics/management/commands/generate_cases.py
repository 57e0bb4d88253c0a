"""``manage.py generate_cases --count N [--years 5] [--seed 2026] [--city] [--chunk 20000]
[--fresh | --chunked] [--today]``: bulk synthetic history for benchmarks and load tests; the statistics
stay exact (``verify_statistics`` finds nothing). ``--city`` first makes (or finds) the
synthetic city of about 1,500 committees and fills only that. Into a database with no cases
yet, on PostgreSQL, the run is one transaction with indexes rebuilt at the end (ADR 0054);
``--chunked`` commits chunk by chunk instead, ``--fresh`` loads so even when cases exist.
``--today`` registers every case today, before now (the live counts' intake; ADR 0060)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tiaojie.statistics.generate import generate_cases, synthetic_city


class Command(BaseCommand):
    help = "Add N synthetic cases in bulk, keeping the statistics exact (not for production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--chunk", type=int, default=20_000, help="Cases per transaction.")
        parser.add_argument(
            "--city", action="store_true", help="Fill the synthetic city (~1,500 committees)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--today",
            action="store_true",
            help="Register every case today, before now (the live counts' intake).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--fresh",
            action="store_const",
            const=True,
            dest="fresh",
            help="One transaction, indexes and foreign keys rebuilt at the end (PostgreSQL; "
            "the default when there are no cases yet). Nobody else may use the database.",
        )
        mode.add_argument(
            "--chunked",
            action="store_const",
            const=False,
            dest="fresh",
            help="Commit each chunk with its cells (the default when cases exist).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to add synthetic cases with DEBUG off; pass --force.")
        if options["count"] < 1:
            raise CommandError("--count must be at least 1")
        started = time.perf_counter()
        under = synthetic_city() if options["city"] else None

        def progress(made: int) -> None:
            rate = made / (time.perf_counter() - started)
            print(f"  {made:,} cases ({rate:,.0f}/s)", file=sys.stderr, flush=True)

        result = generate_cases(
            options["count"],
            years=options["years"],
            seed=options["seed"],
            under=under,
            chunk=options["chunk"],
            progress=progress,
            fresh=options["fresh"],
            today=options["today"],
        )
        analysed = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result.timings["ANALYZE"] = time.perf_counter() - analysed
        mode = "one transaction, indexes rebuilt" if result.fresh else "chunk by chunk"
        self.stdout.write(
            f"{result.cases} cases in {time.perf_counter() - started:.1f} s ({mode}); "
            f"{result.cells_changed} cells changed."
        )
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.timings.items())
        self.stdout.write(f"  {steps}")
