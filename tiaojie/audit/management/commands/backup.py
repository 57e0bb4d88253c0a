"""``manage.py backup``: one archive of the database, the media files and the key fingerprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.audit.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (consistent snapshot), the attachments and rendered documents, "
        "and the data keys' fingerprints into one .tar.gz with a manifest and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="archive file to write, or a folder")
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="also put the data keys in the archive (keep it as secret as the keys)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(
                Path(options["destination"]),
                include_keys=options["include_keys"],
                using=options["database"],
            )
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        manifest = result.manifest
        head = manifest["audit_head"] or {"seq": 0}
        self.stdout.write(
            f"Backup written: {result.path} ({len(manifest['files'])} files, "
            f"audit chain at event {head['seq']}, data key {manifest['data_keys']['current']}"
            f"{', keys included' if manifest['keys_included'] else ''})."
        )
