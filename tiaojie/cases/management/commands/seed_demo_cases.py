"""``manage.py seed_demo_cases``: about 300 demo cases in every state (skipped if cases exist)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.cases.demo import seed_demo_cases


class Command(BaseCommand):
    help = "Create demo cases across the demo committees. Does nothing if any case exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=300)
        parser.add_argument(
            "--force", action="store_true", help="Even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo cases with DEBUG off; pass --force if you mean it."
            )
        made = seed_demo_cases(options["count"])
        self.stdout.write(
            f"Demo cases created: {made}." if made else "Cases exist already; nothing created."
        )
