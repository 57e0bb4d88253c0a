"""``manage.py permissions_table [--write]``: print (or write into docs/permissions.md) the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tiaojie.accounts.permissions_doc import BEGIN, END, table

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Print the role × capability table; --write puts it into docs/permissions.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        generated = table()
        if not options["write"]:
            self.stdout.write(generated)
            return
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
        DOC.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        self.stdout.write(f"Updated {DOC}")
