"""``manage.py personal_data_export ID_NUMBER --reason TEXT --output FILE``: answer a
personal-information request (PIPL art. 45) over every case, for the security administrator
with server access. Audited without the ID number (``cases.privacy``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaojie.cases import privacy


class Command(BaseCommand):
    help = "Export everything held on the person with this ID number (JSON), audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id_number")
        parser.add_argument("--reason", required=True, help="who asked and how it was checked")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        result = privacy.export_person(
            actor=None, id_number=options["id_number"], reason=options["reason"]
        )
        options["output"].write_text(
            json.dumps(result.content, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(
            f"{result.parties} party records in {result.cases} cases written to "
            f"{options['output']}."
        )
