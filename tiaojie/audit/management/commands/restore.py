"""``manage.py restore``: bring a backup back into an empty database and media directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an EMPTY database and media "
        "directory, after checking every file against the manifest. Then run `migrate` and "
        "`verify_audit`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--media-root", help="restore files here instead of MEDIA_ROOT")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        media = Path(options["media_root"]) if options["media_root"] else None
        try:
            manifest = restore_backup(
                Path(options["archive"]), media_root=media, using=options["database"]
            )
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        head = manifest["audit_head"] or {"seq": 0}
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['files'])} files, "
            f"audit chain to event {head['seq']}. Next: `manage.py migrate`, then "
            "`manage.py verify_audit`."
        )
