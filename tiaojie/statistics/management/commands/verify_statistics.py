"""``manage.py verify_statistics [--period 2026-11] [--repair]``: recompute the figures from the
raw cases and print every cell that differs; exit 1 if any does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.core.errors import DomainError
from tiaojie.statistics import periods, rollup
from tiaojie.statistics.verify import differences


def _period(raw: str) -> dt.date:
    try:
        period = periods.parse(raw)
    except DomainError as exc:
        raise CommandError(f"--period: expected YYYY-MM, got {raw!r}") from exc
    if period.kind != periods.MONTH:
        raise CommandError(f"--period: expected one month, YYYY-MM, got {raw!r}")
    return period.first


class Command(BaseCommand):
    help = "Recompute the statistics from the raw cases and print every difference."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="one month, YYYY-MM (default: every month)")
        parser.add_argument(
            "--repair", action="store_true", help="rebuild the figures when any differs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = _period(options["period"]) if options["period"] else None
        found = differences(period)
        for difference in found:
            self.stdout.write(str(difference))
        if not found:
            self.stdout.write("No differences.")
            return
        self.stdout.write(f"{len(found)} differences.")
        if options["repair"]:
            cells = rollup.rebuild()
            self.stdout.write(f"Rebuilt: {cells} cells.")
            return
        raise SystemExit(1)
