"""Deliver the domain events a process left undelivered (it died between commit and
delivery) and retry listeners that failed. Safe to run at any time and twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaojie.core.events import deliver_pending


class Command(BaseCommand):
    help = "Deliver domain events not yet delivered to every listener (crash recovery, retries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            help="Only events at least this many seconds old (leave fresh ones to the worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = deliver_pending(older_than=dt.timedelta(seconds=options["older_than"]))
        self.stdout.write(f"{count} event(s) delivered")
