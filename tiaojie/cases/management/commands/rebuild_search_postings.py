"""``manage.py rebuild_search_postings``: post every case's search tokens again (ADR 0023), and
name again the committees holding each token (ADR 0080), forgetting those that no longer do.

The triggers keep the postings by themselves; run this after restoring a table by hand, after
loading cases with the triggers disabled, or if a check ever finds the postings and
``search_tokens`` apart. Writes to cases wait while it runs (about a minute per 200,000
cases); PostgreSQL only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.cases import postings


class Command(BaseCommand):
    help = "Rebuild the search postings of every case from its search tokens (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=postings.BATCH, help="cases per INSERT statement"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not postings.enabled():
            raise CommandError("Search postings exist on PostgreSQL only; SQLite needs none.")
        done = postings.rebuild(options["batch"])
        self.stdout.write(
            f"{done.postings:,} postings for {done.cases:,} cases "
            f"(filled in {done.fill_s:.1f} s, key built in {done.key_s:.1f} s)."
        )
