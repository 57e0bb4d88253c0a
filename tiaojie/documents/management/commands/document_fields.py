"""``manage.py document_fields [--write]``: print (or write into docs/documents.md) the fields
each document's template may use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tiaojie.documents.fields import BEGIN, END, markdown

DOC = Path(settings.BASE_DIR) / "docs" / "documents.md"


class Command(BaseCommand):
    help = "Print the document template fields; --write puts them into docs/documents.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        generated = markdown()
        if not options["write"]:
            self.stdout.write(generated)
            return
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
        DOC.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        self.stdout.write(f"Updated {DOC}")
