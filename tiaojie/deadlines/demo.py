"""Demo deadlines: today's scan over the demo cases, so the lists, the badges and the case
panels have something to show. The demo cases are spread over this year, so many are overdue
already; running it again the same day adds nothing (the scan is idempotent)."""

from __future__ import annotations

from tiaojie.deadlines.scan import run_scan


def seed_deadlines_demo() -> None:
    run_scan()
