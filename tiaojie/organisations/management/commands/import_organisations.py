"""``manage.py import_organisations FILE [--anchor ID]``: load a tree from XLSX or CSV.

Runs as the system (no actor), so on a fresh install it may create the root city bureau.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiaojie.core.errors import DomainError
from tiaojie.core.imports import ImportInvalid
from tiaojie.organisations.import_services import organisation_tree_import
from tiaojie.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import an organisation tree from an .xlsx or .csv file. Nothing is written unless "
        "every row is valid; otherwise each problem is printed with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .xlsx or .csv file.")
        parser.add_argument(
            "--anchor",
            type=int,
            help="Id of the organisation that rows with a blank 上级编号 go under. "
            "Without it they become roots of the tree.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        anchor = None
        if options["anchor"] is not None:
            anchor = Organisation.objects.filter(pk=options["anchor"]).first()
            if anchor is None:
                raise CommandError(
                    _("No organisation has the id %(id)s.") % {"id": options["anchor"]}
                )
        try:
            with path.open("rb") as file:
                created = organisation_tree_import(
                    actor=None, anchor=anchor, file=file, file_name=path.name
                )
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from exc
        except ImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        count = len(created)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Imported %(count)s organisation.", "Imported %(count)s organisations.", count
                )
                % {"count": count}
            )
        )
