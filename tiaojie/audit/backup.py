"""Backup and restore (数据备份恢复): one archive that is enough to bring the platform back.

The archive (``.tar.gz``) holds

``database.sqlite3`` or ``database.pgdump``
    A consistent copy of the database: the SQLite online backup API (a snapshot even while the
    site is writing), or ``pg_dump --format=custom`` (one transaction, so one snapshot).
``media/…``
    Everything under ``MEDIA_ROOT``: attachments, rendered case files, document templates.
``manifest.json``
    When and from what it was made, the SHA-256 and size of every other member, the applied
    migrations, the audit chain's head, and the *fingerprints* of the data keys.
``keys.json`` (only with ``include_keys``)
    The data keys themselves. By default they are left out: an archive without keys is useless
    to a thief for the encrypted personal data, and the keys are kept apart (docs/deploy.md).

Restoring goes into an *empty* database and an empty media directory, never over live data:
the drill is to create a fresh database, point the settings at it and run ``manage.py
restore``. Every member is checked against the manifest first, and the configured data key
must be one the backup's data was encrypted under, or the personal data would not decrypt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from tiaojie.audit.error_codes import AuditErrorCode as E
from tiaojie.audit.models import AuditChainHead
from tiaojie.core import crypto
from tiaojie.core.errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
KEYS = "keys.json"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup that cannot be made or an archive that cannot be restored."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def key_fingerprints() -> dict[str, Any]:
    """Public names of the configured data keys: enough to tell whether a key matches."""
    ring = crypto.keyring()
    return {
        "current": ring.current_id,
        "all": sorted(ring.keys),
        "sha256": {kid: hashlib.sha256(key).hexdigest() for kid, key in ring.keys.items()},
    }


def _vendor(using: str) -> str:
    return str(connections[using].vendor)


def _pg_env(using: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment."""
    conf = connections[using].settings_dict
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    # A DATABASE_URL may carry the host and port as query options (a socket directory).
    options = conf.get("OPTIONS") or {}
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        value = conf.get(key) or options.get(key.lower())
        if value:
            args += [flag, str(value)]
    return [*args, "--dbname", str(conf["NAME"])], env


def _dump_database(using: str, folder: Path) -> Path:
    vendor = _vendor(using)
    connection = connections[using]
    if vendor == "sqlite":
        target = folder / "database.sqlite3"
        if connection.in_atomic_block:
            # SQLite's backup would wait for our own open transaction forever.
            raise BackupError(E.IN_TRANSACTION, _("A backup cannot run inside a transaction."))
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    if vendor == "postgresql":
        target = folder / "database.pgdump"
        args, env = _pg_env(using)
        # Privileges stay in the dump: the audit table's INSERT-only grant is part of its defence.
        command = ["pg_dump", "--format=custom"]
        # Arguments come from our own settings, never from a request.
        done = subprocess.run(  # noqa: S603
            [*command, "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(E.PG_DUMP, _("pg_dump failed: %(err)s") % {"err": done.stderr})
        return target
    raise BackupError(
        E.VENDOR, _("Backups of a %(vendor)s database are not supported.") % {"vendor": vendor}
    )


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _audit_head(using: str) -> dict[str, Any] | None:
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    if head is None:
        return None
    return {"seq": head.seq, "last_hash": head.last_hash, "algorithm": head.algorithm}


def create_backup(
    destination: Path, *, include_keys: bool = False, using: str = "default"
) -> BackupResult:
    """Write one archive at ``destination`` (a file, or a folder to put a dated file in)."""
    if destination.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"tiaojie-backup-{stamp}.tar.gz"
    if destination.exists():
        raise BackupError(E.EXISTS, _("%(path)s already exists.") % {"path": destination})
    media_root = Path(settings.MEDIA_ROOT)
    files: dict[str, dict[str, Any]] = {}
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="tiaojie-backup-") as work:
        dump = _dump_database(using, Path(work))
        with tarfile.open(partial, "w:gz") as archive:
            files[dump.name] = {"sha256": _sha256(dump), "size": dump.stat().st_size}
            archive.add(dump, arcname=dump.name)
            for path in _media_files(media_root):
                name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                archive.add(path, arcname=name)
            if include_keys:
                keys = {
                    "TIAOJIE_DATA_KEY": settings.TIAOJIE_DATA_KEY,
                    "TIAOJIE_DATA_KEYS_OLD": list(getattr(settings, "TIAOJIE_DATA_KEYS_OLD", [])),
                }
                _add_bytes(archive, KEYS, json.dumps(keys, indent=2).encode(), files)
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database": {"vendor": _vendor(using), "file": dump.name},
                "migrations": _migrations(using),
                "audit_head": _audit_head(using),
                "data_keys": key_fingerprints(),
                "keys_included": include_keys,
                "files": files,
            }
            _add_bytes(
                archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode(), None
            )
    partial.chmod(0o600)
    partial.rename(destination)
    return BackupResult(destination, manifest)


def _add_bytes(
    archive: tarfile.TarFile, name: str, data: bytes, files: dict[str, dict[str, Any]] | None
) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))
    if files is not None:
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(E.MANIFEST, _("The archive has no manifest."))
        result: dict[str, Any] = json.load(member)
        return result


def _extract_checked(archive_path: Path, folder: Path) -> dict[str, Any]:
    """Unpack into ``folder`` and check every member against the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            E.ARCHIVE, _("The archive cannot be read: %(err)s") % {"err": exc}
        ) from exc
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(E.MANIFEST, _("The archive has no manifest."))
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(E.FORMAT, _("The archive's format is not one this version reads."))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    listed = set(manifest["files"])
    if present != listed:
        raise BackupError(
            E.CHECKSUM,
            _("The archive's files do not match its manifest: %(names)s")
            % {"names": ", ".join(sorted(present ^ listed)[:5])},
        )
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected["sha256"]:
            raise BackupError(
                E.CHECKSUM, _("%(name)s is damaged: its checksum differs.") % {"name": name}
            )
    return manifest


def _check_empty_database(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            E.NOT_EMPTY,
            _("The database is not empty (%(count)s tables); restore only into a new database.")
            % {"count": len(tables)},
        )


def _check_keys(manifest: dict[str, Any]) -> None:
    wanted = manifest["data_keys"]["all"]
    have = set(crypto.keyring().keys)
    if not have.intersection(wanted):
        raise BackupError(
            E.KEYS,
            _(
                "None of the configured data keys (%(have)s) is one the backup was made with "
                "(%(wanted)s): the personal data would not decrypt. Configure the right "
                "TIAOJIE_DATA_KEY first."
            )
            % {"have": ", ".join(sorted(have)), "wanted": ", ".join(wanted)},
        )


def restore_backup(
    archive_path: Path, *, media_root: Path | None = None, using: str = "default"
) -> dict[str, Any]:
    """Restore an archive into an empty database and an empty media directory."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            E.MEDIA_NOT_EMPTY,
            _("The media directory %(path)s is not empty; restore only into an empty one.")
            % {"path": media_root},
        )
    _check_empty_database(using)
    with tempfile.TemporaryDirectory(prefix="tiaojie-restore-") as work:
        folder = Path(work)
        manifest = _extract_checked(archive_path, folder)
        # Even when the keys travel in the archive, they must be configured before restoring:
        # the running process is what decrypts.
        _check_keys(manifest)
        vendor = manifest["database"]["vendor"]
        if vendor != _vendor(using):
            raise BackupError(
                E.VENDOR,
                _("The backup is of a %(theirs)s database; this one is %(ours)s.")
                % {"theirs": vendor, "ours": _vendor(using)},
            )
        _load_database(using, folder / manifest["database"]["file"])
        media = folder / MEDIA
        media_root.mkdir(parents=True, exist_ok=True)
        if media.is_dir():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    return manifest


def _load_database(using: str, dump: Path) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    args, env = _pg_env(using)
    connection.close()
    done = subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--exit-on-error", *args, str(dump)],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(E.PG_RESTORE, _("pg_restore failed: %(err)s") % {"err": done.stderr})
