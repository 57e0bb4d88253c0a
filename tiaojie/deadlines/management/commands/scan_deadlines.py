"""``manage.py scan_deadlines [--date YYYY-MM-DD]``: the nightly job (cron: 02:00) — overdue
supervisions escalate, then the deadline scan raises and clears alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.deadlines.scan import run_daily


class Command(BaseCommand):
    help = "Raise and clear near-due and overdue alerts and notify. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Judge as of this day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        result, escalated = run_daily(today)
        self.stdout.write(
            f"Deadline scan {result.today}: raised {result.raised}, cleared {result.cleared}, "
            f"notified {result.notified}, open {result.open_alerts}; "
            f"supervisions escalated {escalated}."
        )
