"""``manage.py seed_demo``: load the demo network and accounts (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.accounts.demo import DEMO_ACCOUNTS, demo_password, seed_demo


class Command(BaseCommand):
    help = "Load the demo organisation tree and one account per role. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load demo data even with DEBUG off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off; pass --force if you mean it."
            )
        orgs = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(orgs)} organisations."))
        self.stdout.write(f"Demo accounts (password: {demo_password()}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<18} {account.role.label}  {account.full_name}")
