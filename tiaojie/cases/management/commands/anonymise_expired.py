"""``manage.py anonymise_expired [--dry-run]``: anonymise the parties of cases archived more
than ``TIAOJIE_RETENTION_YEARS`` ago (PIPL; ``cases.privacy``). Run it daily (cron or the
``anonymise_expired`` task); running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tiaojie.cases import privacy


class Command(BaseCommand):
    help = "Anonymise parties of cases archived longer ago than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        cutoff = privacy.retention_cutoff()
        cases = privacy.anonymise_expired(dry_run=dry_run)
        for case in cases:
            self.stdout.write(f"{case.number}\tarchived {case.archived_on}\t{case.committee.name}")
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"{len(cases)} cases archived before {cutoff} "
            f"({settings.TIAOJIE_RETENTION_YEARS} years) {verb}."
        )
