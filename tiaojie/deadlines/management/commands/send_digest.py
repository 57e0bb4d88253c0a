"""``manage.py send_digest [--date YYYY-MM-DD]``: the daily digest (cron: 07:30)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.deadlines.digest import send_digest


class Command(BaseCommand):
    help = "Send each answerable user a digest of their near-due and overdue deadlines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The digest's day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        result = send_digest(day)
        self.stdout.write(
            f"Digest {result.day}: {result.sent} sent to {result.users} users, "
            f"{result.emails} e-mails ({result.email_failures} failed)."
        )
