"""``manage.py verify_statistics [--period 2026-11] [--repair]``: recompute the figures from the
raw cases and print every cell that differs, every level cell that is not the sum of the cells
under its organisation, and every row still kept under an organisation's old path (a tree move
not followed); exit 1 if any is found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.core.errors import DomainError
from tiaojie.statistics import levels, moves, periods, rollup
from tiaojie.statistics.verify import Difference, differences


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
        paths = moves.path_differences()
        for difference in [*found, *paths]:
            self.stdout.write(str(difference))
        if not found and not paths:
            self.stdout.write("No differences.")
            return
        self.stdout.write(f"{len(found) + len(paths)} differences.")
        if options["repair"]:
            followed = moves.follow()
            cells = 0
            if any(isinstance(d, Difference) for d in found):
                cells = rollup.rebuild()  # the level cells with them
            else:
                levels.rebuild()
            self.stdout.write(f"Rebuilt: {cells} cells; {followed} rows moved to current paths.")
            return
        raise SystemExit(1)
