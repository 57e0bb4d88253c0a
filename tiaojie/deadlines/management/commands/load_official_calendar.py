"""``manage.py load_official_calendar [YEAR ...] [--replace]``: the shipped holiday tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tiaojie.deadlines.official import OFFICIAL_YEARS
from tiaojie.deadlines.services.calendar import load_official


class Command(BaseCommand):
    help = "Load the State Council holiday tables shipped in deadlines.official."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="Only these years (default all).")
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite a year that already has a table."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = sorted(set(options["years"]) - set(OFFICIAL_YEARS))
        if unknown:
            raise CommandError(
                f"No shipped table for {unknown}; shipped: {sorted(OFFICIAL_YEARS)}. "
                "Enter other years on the calendar page."
            )
        with transaction.atomic():
            written = load_official(options["years"] or None, replace=options["replace"])
        self.stdout.write(
            f"Loaded: {', '.join(map(str, written))}." if written else "Nothing to load."
        )
