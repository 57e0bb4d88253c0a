"""``manage.py remind_respondents``: text the reminders that are due (run hourly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaojie.public.reminders import remind_due


class Command(BaseCommand):
    help = "Text respondents who have not answered their reminder, by their variant's timing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url", required=True, help="The public address the links start with."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_due(site_url=options["site_url"])
        self.stdout.write(f"{sent} reminder(s) sent")
